import { formatEspoDateTime, type EspoDocumentPatch, type UpdateDocumentOptions, type VersionedEspoDocument } from '../clients/espocrm/index.js'
import type { WatcherFile } from '../domain/types.js'
import type { SyncClients, SyncLogger } from './ports.js'
import type { ProgressReporter } from './progress.js'
import type { StateKeeper } from './state-keeper.js'
import type { BaseEntry } from './types.js'

/** The share as listed right before the first write that depends on it. */
export interface WindowsSnapshot {
  /** False when the Watcher answered 404: the Akte folder does not exist. */
  exists: boolean
  /** By `fileKey(path)`. */
  files: Map<string, WatcherFile>
}

/** Everything an action's steps need. */
export interface PropagateContext {
  clients: SyncClients
  aktennummer: string
  /** The EspoCRM Akte record's id (Documents link to it). */
  espoAkteId: string
  advowareAkteId: string
  signal: AbortSignal
  now: () => Date
  state: StateKeeper
  progress: ProgressReporter
  log: SyncLogger
  /** The fresh listing, fetched once per run on first use. */
  windows: () => Promise<WindowsSnapshot>
  /** Documents this run created, even by an action that failed later (for the webhook index). */
  createdDocumentIds: string[]
}

/** What one carried-out action moved and touched. */
export interface ActionResult {
  bytesToEspo: number
  bytesToWindows: number
}

export const NOTHING_MOVED: ActionResult = { bytesToEspo: 0, bytesToWindows: 0 }

export type SyncFields = Required<Pick<EspoDocumentPatch, 'syncHash' | 'syncUsn' | 'syncFileId' | 'blake3Hash' | 'syncStatus' | 'lastSync' | 'syncError'>>

/** The base on the Document itself, written in the same request as the content it describes. */
export function syncFields (entry: BaseEntry, now: Date): SyncFields {
  return {
    syncHash: entry.hash,
    syncUsn: entry.usn,
    syncFileId: entry.fileId,
    blake3Hash: entry.hash,
    syncStatus: 'synced',
    lastSync: formatEspoDateTime(now),
    syncError: null
  }
}

/** Optimistic locking against the version read in the precondition check. */
export function lockedTo (doc: VersionedEspoDocument | null): UpdateDocumentOptions {
  return doc?.versionNumber === null || doc === null ? {} : { versionNumber: doc.versionNumber }
}
