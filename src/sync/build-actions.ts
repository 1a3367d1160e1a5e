import type { EspoDocument, HistoryEntry, NewHistoryEntry, WatcherFile } from '../domain/types.js'
import { berlinDate, berlinDateOfInstant, berlinDateTime, datumDate } from './berlin-time.js'
import { documentNameForPath } from './document-name.js'
import { historyMetadata, metadataPatch } from './metadata.js'
import type { SyncOptions } from './options.js'
import { baseName, fileKey } from './paths.js'
import type {
  AdvanceBaseAction, BaseChange, CreateDocumentAction, DocumentExpectation, DocumentPatch, LinkAction,
  PermanentFailure, SkipAction, SkipCode, UpdateDocumentFileAction, UpdateMetadataAction,
  UploadToWindowsAction, WindowsExpectation
} from './types.js'

/*
 * Constructors for the actions that move or record content. Each one fills in
 * the preconditions propagation re-checks and the base it records afterwards.
 */

export function expectWindows (file: WatcherFile): WindowsExpectation {
  return { path: file.path, state: 'present', usn: file.usn, hash: file.blake3Hash }
}

export function expectNoWindowsFile (path: string): WindowsExpectation {
  return { path, state: 'absent' }
}

export function expectDocument (doc: EspoDocument, hash: string): DocumentExpectation {
  return { documentId: doc.id, fileId: doc.fileId, modifiedAt: doc.modifiedAt, hash }
}

export function findFailure (
  failures: readonly PermanentFailure[],
  source: 'windows' | 'espo',
  key: string,
  documentId: string | null,
  hash: string
): PermanentFailure | undefined {
  return failures.find(f => f.source === source && f.hash === hash &&
    (source === 'windows' ? f.key === key : f.documentId === documentId))
}

export function skipAction (key: string, path: string, code: SkipCode, reason: string, document: DocumentExpectation | null = null): SkipAction {
  return { kind: 'skip', code, key, path, reason, direction: 'none', size: null, windows: null, document, base: { op: 'keep' } }
}

/** `fileStatus: 'synced'` unless the Document already says so: patches stay minimal. */
export function syncedStatus (doc: EspoDocument): DocumentPatch {
  return doc.fileStatus === 'synced' ? {} : { fileStatus: 'synced' }
}

/** The Document's mirrored fields, its status and (when the share spells it differently) its windowsPath. */
export function documentPatch (doc: EspoDocument, history: HistoryEntry | null, windowsPath: string): DocumentPatch {
  const patch: DocumentPatch = { ...metadataPatch(doc, history), ...syncedStatus(doc) }
  if (doc.windowsPath !== windowsPath) patch.windowsPath = windowsPath
  return patch
}

function knownBase (key: string, file: WatcherFile, doc: EspoDocument): BaseChange {
  return {
    op: 'set',
    entry: { key, path: file.path, hash: file.blake3Hash, usn: file.usn, fileId: doc.fileId, documentId: doc.id },
    fromResult: [],
    previousKey: null
  }
}

export function createDocument (key: string, file: WatcherFile, history: HistoryEntry | null, options: SyncOptions, reason: string): CreateDocumentAction {
  return {
    kind: 'create-document',
    key,
    path: file.path,
    reason,
    direction: 'windows->espo',
    size: file.size,
    windows: expectWindows(file),
    document: null,
    newDocument: {
      name: documentNameForPath(file.path),
      fileName: baseName(file.path),
      publishDate: datumDate(history?.datum ?? null) ?? berlinDateOfInstant(file.modified) ?? berlinDate(options.now),
      description: history?.text ?? null,
      historyArt: history?.art ?? null,
      advowareHistoryId: history?.id ?? null,
      windowsPath: file.path,
      fileStatus: 'synced'
    },
    base: {
      op: 'set',
      entry: { key, path: file.path, hash: file.blake3Hash, usn: file.usn, fileId: null, documentId: null },
      fromResult: ['fileId', 'documentId'],
      previousKey: null
    }
  }
}

export function updateDocumentFile (
  key: string, file: WatcherFile, doc: EspoDocument, docHash: string, history: HistoryEntry | null, reason: string
): UpdateDocumentFileAction {
  return {
    kind: 'update-document-file',
    key,
    path: file.path,
    reason,
    direction: 'windows->espo',
    size: file.size,
    windows: expectWindows(file),
    document: expectDocument(doc, docHash),
    patch: documentPatch(doc, history, file.path),
    base: {
      op: 'set',
      entry: { key, path: file.path, hash: file.blake3Hash, usn: file.usn, fileId: null, documentId: doc.id },
      fromResult: ['fileId'],
      previousKey: null
    }
  }
}

export function newHistoryEntry (path: string, doc: EspoDocument, options: SyncOptions): NewHistoryEntry {
  const description = doc.description?.trim() ?? ''
  return {
    datum: berlinDateTime(options.now),
    // The Document mirrors `text` into its description: a description survives only if it is the text.
    text: description !== '' ? description : doc.name,
    art: options.historyArt,
    datei: path.replaceAll('/', options.historyPathSeparator)
  }
}

/** The patch that makes the Document mirror a History entry we are about to create (its id comes from the answer). */
function patchForNewEntry (doc: EspoDocument, entry: NewHistoryEntry, windowsPath: string): DocumentPatch {
  const { advowareHistoryId: _id, ...wanted } = historyMetadata({ id: '', ...entry })
  const patch: DocumentPatch = { ...syncedStatus(doc) }
  if ((doc.description ?? '') !== (wanted.description ?? '')) patch.description = wanted.description ?? null
  if ((doc.historyArt ?? '') !== (wanted.historyArt ?? '')) patch.historyArt = wanted.historyArt ?? null
  if (wanted.publishDate !== undefined && doc.publishDate !== wanted.publishDate) patch.publishDate = wanted.publishDate
  if (doc.windowsPath !== windowsPath) patch.windowsPath = windowsPath
  return patch
}

export interface UploadTarget {
  path: string
  windows: WindowsExpectation
  /** The entry linking the path, whose metadata the Document mirrors. */
  history: HistoryEntry | null
  /** Create a History entry linking the path (a file new to the Akte that no entry links yet). */
  createHistory: boolean
  /** The key the Document occupied before, when the upload gives it another one. */
  previousKey: string | null
}

export function uploadToWindows (
  target: UploadTarget, doc: EspoDocument, docHash: string, options: SyncOptions, reason: string
): UploadToWindowsAction {
  const key = fileKey(target.path)
  const historyEntry = target.createHistory ? newHistoryEntry(target.path, doc, options) : null
  return {
    kind: 'upload-to-windows',
    key,
    path: target.path,
    reason,
    direction: 'espo->windows',
    size: null,
    windows: target.windows,
    document: expectDocument(doc, docHash),
    historyEntry,
    patch: historyEntry === null
      ? documentPatch(doc, target.history, target.path)
      : patchForNewEntry(doc, historyEntry, target.path),
    base: {
      op: 'set',
      entry: { key, path: target.path, hash: docHash, usn: null, fileId: doc.fileId, documentId: doc.id },
      fromResult: ['path', 'usn'],
      previousKey: target.previousKey
    }
  }
}

export function link (
  key: string, file: WatcherFile, doc: EspoDocument, docHash: string, history: HistoryEntry | null,
  options: SyncOptions, reason: string
): LinkAction {
  // A file nobody links gets the History entry that makes it part of the Akte.
  const historyEntry = history === null ? newHistoryEntry(file.path, doc, options) : null
  return {
    kind: 'link',
    key,
    path: file.path,
    reason,
    direction: 'none',
    size: null,
    windows: expectWindows(file),
    document: expectDocument(doc, docHash),
    historyEntry,
    patch: historyEntry === null ? documentPatch(doc, history, file.path) : patchForNewEntry(doc, historyEntry, file.path),
    base: knownBase(key, file, doc)
  }
}

export function advanceBase (
  key: string, file: WatcherFile, doc: EspoDocument, docHash: string, history: HistoryEntry | null, reason: string
): AdvanceBaseAction {
  return {
    kind: 'advance-base',
    key,
    path: file.path,
    reason,
    direction: 'none',
    size: null,
    windows: expectWindows(file),
    document: expectDocument(doc, docHash),
    patch: { ...metadataPatch(doc, history), ...(doc.windowsPath === null ? { windowsPath: file.path } : {}) },
    base: knownBase(key, file, doc)
  }
}

export function updateMetadata (key: string, path: string, doc: EspoDocument, docHash: string, patch: DocumentPatch): UpdateMetadataAction {
  return {
    kind: 'update-metadata',
    key,
    path,
    reason: `Document out of step with the History: ${Object.keys(patch).join(', ')}`,
    direction: 'none',
    size: null,
    windows: null,
    document: expectDocument(doc, docHash),
    patch,
    base: { op: 'keep' }
  }
}
