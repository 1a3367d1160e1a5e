import type { EspoDocument } from '../domain/types.js'
import {
  advanceBase, createDocument, expectDocument, expectNoWindowsFile, expectWindows, findFailure, link,
  skipAction, updateDocumentFile, updateMetadata, uploadToWindows
} from './build-actions.js'
import { conflictAction } from './conflict-action.js'
import type { Detection } from './detect.js'
import { forget, softDeleteDocument, tombstone } from './lifecycle-actions.js'
import { metadataPatch } from './metadata.js'
import { planNewUploads } from './new-uploads.js'
import type { SyncOptions } from './options.js'
import { pairRenames } from './renames.js'
import type { Action, ActionKind, DetectedBase, FileCase, PermanentFailure } from './types.js'
import { sameUsn } from './usn.js'

/*
 * Reconcile: one decision per file key from what changed on each side (the
 * truth table), plus renames and new EspoCRM Documents. The result is data.
 */

type Decision = Action | 'upload-new'
type Copies = ReadonlyMap<string, string>

/** A transfer the target refused for good is not tried again while the content is the same. */
function unlessRefused (action: Action, failures: readonly PermanentFailure[]): Action {
  const refusal = (source: 'windows' | 'espo', hash: string | undefined): PermanentFailure | undefined =>
    hash === undefined ? undefined : findFailure(failures, source, action.key, action.document?.documentId ?? null, hash)
  const windowsHash = action.windows?.state === 'present' ? action.windows.hash : undefined
  const found = action.kind === 'create-document' || action.kind === 'update-document-file'
    ? refusal('windows', windowsHash)
    : action.kind === 'upload-to-windows'
      ? refusal('espo', action.document?.hash)
      : action.kind === 'conflict'
        // The copy always goes into EspoCRM: only Windows content can have been refused there.
        ? (action.copy.from === 'windows' ? refusal('windows', action.copy.hash) : undefined) ??
          refusal(action.winner, action.winner === 'windows' ? windowsHash : action.document?.hash)
        : undefined
  if (found === undefined) return action
  return skipAction(action.key, action.path, 'permanent-failure', `refused before for the same content: ${found.reason}`, action.document)
}

function restoreToWindows (c: FileCase, base: DetectedBase, doc: EspoDocument, hash: string, options: SyncOptions, reason: string): Action {
  return uploadToWindows(
    { path: base.path, windows: expectNoWindowsFile(base.path), history: c.history, createHistory: false, previousKey: null },
    doc, hash, options, reason)
}

function decideNew (c: FileCase, options: SyncOptions, copies: Copies): Decision {
  const { windows: file, document: doc, documentHash: hash } = c
  if (file !== null && doc !== null && hash !== null) {
    return file.blake3Hash === hash
      ? link(c.key, file, doc, hash, c.history, options, 'new on both sides with the same content')
      : conflictAction(c, file, doc, hash, options, copies, 'new on both sides with different content')
  }
  if (file !== null) return createDocument(c.key, file, c.history, options, 'new on Windows')
  if (doc !== null) return 'upload-new'
  return skipAction(c.key, c.key, 'unchanged', 'nothing on either side')
}

function decideSynced (c: FileCase, base: DetectedBase, doc: EspoDocument, hash: string, options: SyncOptions, copies: Copies): Action {
  const file = c.windows
  if (file === null) {
    return c.espoChange === 'unchanged'
      ? softDeleteDocument(base, doc, hash)
      : restoreToWindows(c, base, doc, hash, options, 'deleted on Windows but changed in EspoCRM: restored')
  }
  if (c.espoChange === 'unchanged') {
    if (c.windowsChange === 'modified') return updateDocumentFile(c.key, file, doc, hash, c.history, 'changed on Windows')
    const bookkeepingMoved = c.windowsChange === 'touched' || !sameUsn(base.usn, file.usn) ||
      doc.fileId !== base.fileId || doc.blake3Hash !== hash
    if (bookkeepingMoved) return advanceBase(c.key, file, doc, hash, c.history, 'content unchanged, base moves on (USN or attachment id)')
    // A lost windowsPath is put back; a mere difference in spelling is not worth a write.
    const patch = { ...metadataPatch(doc, c.history), ...(doc.windowsPath === null ? { windowsPath: file.path } : {}) }
    if (Object.keys(patch).length > 0) return updateMetadata(c.key, file.path, doc, hash, patch)
    return skipAction(c.key, file.path, 'unchanged', 'unchanged on both sides', null)
  }
  if (c.windowsChange === 'modified') {
    return file.blake3Hash === hash
      ? advanceBase(c.key, file, doc, hash, c.history, 'changed on both sides to the same content')
      : conflictAction(c, file, doc, hash, options, copies, 'changed on both sides')
  }
  return uploadToWindows(
    { path: file.path, windows: expectWindows(file), history: c.history, createHistory: false, previousKey: null },
    doc, hash, options, 'changed in EspoCRM')
}

function decideSoftDeleted (c: FileCase, base: DetectedBase, doc: EspoDocument, hash: string, options: SyncOptions, copies: Copies): Decision {
  const file = c.windows
  if (file === null) {
    if (c.espoChange === 'unchanged') {
      return skipAction(c.key, base.path, 'deleted-on-windows', 'deleted on Windows; the Document is marked deleted', expectDocument(doc, hash))
    }
    // A file nobody links lies at the old path: restore beside it, never over it.
    if (c.unlinkedWindows !== null) return 'upload-new'
    return restoreToWindows(c, base, doc, hash, options, 'deleted on Windows but changed in EspoCRM since: restored')
  }
  if (file.blake3Hash === hash) return link(c.key, file, doc, hash, c.history, options, 'back on Windows with the Document\'s content')
  if (c.espoChange === 'unchanged') return updateDocumentFile(c.key, file, doc, hash, c.history, 'back on Windows with new content')
  return conflictAction(c, file, doc, hash, options, copies, 'back on Windows and changed in EspoCRM')
}

/** The Document is gone (store entry or tombstone); a Document naming the path since is new EspoCRM content. */
function decideDocumentGone (c: FileCase, base: DetectedBase, options: SyncOptions, copies: Copies): Decision {
  const { windows: file, document: doc, documentHash: hash } = c
  if (doc !== null && hash !== null) {
    if (file === null) return 'upload-new'
    if (file.blake3Hash === hash) return link(c.key, file, doc, hash, c.history, options, 'new Document with the content already on the share')
    if (c.windowsChange === 'modified') return conflictAction(c, file, doc, hash, options, copies, 'changed on Windows and a new Document names the file')
    return uploadToWindows(
      { path: file.path, windows: expectWindows(file), history: c.history, createHistory: false, previousKey: null },
      doc, hash, options, 'a new Document replaces the deleted one')
  }
  if (file === null) return forget(base)
  if (c.windowsChange === 'modified') {
    return createDocument(c.key, file, c.history, options, 'Document deleted in EspoCRM but changed on Windows: re-created')
  }
  return base.origin === 'store'
    ? tombstone(base, file, options.now.toISOString())
    : skipAction(c.key, file.path, 'tombstoned', 'Document deleted in EspoCRM; the file stays on the share')
}

function decide (c: FileCase, options: SyncOptions, copies: Copies): Decision {
  const { base, document: doc, documentHash: hash } = c
  const path = c.windows?.path ?? base?.path ?? doc?.windowsPath ?? c.key
  if (c.windowsChange === 'unknown') return skipAction(c.key, path, 'hash-missing', 'the Watcher listed the file without a hash')
  if (doc !== null && doc.fileId === null) return skipAction(c.key, path, 'no-file', 'the Document has no file')
  if (c.espoChange === 'unknown') return skipAction(c.key, path, 'hash-missing', `hash of Document ${doc?.id ?? ''} not computed`)
  if (base === null) return decideNew(c, options, copies)
  if (base.origin === 'store' || base.origin === 'tombstone') return decideDocumentGone(c, base, options, copies)
  if (doc === null || hash === null) return skipAction(c.key, path, 'hash-missing', 'Document hash unknown')
  return base.origin === 'document'
    ? decideSynced(c, base, doc, hash, options, copies)
    : decideSoftDeleted(c, base, doc, hash, options, copies)
}

/** Order of propagation: bookkeeping first, then transfers, soft-deletes last (an aborted run deletes nothing early). */
const PHASE: Record<ActionKind, number> = {
  'skip': 0,
  'tombstone': 1,
  'forget': 1,
  'update-metadata': 2,
  'advance-base': 3,
  'link': 4,
  'move-document': 5,
  'update-document-file': 6,
  'create-document': 7,
  'conflict': 8,
  'upload-to-windows': 9,
  'soft-delete-document': 10
}

export function orderActions (actions: readonly Action[]): Action[] {
  return [...actions].sort((a, b) =>
    PHASE[a.kind] - PHASE[b.kind] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

export function reconcile (detection: Detection, options: SyncOptions): Action[] {
  const failures = detection.state.failures
  const actions: Action[] = detection.skips.map(s =>
    skipAction(s.key, s.path, s.code, s.reason, null))
  const { moves, settled } = pairRenames(detection.cases)
  actions.push(...moves)
  const claimants: FileCase[] = []
  for (const c of detection.cases) {
    if (settled.has(c.key)) continue
    const decision = decide(c, options, detection.conflictCopies)
    if (decision === 'upload-new') claimants.push(c)
    else actions.push(unlessRefused(decision, failures))
  }
  actions.push(...planNewUploads(claimants, detection, options))
  return orderActions(actions)
}
