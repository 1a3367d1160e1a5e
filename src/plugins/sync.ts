import fp from 'fastify-plugin'
import type { AppConfig } from '../config/schema.js'
import type { SyncRunner } from '../queue/types.js'
import { syncAkte, type SyncAkteDeps, type SyncAkteOptions, type SyncRequest, type SyncSummary } from '../sync/run-akte.js'
import { createSyncRunner } from '../sync/sync-runner.js'

export interface SyncService {
  /** One Akte now (CLI, admin dry run); the queue uses `runner`. */
  syncNow: (request: Omit<SyncRequest, 'signal'> & { signal?: AbortSignal }) => Promise<SyncSummary>
  runner: SyncRunner
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Absent while EspoCRM, Advoware or the Watcher is not configured. */
    syncService?: SyncService
  }
}

/** Folder names are the Watcher's business; this bound keeps uploaded names valid for Aktennummern up to 32 characters. */
const TYPICAL_FOLDER_NAME = 32

export function syncOptions (config: AppConfig): SyncAkteOptions {
  return {
    activeStatuses: config.ESPOCRM_ACTIVE_STATUSES.split(',').map(s => s.trim()).filter(Boolean),
    archivedStatus: config.ESPOCRM_ARCHIVED_STATUS,
    fileConcurrency: config.SYNC_FILE_CONCURRENCY,
    ignorePatterns: config.SYNC_IGNORE_PATTERNS.split(',').map(s => s.trim()).filter(Boolean),
    maxDeleteShare: config.SYNC_MASS_DELETE_MAX_SHARE,
    minDeleteCount: config.SYNC_MASS_DELETE_MIN_COUNT,
    historyArt: config.ADVOWARE_HISTORY_ART,
    akteFolderPathLength: config.WATCHER_SHARE_PATH.replace(/[\\/]+$/, '').length + 1 + TYPICAL_FOLDER_NAME
  }
}

/** The sync engine over the configured clients and the store. */
export default fp(async (app) => {
  const { espocrm, advoware, watcher } = app.clients
  if (espocrm === undefined || advoware === undefined || watcher === undefined) return
  const deps: SyncAkteDeps = { espocrm, advoware, watcher, store: app.store, log: app.log, metrics: app.metrics, options: syncOptions(app.config) }
  app.decorate('syncService', {
    // The engine puts the Aktennummer on each of its log lines itself: a child logger binding it too would
    // write the key twice.
    syncNow: async request => await syncAkte(deps, { ...request, signal: request.signal ?? new AbortController().signal }),
    runner: createSyncRunner(deps)
  } satisfies SyncService)
}, { name: 'sync', dependencies: ['config', 'store', 'metrics', 'clients'] })
