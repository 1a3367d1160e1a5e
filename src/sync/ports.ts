import type { AdvowareClient } from '../clients/advoware/index.js'
import type { EspoClient } from '../clients/espocrm/index.js'
import type { WatcherClient } from '../clients/watcher/index.js'

/*
 * The parts of the three clients the sync engine uses. Structural types, so
 * unit tests can hand in small fakes instead of HTTP clients.
 */

export type SyncEspo = Pick<EspoClient,
  'findAkteByAktennummer' | 'listDocumentsOfAkte' | 'getDocument' | 'createDocument' | 'updateDocument' |
  'uploadAttachment' | 'downloadAttachment' | 'updateAkte'>

export type SyncAdvoware = Pick<AdvowareClient, 'getAkte' | 'listHistory' | 'createHistoryEntry'>

export type SyncWatcher = Pick<WatcherClient, 'listFiles' | 'download' | 'upload'>

export interface SyncClients {
  espocrm: SyncEspo
  advoware: SyncAdvoware
  watcher: SyncWatcher
}

type LogFn = (obj: object, msg?: string) => void

/** What the engine logs through: a pino (Fastify) logger fits. */
export interface SyncLogger {
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
}
