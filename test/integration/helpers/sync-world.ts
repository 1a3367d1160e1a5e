import type { Test } from 'tap'
import { loadConfig } from '../../../src/config/load.js'
import { blake3Hex } from '../../../src/hash/blake3.js'
import { createClients } from '../../../src/plugins/clients.js'
import { startSystems, type Systems, type SystemsOptions } from '../../../src/sandbox/systems.js'
import { MemoryStore } from '../../../src/store/memory-store.js'
import type { SyncLogger } from '../../../src/sync/ports.js'
import { syncAkte, type SyncAkteDeps, type SyncAkteOptions, type SyncRequest, type SyncSummary } from '../../../src/sync/run-akte.js'

/* One Akte wired across the three simulators, and the engine against them over real HTTP. */

export const NR = '2026/0042'
export const ADVOWARE_ID = 4711

export interface LogLine { level: string, obj: Record<string, unknown>, msg: string | undefined }

export function memoryLog (): SyncLogger & { lines: LogLine[] } {
  const lines: LogLine[] = []
  const at = (level: string) => (obj: object, msg?: string): void => { lines.push({ level, obj: obj as Record<string, unknown>, msg }) }
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

export interface World {
  systems: Systems
  store: MemoryStore
  log: ReturnType<typeof memoryLog>
  deps: SyncAkteDeps
  akteId: string
  sync: (request?: Partial<SyncRequest>) => Promise<SyncSummary>
  /** Adds a History entry (as a person in Advoware would) linking `datei`. */
  history: (datei: string | null, extra?: { datum?: string, text?: string, art?: string }) => number
  /** A Document made in EspoCRM's UI with a file. */
  newDocument: (name: string, data: Buffer, extra?: Record<string, unknown>) => Promise<string>
  /** Live Documents of the Akte, as the simulator holds them. */
  documents: () => Array<Record<string, unknown>>
  /** Requests that reached each simulator since the last reset. */
  requests: () => { espo: number, advoware: number, watcher: number, total: number }
  resetRequests: () => void
  /** Data writes (non-GET requests, token requests aside) that reached the simulators since the last reset. */
  writes: () => string[]
}

export interface WorldOptions {
  systems?: SystemsOptions
  sync?: SyncAkteOptions
  akteStatus?: string
  advowareAkteId?: string | null
  /** Service configuration on top of the simulators' (e.g. small chunk sizes). */
  env?: Record<string, string>
}

export const hashOf = async (data: Buffer | string): Promise<string> => await blake3Hex(data)

export async function world (t: Test, options: WorldOptions = {}): Promise<World> {
  const systems = await startSystems(options.systems)
  // One attempt per call: an injected fault reaches the engine instead of a retry.
  const config = loadConfig({ ...systems.env, EXTERNAL_RETRIES: '1', LOG_LEVEL: 'silent', ...options.env })
  const clients = createClients(config)
  t.teardown(async () => {
    await Promise.allSettled([clients.espocrm?.close(), clients.advoware?.close(), clients.watcher?.close()])
    await systems.close()
  })
  const store = new MemoryStore()
  const log = memoryLog()
  const { espo, advoware, watcher } = systems
  const akte = espo.create('CAkte', {
    name: 'Müller ./. Schmidt',
    aktennummer: NR,
    advowareAkteId: options.advowareAkteId === undefined ? String(ADVOWARE_ID) : options.advowareAkteId,
    status: options.akteStatus ?? 'Aktiv'
  })
  advoware.seedAkte({ id: ADVOWARE_ID, aktennummer: NR })
  await watcher.createAkte(NR)
  const deps: SyncAkteDeps = {
    espocrm: clients.espocrm!,
    advoware: clients.advoware!,
    watcher: clients.watcher!,
    store,
    log,
    options: { fileConcurrency: 3, ...options.sync }
  }
  const akteId = String(akte.id)
  const marks = { espo: 0, advoware: 0, watcher: 0 }
  const calls = (): { espo: number, advoware: number, watcher: number } =>
    ({ espo: espo.faults.calls.length, advoware: advoware.faults.calls.length, watcher: watcher.faults.calls.length })
  return {
    systems,
    store,
    log,
    deps,
    akteId,
    sync: async request => await syncAkte(deps, { aktennummer: NR, signal: new AbortController().signal, ...request }),
    history: (datei, extra = {}) => advoware.addHistory(ADVOWARE_ID, {
      datum: extra.datum ?? '2026-03-20T09:30:00', text: extra.text ?? `Eintrag ${datei ?? ''}`, art: extra.art ?? 'Schriftsatz', datei
    }).id,
    newDocument: async (name, data, extra = {}) => {
      const attachment = await espo.seedAttachment({ name, type: 'application/octet-stream', data, relatedType: 'Document', field: 'file' })
      const doc = espo.create('Document', { name, fileId: attachment.id, publishDate: '2026-03-21', akteId, ...extra })
      return String(doc.id)
    },
    documents: () => espo.list('Document').filter(d => d.akteId === akteId),
    requests: () => {
      const now = calls()
      const r = { espo: now.espo - marks.espo, advoware: now.advoware - marks.advoware, watcher: now.watcher - marks.watcher }
      return { ...r, total: r.espo + r.advoware + r.watcher }
    },
    resetRequests: () => { Object.assign(marks, calls()) },
    writes: () => [espo, advoware, watcher].flatMap((sim, i) => sim.faults.calls.slice([marks.espo, marks.advoware, marks.watcher][i])
      .filter(c => c.method !== 'GET' && !c.url.includes('/Token')).map(c => `${c.method} ${c.url.split('?')[0] ?? ''}`))
  }
}
