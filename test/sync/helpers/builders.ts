import type { AdvowareAkte, EspoDocument, HistoryEntry, WatcherFile } from '../../../src/domain/types.js'
import { planAkte, type PlanInput } from '../../../src/sync/plan.js'
import type { Action, AkteSyncState, BaseEntry, Plan } from '../../../src/sync/types.js'

/* Small builders so each test states only what matters to it. */

export const NOW = new Date('2026-03-24T12:00:00Z')
export const AKTENNUMMER = '12345'
export const AKTE: AdvowareAkte = { id: '4711', aktennummer: AKTENNUMMER, archived: false, archivedAt: null }

export function file (path: string, hash: string, extra: Partial<WatcherFile> = {}): WatcherFile {
  return { path, size: 1000, usn: '100', blake3Hash: hash, modified: '2026-03-24T10:00:00+01:00', ...extra }
}

export function entry (id: string, datei: string | null, extra: Partial<HistoryEntry> = {}): HistoryEntry {
  return { id, datum: '2026-03-20T09:30:00', text: `Eintrag ${id}`, art: 'Schriftsatz', datei, ...extra }
}

/** A Document new in EspoCRM: a file, no base. */
export function newDoc (id: string, extra: Partial<EspoDocument> = {}): EspoDocument {
  return {
    id,
    name: `Dokument ${id}`,
    akteId: 'akte-1',
    fileId: `file-${id}`,
    fileName: `Dokument ${id}.pdf`,
    windowsPath: null,
    blake3Hash: null,
    syncHash: null,
    syncUsn: null,
    syncFileId: null,
    fileStatus: 'new',
    syncStatus: null,
    syncError: null,
    lastSync: null,
    publishDate: '2026-03-01',
    description: null,
    historyArt: null,
    advowareHistoryId: null,
    modifiedAt: '2026-03-24 08:00:00',
    createdAt: `2026-03-01 00:00:00`,
    ...extra
  }
}

/** A Document synced at `path` with `hash`, its metadata mirroring `history` when given. */
export function syncedDoc (id: string, path: string, hash: string, history: HistoryEntry | null = null, extra: Partial<EspoDocument> = {}): EspoDocument {
  return newDoc(id, {
    name: path.split('/').at(-1) ?? path,
    fileName: path.split('/').at(-1) ?? path,
    windowsPath: path,
    blake3Hash: hash,
    syncHash: hash,
    syncUsn: '100',
    syncFileId: `file-${id}`,
    fileStatus: 'synced',
    ...(history === null
      ? {}
      : { description: history.text, publishDate: history.datum.slice(0, 10), historyArt: history.art, advowareHistoryId: history.id }),
    ...extra
  })
}

/** The Document's attachment was replaced in EspoCRM by one with `hash`. */
export function changedInEspo (doc: EspoDocument, hash: string, modifiedAt = '2026-03-24 08:00:00'): { doc: EspoDocument, hash: [string, string] } {
  return { doc: { ...doc, fileId: `${doc.fileId ?? 'file'}-v2`, modifiedAt }, hash: [doc.id, hash] }
}

export function state (entries: BaseEntry[] = [], extra: Partial<AkteSyncState> = {}): AkteSyncState {
  return { version: 1, aktennummer: AKTENNUMMER, entries, tombstones: [], failures: [], ...extra }
}

export function baseEntry (doc: EspoDocument): BaseEntry {
  const path = doc.windowsPath ?? ''
  return { key: path.toLowerCase(), path, hash: doc.syncHash ?? '', usn: doc.syncUsn, fileId: doc.syncFileId, documentId: doc.id }
}

export interface Scenario {
  files?: WatcherFile[]
  documents?: EspoDocument[]
  hashes?: Array<[string, string]>
  history?: HistoryEntry[]
  state?: AkteSyncState | null
  akte?: AdvowareAkte
  options?: PlanInput['options']
}

export function plan (scenario: Scenario): Plan {
  return planAkte({
    aktennummer: AKTENNUMMER,
    akte: scenario.akte ?? AKTE,
    files: scenario.files ?? [],
    documents: scenario.documents ?? [],
    documentHashes: new Map(scenario.hashes ?? []),
    history: scenario.history ?? [],
    state: scenario.state ?? null,
    options: { now: NOW, ...scenario.options }
  })
}

/** `create-document`, `skip:unchanged`, `conflict:espo-wins`: what the table tests compare. */
export function label (action: Action): string {
  if (action.kind === 'skip') return `skip:${action.code}`
  if (action.kind === 'conflict') return `conflict:${action.winner}-wins`
  return action.kind
}

export function labels (p: Plan): string[] {
  return p.actions.map(label).sort()
}

export function only<K extends Action['kind']> (p: Plan, kind: K): Extract<Action, { kind: K }> {
  const found = p.actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === kind)
  if (found.length !== 1) throw new Error(`expected one ${kind}, got ${p.actions.map(label).join(', ')}`)
  return found[0] as Extract<Action, { kind: K }>
}
