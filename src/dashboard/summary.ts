import { count, firstInstant, firstText, isRecord, text } from './coerce.js'

/*
 * The last result of an Akte's sync as the dashboard and `GET /admin/api/akten`
 * show it. The sync engine stores a SyncSummary in the state namespace
 * 'result' under the Aktennummer; this reads it defensively, because the
 * store may hold a summary written by another version (or nothing sensible).
 */


/** Errors listed per Akte; the rest are only counted. */
export const MAX_ERRORS = 20
const MAX_COUNT_KINDS = 40

export interface AkteError {
  path: string
  message: string
  permanent: boolean
}

export interface AkteResult {
  aktennummer: string
  /** 'synced', 'partial', 'failed', 'blocked', ... or 'unknown' when the summary has none. */
  status: string
  reason: string | null
  /** Actions per kind; zeros are left out. */
  counts: Record<string, number>
  bytes: { toEspo: number, toWindows: number }
  durationMs: number | null
  /** The run was a forced sync (past the mass-delete guard). */
  forced: boolean
  /** Actions left because a precondition no longer held (retried on the next run). */
  skipped: number
  errors: AkteError[]
  /** All errors of the run, including those not listed. */
  errorCount: number
  finishedAt: string | null
}

function readCounts (raw: unknown): Record<string, number> {
  if (!isRecord(raw)) return {}
  // A PlanCounts-like value keeps the per-kind numbers in `byKind`.
  const source = isRecord(raw['byKind']) ? raw['byKind'] : raw
  const counts: Record<string, number> = {}
  for (const [kind, value] of Object.entries(source).slice(0, MAX_COUNT_KINDS)) {
    const n = count(value)
    if (n !== null && n > 0) counts[kind.slice(0, 64)] = n
  }
  return counts
}

function readError (raw: unknown): AkteError {
  if (!isRecord(raw)) return { path: '', message: text(raw) ?? 'unreadable error', permanent: false }
  return {
    path: firstText(raw, ['path', 'key', 'fileName'], 500) ?? '',
    message: firstText(raw, ['message', 'error', 'reason']) ?? 'no message',
    permanent: raw['permanent'] === true
  }
}

export function readAkteResult (aktennummer: string, raw: unknown): AkteResult {
  if (!isRecord(raw)) {
    return { aktennummer, status: 'unknown', reason: 'the stored result is unreadable', counts: {}, bytes: { toEspo: 0, toWindows: 0 }, durationMs: null, forced: false, skipped: 0, errors: [], errorCount: 0, finishedAt: null }
  }
  const bytes = isRecord(raw['bytes']) ? raw['bytes'] : {}
  const errors = Array.isArray(raw['errors']) ? raw['errors'] : []
  return {
    aktennummer,
    status: firstText(raw, ['status'], 40) ?? 'unknown',
    reason: firstText(raw, ['reason']),
    counts: readCounts(raw['counts']),
    bytes: { toEspo: count(bytes['toEspo']) ?? 0, toWindows: count(bytes['toWindows']) ?? 0 },
    durationMs: count(raw['durationMs']),
    forced: raw['forced'] === true,
    skipped: Array.isArray(raw['skipped']) ? raw['skipped'].length : 0,
    errors: errors.slice(0, MAX_ERRORS).map(readError),
    errorCount: errors.length,
    finishedAt: firstInstant(raw, ['finishedAt', 'at'])
  }
}

/** Newest first; results without a time last, then by Aktennummer so the order is stable. */
export function byFinishedDesc (a: AkteResult, b: AkteResult): number {
  if (a.finishedAt !== b.finishedAt) {
    if (a.finishedAt === null) return 1
    if (b.finishedAt === null) return -1
    return a.finishedAt < b.finishedAt ? 1 : -1
  }
  return a.aktennummer.localeCompare(b.aktennummer)
}
