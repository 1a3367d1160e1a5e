import type { SyncOutcome } from '../queue/types.js'
import type { Store } from '../store/types.js'
import { countActions } from './plan-counts.js'
import type { ActionOutcome, ActionReport } from './propagate.js'
import type { ActionKind, Direction, Plan } from './types.js'

/* What one Akte's sync did: returned to the caller, kept in the store for the admin API. */

export type SyncResultStatus =
  /** Every action went through. */
  | 'synced'
  /** Some files failed for good (recorded, not retried) or were left because they changed meanwhile. */
  | 'partial'
  /** A system failed or was unreachable: the Akte is retried later (see `transient`). */
  | 'failed'
  /** The mass-delete guard refused the plan: nothing written until a forced sync. */
  | 'blocked'
  /** Archived in Advoware: no file is synced, the EspoCRM Akte is marked inactive. */
  | 'archived'
  /** The EspoCRM Akte's status is not one that is synced. */
  | 'inactive'
  /** No EspoCRM Akte has this Aktennummer. */
  | 'not-found'
  /** Dry run: the plan, nothing written. */
  | 'planned'

export interface SyncError {
  key: string
  path: string
  /** The action that failed ('gather' and 'hash' for the stages before the plan). */
  kind: ActionKind | 'gather' | 'hash' | 'akte'
  message: string
  permanent: boolean
}

export interface SkippedAction {
  key: string
  path: string
  kind: ActionKind
  reason: string
}

export interface SyncSummary {
  aktennummer: string
  status: SyncResultStatus
  reason?: string
  /** The queue should try again later. */
  transient: boolean
  dryRun: boolean
  forced: boolean
  /** Actions carried out, by kind. */
  counts: Record<ActionKind, number>
  /** Actions planned, by kind (skips included). */
  planned: Record<ActionKind, number>
  bytes: { toEspo: number, toWindows: number }
  errors: SyncError[]
  /** Actions left because a precondition no longer held. */
  skipped: SkippedAction[]
  /** Only for a dry run. */
  plan?: Plan
  durationMs: number
  startedAt: string
  finishedAt: string
}

export const RESULT_NAMESPACE = 'result'
export const RECENT_ACTIONS = 'recent-actions'
export const RECENT_ACTIONS_KEPT = 50

export interface RecentAction {
  at: string
  kind: ActionKind
  path: string
  direction: Direction
  outcome: ActionOutcome
  bytes: number
  message: string
}

export function emptyCounts (): Record<ActionKind, number> {
  return countActions([]).byKind
}

/** What the queue worker makes of a summary. */
export function toSyncOutcome (summary: SyncSummary): SyncOutcome {
  if (summary.transient) return { kind: 'retry', error: summary.reason ?? summary.errors[0]?.message ?? summary.status }
  return { kind: 'done', status: summary.status }
}

/** The last result and the recent actions, for the admin API. Written even for runs that changed nothing. */
export async function saveSummary (store: Store, summary: SyncSummary, reports: readonly ActionReport[]): Promise<void> {
  const { plan: _plan, ...kept } = summary
  await store.setState(RESULT_NAMESPACE, summary.aktennummer, kept)
  const performed = reports.filter(r => r.outcome !== 'skipped' && r.outcome !== 'not-run')
  if (performed.length === 0) return
  const recent = await store.getState<RecentAction[]>(RECENT_ACTIONS, summary.aktennummer) ?? []
  const added = performed.map((r): RecentAction => ({
    at: summary.finishedAt, kind: r.kind, path: r.path, direction: r.direction, outcome: r.outcome, bytes: r.bytes, message: r.message
  }))
  await store.setState(RECENT_ACTIONS, summary.aktennummer, [...recent, ...added].slice(-RECENT_ACTIONS_KEPT))
}
