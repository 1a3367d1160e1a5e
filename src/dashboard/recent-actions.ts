import { count, firstInstant, firstText, isRecord, text } from './coerce.js'

/*
 * Recent actions of an Akte, from the state namespace 'recent-actions' (id:
 * Aktennummer), written by the sync engine. Its exact shape is the engine's
 * business; this reads an array of entries (or `{ actions: [...] }`) and
 * takes from each entry what it can recognise.
 */

const MAX_PER_AKTE = 50

export interface RecentAction {
  aktennummer: string
  at: string | null
  kind: string
  /** 'windows->espo', 'espo->windows', or '' */
  direction: string
  path: string
  /** What became of the action ('done', 'failed', ...), as the engine calls it. */
  outcome: string
  bytes: number | null
  detail: string
}

function readEntry (aktennummer: string, raw: unknown): RecentAction {
  if (!isRecord(raw)) return { aktennummer, at: null, kind: '', direction: '', path: '', outcome: '', bytes: null, detail: text(raw, 500) ?? '' }
  const path = firstText(raw, ['path', 'key', 'fileName', 'name'], 500) ?? ''
  const from = firstText(raw, ['fromPath'], 500)
  return {
    aktennummer,
    at: firstInstant(raw, ['at', 'finishedAt', 'timestamp', 'time', 'date']),
    kind: firstText(raw, ['kind', 'action', 'type'], 64) ?? '',
    direction: firstText(raw, ['direction'], 32) ?? '',
    path: from === null ? path : `${from} → ${path}`,
    outcome: firstText(raw, ['outcome', 'status', 'result'], 32) ?? '',
    bytes: count(raw['bytes']),
    detail: firstText(raw, ['message', 'error', 'reason'], 500) ?? ''
  }
}

export function readRecentActions (aktennummer: string, raw: unknown): RecentAction[] {
  const entries = Array.isArray(raw) ? raw : isRecord(raw) && Array.isArray(raw['actions']) ? raw['actions'] : []
  // The engine appends; the newest are at the end.
  return entries.slice(-MAX_PER_AKTE).map(entry => readEntry(aktennummer, entry))
    .filter(a => a.kind !== '' || a.path !== '' || a.detail !== '')
}

/** Newest first; entries without a time keep their relative order at the end. */
export function byActionTimeDesc (a: RecentAction, b: RecentAction): number {
  if (a.at === b.at) return 0
  if (a.at === null) return 1
  if (b.at === null) return -1
  return a.at < b.at ? 1 : -1
}
