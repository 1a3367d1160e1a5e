import type { ServiceMetrics } from '../metrics/service-metrics.js'
import type { Store } from '../store/types.js'
import type { SyncOptionsInput } from './options.js'
import type { SyncAdvoware, SyncEspo, SyncLogger, SyncWatcher } from './ports.js'
import type { ProgressListener } from './progress.js'

/** How one Akte is synced; the plan options (ignore patterns, guard limits, path limits) included. */
export interface SyncAkteOptions extends Omit<SyncOptionsInput, 'force' | 'now'> {
  /** EspoCRM Akte statuses that are synced. */
  activeStatuses?: readonly string[]
  /** Files transferred (and attachments hashed) at once. */
  fileConcurrency?: number
  /** EspoCRM status set when the Advoware Akte is archived. */
  archivedStatus?: string
  /** After this many transient failures in one run no further action starts. */
  maxTransientFailures?: number
  /** The base mirror is saved at most this often during a long run (and always at its end). */
  stateSaveIntervalMs?: number
  /** A long transfer is logged at most this often. */
  progressLogIntervalMs?: number
}

export interface ResolvedRunOptions {
  activeStatuses: readonly string[]
  fileConcurrency: number
  archivedStatus: string
  maxTransientFailures: number
  stateSaveIntervalMs: number
  progressLogIntervalMs: number
  plan: Omit<SyncOptionsInput, 'force' | 'now'>
}

export const DEFAULT_ACTIVE_STATUSES = ['Neu', 'Aktiv', 'Import'] as const

export function resolveRunOptions (options: SyncAkteOptions = {}): ResolvedRunOptions {
  const {
    activeStatuses, fileConcurrency, archivedStatus, maxTransientFailures, stateSaveIntervalMs, progressLogIntervalMs, ...plan
  } = options
  return {
    activeStatuses: activeStatuses ?? DEFAULT_ACTIVE_STATUSES,
    fileConcurrency: Math.max(1, fileConcurrency ?? 4),
    archivedStatus: archivedStatus ?? 'Abgelegt',
    maxTransientFailures: Math.max(1, maxTransientFailures ?? 5),
    stateSaveIntervalMs: stateSaveIntervalMs ?? 5_000,
    progressLogIntervalMs: progressLogIntervalMs ?? 10_000,
    plan
  }
}

export interface SyncAkteDeps {
  espocrm: SyncEspo
  advoware: SyncAdvoware
  watcher: SyncWatcher
  store: Store
  log: SyncLogger
  metrics?: ServiceMetrics
  options?: SyncAkteOptions
  /** The clock (tests). */
  now?: () => Date
}

export interface SyncRequest {
  aktennummer: string
  /** Plan only: nothing is written anywhere, not even the Akte record or the store. */
  dryRun?: boolean
  /** Run past the mass-delete guard (an admin's decision; also requested through the store's 'force' entry). */
  force?: boolean
  /** Aborts when the lock or lease is lost or the service stops: no write after it. */
  signal: AbortSignal
  onProgress?: ProgressListener
}

/** Store namespace where an admin asks for a forced sync of an Aktennummer. */
export const FORCE_NAMESPACE = 'force'
