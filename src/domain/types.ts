/**
 * The shapes the three systems' data take inside the service. Clients map the
 * wire formats (and the configurable EspoCRM field names) to these; the sync
 * core only ever sees these.
 */

/** One file on the share, as the Watcher lists it. */
export interface WatcherFile {
  /** Relative to the Akte folder, `/`-separated, as the Watcher spells it. */
  path: string
  size: number
  /** 64-bit USN as decimal digits: never a JS number (values pass 2^53). */
  usn: string
  blake3Hash: string
  /** ISO 8601 with the share's offset, e.g. `2026-03-24T10:15:00+01:00`. */
  modified: string
}

export interface WatcherListing {
  akte: string
  files: WatcherFile[]
}

/** What the Watcher answers after a verified upload. */
export interface WatcherUploadResult {
  path: string
  usn: string
  blake3Hash: string
}

export type FileStatus = 'new' | 'changed' | 'synced' | 'deleted' | 'conflict' | 'skipped'
export type SyncStatus = 'pending' | 'syncing' | 'synced' | 'partial' | 'failed' | 'blocked'

/** An EspoCRM Document with its sync bookkeeping, in domain names. */
export interface EspoDocument {
  id: string
  name: string
  akteId: string | null
  fileId: string | null
  fileName: string | null
  /** Path relative to the Akte folder, `/`-separated. */
  windowsPath: string | null
  /** Hash of the current attachment as last computed by the service. */
  blake3Hash: string | null
  /** Base: hash, USN and fileId at the last successful sync. */
  syncHash: string | null
  syncUsn: string | null
  syncFileId: string | null
  fileStatus: FileStatus | null
  syncStatus: SyncStatus | null
  syncError: string | null
  lastSync: string | null
  publishDate: string | null
  description: string | null
  historyArt: string | null
  advowareHistoryId: string | null
  /** EspoCRM datetime: `YYYY-MM-DD HH:mm:ss`, UTC without zone. */
  modifiedAt: string | null
  createdAt: string | null
}

/** The EspoCRM Akte record (entity `CAkte` by default). */
export interface EspoAkte {
  id: string
  name: string
  aktennummer: string
  advowareAkteId: string | null
  status: string | null
  syncStatus: SyncStatus | null
  lastSync: string | null
  syncError: string | null
  modifiedAt: string | null
}

/** The Akte in Advoware. */
export interface AdvowareAkte {
  id: string
  aktennummer: string
  archived: boolean
  archivedAt: string | null
}

/** One Advoware History entry. */
export interface HistoryEntry {
  id: string
  /** Local time of the firm (Europe/Berlin), no zone: `2026-03-24T10:15:00`. */
  datum: string
  text: string
  art: string
  /** Linked file: relative to the Akte folder or an absolute Windows path; null links none. */
  datei: string | null
}

export interface NewHistoryEntry {
  datum: string
  text: string
  art: string
  datei: string
}
