import type { SyncRunner } from '../queue/types.js'
import { syncAkte, toSyncOutcome } from './run-akte.js'
import type { SyncAkteDeps } from './run-options.js'

/**
 * The queue worker's view of the engine: one claimed Akte, synced with the
 * job's signal and logger, answered as done or retry.
 */
export function createSyncRunner (deps: Omit<SyncAkteDeps, 'log'> & Partial<Pick<SyncAkteDeps, 'log'>>): SyncRunner {
  return async job => {
    const summary = await syncAkte({ ...deps, log: deps.log ?? job.log }, { aktennummer: job.aktennummer, signal: job.signal })
    return toSyncOutcome(summary)
  }
}
