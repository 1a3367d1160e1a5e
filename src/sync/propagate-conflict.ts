import { checkDocument, checkWindows } from './preconditions.js'
import type { ActionResult, PropagateContext } from './propagate-context.js'
import { ConflictCopyFailed, throwIfAborted } from './propagate-errors.js'
import { updateDocumentFile } from './propagate-espo.js'
import { uploadToWindows } from './propagate-windows.js'
import { attachmentToAttachment, windowsToAttachment } from './transfer.js'
import type { ConflictAction } from './types.js'

/**
 * Changed on both sides: the loser's bytes become a conflict copy Document
 * first, and only once it exists may the winner overwrite them. A run that
 * stops in between leaves the copy, which the next plan finds (`keptAs`).
 */
export async function conflict (ctx: PropagateContext, action: ConflictAction): Promise<ActionResult> {
  if (action.document === null || action.document.fileId === null) throw new Error('a conflict needs a Document with a file')
  await checkWindows(ctx, action.windows, action.then.kind === 'upload-to-windows')
  const doc = await checkDocument(ctx, action.document)
  const { copy } = action
  let copiedBytes = 0
  if (copy.keptAs === null) {
    try {
      throwIfAborted(ctx.signal)
      const fields = copy.newDocument
      const upload = copy.from === 'windows'
        ? await windowsToAttachment(ctx, action, { hash: copy.hash, size: copy.size }, fields.fileName)
        : await attachmentToAttachment(ctx, action, { fileId: action.document.fileId, hash: copy.hash }, fields.fileName)
      throwIfAborted(ctx.signal)
      const created = await ctx.clients.espocrm.createDocument({
        name: fields.name,
        publishDate: fields.publishDate,
        description: fields.description,
        historyArt: fields.historyArt,
        advowareHistoryId: null,
        windowsPath: null,
        fileStatus: 'conflict',
        akteId: ctx.espoAkteId,
        fileId: upload.value,
        // How the next plan recognises a copy already made.
        blake3Hash: copy.hash
      })
      ctx.createdDocumentIds.push(created.id)
      copiedBytes = upload.bytes
    } catch (error) {
      throw new ConflictCopyFailed(error)
    }
  }
  const then = action.then.kind === 'update-document-file'
    ? await updateDocumentFile(ctx, action.then, doc)
    : await uploadToWindows(ctx, action.then, doc)
  return { bytesToEspo: copiedBytes + then.bytesToEspo, bytesToWindows: then.bytesToWindows }
}
