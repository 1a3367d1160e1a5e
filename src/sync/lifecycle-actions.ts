import type { EspoDocument, HistoryEntry, WatcherFile } from '../domain/types.js'
import { documentPatch, expectDocument, expectNoWindowsFile, expectWindows } from './build-actions.js'
import type { DetectedBase, ForgetAction, MoveDocumentAction, SoftDeleteDocumentAction, TombstoneAction } from './types.js'

/* Constructors for actions that follow a file's life: rename, deletion, tombstone. */

export function moveDocument (
  from: DetectedBase, key: string, file: WatcherFile, doc: EspoDocument, history: HistoryEntry | null
): MoveDocumentAction {
  return {
    kind: 'move-document',
    key,
    path: file.path,
    fromPath: from.path,
    reason: `renamed on Windows from ${from.path}`,
    direction: 'windows->espo',
    size: null,
    windows: expectWindows(file),
    document: expectDocument(doc, from.hash),
    patch: documentPatch(doc, history, file.path),
    base: {
      op: 'set',
      entry: { key, path: file.path, hash: file.blake3Hash, usn: file.usn, fileId: doc.fileId, documentId: doc.id },
      fromResult: [],
      previousKey: from.key
    }
  }
}

export function softDeleteDocument (base: DetectedBase, doc: EspoDocument, docHash: string): SoftDeleteDocumentAction {
  return {
    kind: 'soft-delete-document',
    key: base.key,
    path: base.path,
    reason: 'deleted on Windows, unchanged in EspoCRM: the Document is marked deleted, its file kept',
    direction: 'windows->espo',
    size: null,
    windows: expectNoWindowsFile(base.path),
    document: expectDocument(doc, docHash),
    patch: { fileStatus: 'deleted' },
    // The Document keeps its sync fields; with fileStatus 'deleted' they say "agreed: no file".
    base: { op: 'forget' }
  }
}

export function tombstone (base: DetectedBase, file: WatcherFile, deletedAt: string): TombstoneAction {
  return {
    kind: 'tombstone',
    key: base.key,
    path: file.path,
    reason: 'Document deleted in EspoCRM, file unchanged: left on the share, not re-created',
    direction: 'none',
    size: null,
    windows: expectWindows(file),
    document: null,
    base: {
      op: 'tombstone',
      tombstone: { key: base.key, path: file.path, hash: base.hash, documentId: base.documentId, deletedAt }
    }
  }
}

export function forget (base: DetectedBase): ForgetAction {
  return {
    kind: 'forget',
    key: base.key,
    path: base.path,
    reason: 'gone on both sides',
    direction: 'none',
    size: null,
    windows: expectNoWindowsFile(base.path),
    document: null,
    base: { op: 'forget' }
  }
}
