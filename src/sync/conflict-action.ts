import type { EspoDocument, WatcherFile } from '../domain/types.js'
import { berlinDate } from './berlin-time.js'
import { expectDocument, expectWindows, updateDocumentFile, uploadToWindows } from './build-actions.js'
import { conflictCopyName, conflictWinner } from './conflict.js'
import type { SyncOptions } from './options.js'
import { baseName } from './paths.js'
import type { ConflictAction, ConflictCopy, FileCase, NewDocument } from './types.js'

function copyDocument (doc: EspoDocument, fileName: string, options: SyncOptions): NewDocument {
  const name = conflictCopyName(doc.name, fileName, options.now, options.conflictCopyName)
  return {
    name,
    fileName: name,
    publishDate: doc.publishDate ?? berlinDate(options.now),
    description: doc.description,
    historyArt: doc.historyArt,
    // Not the History's mirror: a copy must never be mistaken for the file's Document.
    advowareHistoryId: null,
    windowsPath: null,
    fileStatus: 'conflict'
  }
}

/**
 * Both sides hold different new content. The newer wins; the loser's bytes are
 * first kept as a conflict copy, and only then does the winner overwrite.
 */
export function conflictAction (
  c: FileCase, file: WatcherFile, doc: EspoDocument, docHash: string, options: SyncOptions, copies: ReadonlyMap<string, string>, why: string
): ConflictAction {
  const winner = conflictWinner(file.modified, doc.modifiedAt)
  const reason = `${why}; ${winner === 'windows' ? 'Windows wins (newer, same time or time unreadable)' : 'EspoCRM wins (newer)'}`
  const copy: ConflictCopy = winner === 'windows'
    ? { from: 'espo', hash: docHash, size: null, newDocument: copyDocument(doc, doc.fileName ?? baseName(file.path), options), keptAs: copies.get(docHash) ?? null }
    : { from: 'windows', hash: file.blake3Hash, size: file.size, newDocument: copyDocument(doc, baseName(file.path), options), keptAs: copies.get(file.blake3Hash) ?? null }
  const then = winner === 'windows'
    ? updateDocumentFile(c.key, file, doc, docHash, c.history, reason)
    : uploadToWindows(
      { path: file.path, windows: expectWindows(file), history: c.history, createHistory: false, previousKey: null },
      doc, docHash, options, reason)
  return {
    kind: 'conflict',
    key: c.key,
    path: file.path,
    reason,
    direction: then.direction,
    size: then.size,
    windows: expectWindows(file),
    document: expectDocument(doc, docHash),
    winner,
    windowsModified: file.modified,
    espoModifiedAt: doc.modifiedAt,
    copy,
    then,
    // The same as `then.base`: recorded once copy and winner both went through.
    base: then.base
  }
}
