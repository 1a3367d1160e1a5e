import type { EspoDocument, HistoryEntry, NewHistoryEntry, WatcherFile } from '../domain/types.js'

/*
 * Sync-only types. Everything a plan carries is plain JSON (no Map, Date or
 * undefined), because the dry-run plan travels over the admin API.
 */

// ---------------------------------------------------------------- the base

/** What both sides agreed on for one file at its last successful sync. */
export interface BaseEntry {
  /** `fileKey(path)`: NFC, lowercase, `/`-separated. */
  key: string
  /** Relative path as the Watcher spells it. */
  path: string
  hash: string
  /** Decimal USN string; null only for bases written before USNs were kept. */
  usn: string | null
  fileId: string | null
  documentId: string | null
}

/** A file whose Document was deleted in EspoCRM: the file stays on the share and is not re-created. */
export interface Tombstone {
  key: string
  path: string
  hash: string
  documentId: string | null
  deletedAt: string
}

/** A transfer the target refused for good (file type, size); not retried while the content stays the same. */
export interface PermanentFailure {
  /** Side whose content was refused. */
  source: 'windows' | 'espo'
  key: string
  hash: string
  documentId: string | null
  /** For source 'espo': the refused attachment, so its hash need not be computed again. */
  fileId: string | null
  reason: string
  at: string
}

/**
 * The store's mirror of the base for one Akte. The Document's own sync fields
 * are the primary record; the mirror adds what no Document can hold any more.
 */
export interface AkteSyncState {
  version: 1
  aktennummer: string
  entries: BaseEntry[]
  tombstones: Tombstone[]
  failures: PermanentFailure[]
}

// ---------------------------------------------------------------- detection

/**
 * Where a file's base comes from: a live Document ('document'), a Document
 * soft-deleted because its file left the share ('soft-deleted', agreed state:
 * no file), the store for a Document deleted in EspoCRM ('store'), or a tombstone.
 */
export type BaseOrigin = 'document' | 'soft-deleted' | 'store' | 'tombstone'

export interface DetectedBase extends BaseEntry {
  origin: BaseOrigin
}

/** 'touched': USN moved, content equal. 'unknown': the Watcher sent no hash. */
export type WindowsChange = 'absent' | 'created' | 'unchanged' | 'touched' | 'modified' | 'deleted' | 'unknown'
/** 'unknown': the attachment changed and nobody computed its hash, or the Document has no file. */
export type EspoChange = 'absent' | 'created' | 'unchanged' | 'modified' | 'deleted' | 'unknown'

/** Everything known about one file key, and what changed on each side since the base. */
export interface FileCase {
  key: string
  base: DetectedBase | null
  /** The in-scope Windows file (linked from the History, or already synced). */
  windows: WatcherFile | null
  /** A listed file nobody links, lying where a new Document wants to go. */
  unlinkedWindows: WatcherFile | null
  document: EspoDocument | null
  documentHash: string | null
  history: HistoryEntry | null
  windowsChange: WindowsChange
  espoChange: EspoChange
}

// ---------------------------------------------------------------- actions

export type Direction = 'windows->espo' | 'espo->windows' | 'none'

/** What the Watcher must still list at `path` (compared by key) right before a write. */
export type WindowsExpectation =
  | { path: string, state: 'absent' }
  | { path: string, state: 'present', usn: string, hash: string }

/** What the Document must still look like right before a write; `hash` is its content's hash. */
export interface DocumentExpectation {
  documentId: string
  fileId: string | null
  modifiedAt: string | null
  hash: string
}

export type DocumentPatch = Partial<Pick<EspoDocument,
  'windowsPath' | 'description' | 'publishDate' | 'historyArt' | 'advowareHistoryId' | 'fileStatus'>>

/** Fields of a Document to create (its attachment comes from the action's source). */
export interface NewDocument {
  name: string
  fileName: string
  publishDate: string
  description: string | null
  historyArt: string | null
  advowareHistoryId: string | null
  windowsPath: string | null
  fileStatus: 'synced' | 'conflict'
}

/** Base fields only the write's answer knows (new ids, the USN the Watcher assigns, its spelling of the path). */
export type BaseResultField = 'path' | 'usn' | 'fileId' | 'documentId'

/** How the base for the action's key changes once the action succeeded. */
export type BaseChange =
  | { op: 'keep' }
  /** Write `entry` (Document sync fields and store); drops a tombstone or failure at the key and the entry at `previousKey`. */
  | { op: 'set', entry: BaseEntry, fromResult: BaseResultField[], previousKey: string | null }
  /** Drop the store's entry and tombstone for the key; the Document's sync fields stay. */
  | { op: 'forget' }
  | { op: 'tombstone', tombstone: Tombstone }

interface ActionCommon {
  key: string
  /** The relative Windows path the action is about (the target for uploads). */
  path: string
  reason: string
  direction: Direction
  /** Bytes to transfer when known (EspoCRM does not tell attachment sizes). */
  size: number | null
  /** Preconditions: re-check right before writing; null = no expectation on that side. */
  windows: WindowsExpectation | null
  document: DocumentExpectation | null
  base: BaseChange
}

export interface CreateDocumentAction extends ActionCommon {
  kind: 'create-document'
  newDocument: NewDocument
}

export interface UpdateDocumentFileAction extends ActionCommon {
  kind: 'update-document-file'
  patch: DocumentPatch
}

/**
 * For a Document without base, write `patch.windowsPath` to it before the PUT: a run that stops
 * midway then leaves a Document naming its file, which the next plan links instead of copying.
 */
export interface UploadToWindowsAction extends ActionCommon {
  kind: 'upload-to-windows'
  /** History entry to create after the upload; its id becomes the Document's advowareHistoryId. */
  historyEntry: NewHistoryEntry | null
  patch: DocumentPatch
}

/** Both sides already hold the same content: record the base, transfer nothing. */
export interface LinkAction extends ActionCommon {
  kind: 'link'
  historyEntry: NewHistoryEntry | null
  patch: DocumentPatch
}

/** Content unchanged, bookkeeping moved on (USN, fileId, blake3Hash): write only the base. */
export interface AdvanceBaseAction extends ActionCommon {
  kind: 'advance-base'
  patch: DocumentPatch
}

export interface UpdateMetadataAction extends ActionCommon {
  kind: 'update-metadata'
  patch: DocumentPatch
}

/** Renamed on Windows: the Document follows to the new path. */
export interface MoveDocumentAction extends ActionCommon {
  kind: 'move-document'
  fromPath: string
  patch: DocumentPatch
}

export interface SoftDeleteDocumentAction extends ActionCommon {
  kind: 'soft-delete-document'
  patch: DocumentPatch
}

/** Store-only: the Document was deleted in EspoCRM, the file stays on the share. */
export interface TombstoneAction extends ActionCommon {
  kind: 'tombstone'
}

/** Store-only: gone on both sides. */
export interface ForgetAction extends ActionCommon {
  kind: 'forget'
}

/** The loser's bytes, kept as a new EspoCRM Document that is never synced. */
export interface ConflictCopy {
  from: 'windows' | 'espo'
  hash: string
  size: number | null
  newDocument: NewDocument
  /** A conflict copy with this content exists already (an earlier run stopped after the copy): do not copy again. */
  keptAs: string | null
}

/** Changed on both sides: first `copy` the loser, and only once it exists run `then` for the winner. */
export interface ConflictAction extends ActionCommon {
  kind: 'conflict'
  winner: 'windows' | 'espo'
  windowsModified: string | null
  espoModifiedAt: string | null
  copy: ConflictCopy
  then: UpdateDocumentFileAction | UploadToWindowsAction
}

export type SkipCode =
  | 'unchanged' | 'tombstoned' | 'deleted-on-windows' | 'ignored' | 'permanent-failure'
  | 'invalid-name' | 'hash-missing' | 'duplicate' | 'no-file' | 'no-path'

export interface SkipAction extends ActionCommon {
  kind: 'skip'
  code: SkipCode
}

export type Action =
  | CreateDocumentAction | UpdateDocumentFileAction | UploadToWindowsAction | LinkAction
  | AdvanceBaseAction | UpdateMetadataAction | MoveDocumentAction | SoftDeleteDocumentAction
  | TombstoneAction | ForgetAction | ConflictAction | SkipAction

export type ActionKind = Action['kind']

// ---------------------------------------------------------------- plan

export type PlanStatus = 'ok' | 'archived' | 'blocked'

export interface PlanCounts {
  byKind: Record<ActionKind, number>
  /** Actions that write to Windows, EspoCRM or Advoware (store-only and skips excluded). */
  writes: number
  bytesToEspo: number
  /** Known sizes only (EspoCRM attachment sizes are unknown at plan time). */
  bytesToWindows: number
}

export interface Plan {
  aktennummer: string
  status: PlanStatus
  reason: string | null
  /** In order: propagate them one after another. */
  actions: Action[]
  counts: PlanCounts
  /**
   * The base as detected (store mirror refreshed from the Documents). Apply each
   * succeeded action's `base` to it and save the result.
   */
  state: AkteSyncState
  createdAt: string
}
