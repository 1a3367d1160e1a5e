import { formatLocalIso } from '../watcher/local-time.js'

/**
 * Advoware's data as the simulator holds it, in the WIRE shapes of
 * contracts.md section 2 (numeric ids, `ablage` 0|1), not the domain types.
 */
export interface AkteWire {
  id: number
  aktennummer: string
  ablage: 0 | 1
  ablagedatum: string | null
}

export interface HistoryWire {
  id: number
  /** Local firm time without zone, e.g. `2026-03-24T10:15:00`. */
  datum: string
  text: string
  art: string
  datei: string | null
}

export interface NewHistoryWire {
  /** Given for seeding fixed ids; assigned otherwise. */
  id?: number
  datum: string
  text: string
  art: string
  datei?: string | null
}

export interface SeedAkte {
  id: number
  aktennummer: string
  ablage?: 0 | 1
  ablagedatum?: string | null
  history?: NewHistoryWire[]
}

export interface AdvowareCounters {
  /** Every POST to the token endpoint, refused or not. */
  tokenRequests: number
  tokensIssued: number
  tokensRefused: number
  /** API calls (Akte, History) that passed authentication. */
  apiCalls: number
  historyCreated: number
}

const clone = <T>(value: T): T => structuredClone(value)

export class AdvowareState {
  private readonly akten = new Map<number, AkteWire>()
  private readonly histories = new Map<number, HistoryWire[]>()
  // Ids start high so a client mixing up Akte ids and History ids shows.
  private nextHistoryId = 90_001
  readonly counters: AdvowareCounters = { tokenRequests: 0, tokensIssued: 0, tokensRefused: 0, apiCalls: 0, historyCreated: 0 }

  seedAkte (seed: SeedAkte): AkteWire {
    const akte: AkteWire = {
      id: seed.id,
      aktennummer: seed.aktennummer,
      ablage: seed.ablage ?? 0,
      ablagedatum: seed.ablagedatum ?? null
    }
    this.akten.set(akte.id, akte)
    if (!this.histories.has(akte.id)) this.histories.set(akte.id, [])
    for (const entry of seed.history ?? []) this.insertHistory(akte.id, entry)
    return clone(akte)
  }

  getAkte (akteId: number): AkteWire | undefined {
    const akte = this.akten.get(akteId)
    return akte === undefined ? undefined : clone(akte)
  }

  listAkten (): AkteWire[] {
    return [...this.akten.values()].map(clone)
  }

  /** Marks the Akte abgelegt; `at` defaults to now as firm-local (Europe/Berlin) time without zone. */
  archiveAkte (akteId: number, at?: string): AkteWire {
    const akte = this.require(akteId)
    akte.ablage = 1
    akte.ablagedatum = at ?? formatLocalIso(Date.now()).slice(0, 19)
    return clone(akte)
  }

  unarchiveAkte (akteId: number): AkteWire {
    const akte = this.require(akteId)
    akte.ablage = 0
    akte.ablagedatum = null
    return clone(akte)
  }

  history (akteId: number): HistoryWire[] {
    this.require(akteId)
    return (this.histories.get(akteId) ?? []).map(clone)
  }

  /** Seeds an entry directly (not counted as a client write). */
  addHistory (akteId: number, entry: NewHistoryWire): HistoryWire {
    this.require(akteId)
    return clone(this.insertHistory(akteId, entry))
  }

  /** What `POST .../History` does: counted, so tests can assert "no writes". */
  createHistory (akteId: number, entry: NewHistoryWire): HistoryWire {
    const created = this.addHistory(akteId, { ...entry, id: undefined })
    this.counters.historyCreated += 1
    return created
  }

  removeHistory (akteId: number, historyId: number): boolean {
    const list = this.histories.get(akteId) ?? []
    const index = list.findIndex(h => h.id === historyId)
    if (index < 0) return false
    list.splice(index, 1)
    return true
  }

  reset (): void {
    this.akten.clear()
    this.histories.clear()
    for (const key of Object.keys(this.counters) as Array<keyof AdvowareCounters>) this.counters[key] = 0
  }

  private insertHistory (akteId: number, entry: NewHistoryWire): HistoryWire {
    const id = entry.id ?? this.nextHistoryId++
    if (id >= this.nextHistoryId) this.nextHistoryId = id + 1
    const created: HistoryWire = { id, datum: entry.datum, text: entry.text, art: entry.art, datei: entry.datei ?? null }
    this.histories.get(akteId)!.push(created)
    return created
  }

  private require (akteId: number): AkteWire {
    const akte = this.akten.get(akteId)
    if (akte === undefined) throw new Error(`unknown Akte ${akteId}`)
    return akte
  }
}
