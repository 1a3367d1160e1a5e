import type { EspoDocument } from '../domain/types.js'
import type { AkteSyncState, PermanentFailure } from './types.js'

/*
 * Hashing a Document means downloading its attachment, so it happens only
 * when the attachment changed since the base (fileId !== syncFileId) or its
 * hash was never recorded; otherwise `blake3Hash` is current.
 */

function refusedAttachment (doc: EspoDocument, failures: readonly PermanentFailure[]): PermanentFailure | undefined {
  return failures.find(f => f.source === 'espo' && f.documentId === doc.id && f.fileId !== null && f.fileId === doc.fileId)
}

/**
 * The Documents whose attachment the caller must hash before planning. Conflict
 * copies and Documents without a file never need it, nor an attachment already
 * refused for good (its hash is in the failure).
 */
export function documentsNeedingHash (docs: readonly EspoDocument[], state: AkteSyncState | null = null): EspoDocument[] {
  const failures = state?.failures ?? []
  return docs.filter(doc =>
    doc.fileStatus !== 'conflict' &&
    doc.fileId !== null &&
    (doc.fileId !== doc.syncFileId || doc.blake3Hash === null || doc.blake3Hash === '') &&
    refusedAttachment(doc, failures) === undefined)
}

/** The hash of the Document's current attachment, or null when nobody computed it. */
export function currentDocumentHash (
  doc: EspoDocument,
  hashes: ReadonlyMap<string, string>,
  failures: readonly PermanentFailure[]
): string | null {
  const computed = hashes.get(doc.id)
  if (computed !== undefined && computed !== '') return computed
  if (doc.fileId === null) return null
  if (doc.fileId === doc.syncFileId && doc.blake3Hash !== null && doc.blake3Hash !== '') return doc.blake3Hash
  return refusedAttachment(doc, failures)?.hash ?? null
}
