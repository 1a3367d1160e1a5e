import { formatEspoDateTime, type EspoAktePatch } from '../clients/espocrm/index.js'
import type { SyncStatus } from '../domain/types.js'
import { LASTING_SKIPS, type PropagationResult } from './propagate.js'
import type { SkippedAction, SyncError, SyncResultStatus } from './summary.js'

/* How a propagated plan ends: the run's status, and what the EspoCRM Akte record says about it. */

export interface RunOutcome {
  status: Extract<SyncResultStatus, 'synced' | 'partial' | 'failed'>
  transient: boolean
  reason?: string
  errors: SyncError[]
  skipped: SkippedAction[]
}

export function runOutcome (result: PropagationResult, earlier: readonly SyncError[] = []): RunOutcome {
  const errors: SyncError[] = [...earlier]
  const skipped: SkippedAction[] = []
  for (const r of result.reports) {
    if (r.outcome === 'failed') errors.push({ key: r.key, path: r.path, kind: r.kind, message: r.message, permanent: r.permanent })
    if (r.outcome === 'precondition') skipped.push({ key: r.key, path: r.path, kind: r.kind, reason: r.message })
    // Not retried, but still not synced: the Akte keeps saying so.
    if (r.outcome === 'skipped' && r.code !== null && LASTING_SKIPS.has(r.code)) {
      errors.push({ key: r.key, path: r.path, kind: r.kind, message: r.message, permanent: true })
    }
  }
  const notRun = result.reports.filter(r => r.outcome === 'not-run' || r.outcome === 'aborted').length
  const transientErrors = errors.filter(e => !e.permanent).length
  if (result.aborted) {
    return { status: 'failed', transient: true, reason: result.stoppedBecause ?? 'sync stopped', errors, skipped }
  }
  if (transientErrors > 0 || notRun > 0) {
    const reason = `${transientErrors} transient failure(s)${notRun > 0 ? `, ${notRun} action(s) not started` : ''}; retried later`
    return { status: 'failed', transient: true, reason, errors, skipped }
  }
  if (errors.length > 0 || skipped.length > 0) {
    const parts = [
      ...(errors.length > 0 ? [`${errors.length} file(s) cannot be synced`] : []),
      ...(skipped.length > 0 ? [`${skipped.length} file(s) changed during the sync`] : [])
    ]
    // Files that changed meanwhile converge on a prompt retry; refused ones do not.
    return { status: 'partial', transient: skipped.length > 0, reason: parts.join(', '), errors, skipped }
  }
  return { status: 'synced', transient: false, errors, skipped }
}

const MAX_SYNC_ERROR = 2_000

/** The Akte's `syncError`: the reason and the first failures, short enough for a text field. */
export function describeErrors (reason: string | undefined, errors: readonly SyncError[]): string | null {
  if (reason === undefined && errors.length === 0) return null
  const lines = errors.slice(0, 5).map(e => `${e.path === '' ? e.kind : e.path}: ${e.message}`)
  if (errors.length > 5) lines.push(`... and ${errors.length - 5} more`)
  const text = [reason, ...lines].filter((line): line is string => line !== undefined && line !== '').join('\n')
  return text.length > MAX_SYNC_ERROR ? `${text.slice(0, MAX_SYNC_ERROR - 3)}...` : text
}

/** The one Akte write of a run. */
export function aktePatch (syncStatus: SyncStatus, now: Date, syncError: string | null, status?: string): EspoAktePatch {
  return { ...(status === undefined ? {} : { status }), syncStatus, lastSync: formatEspoDateTime(now), syncError }
}
