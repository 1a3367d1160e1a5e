import type { EspoDocumentPatch, VersionedEspoDocument } from '../clients/espocrm/index.js'
import { checkDocument, checkWindows } from './preconditions.js'
import { lockedTo, NOTHING_MOVED, syncFields, type ActionResult, type PropagateContext } from './propagate-context.js'
import { throwIfAborted } from './propagate-errors.js'
import { completeBaseEntry } from './sync-state.js'
import { attachmentToWindows } from './transfer.js'
import type { UploadToWindowsAction } from './types.js'

/**
 * An EspoCRM Document's file onto the share, in the order simulate.ts
 * checks for safe interruption: the Document first names its path, then the
 * file is written, then the History entry links it, and only then does the
 * Document record the base. A run stopped anywhere in between leaves a state
 * the next plan links instead of copying again.
 */
export async function uploadToWindows (
  ctx: PropagateContext, action: UploadToWindowsAction, checked?: VersionedEspoDocument
): Promise<ActionResult> {
  const expected = action.document
  if (expected === null || expected.fileId === null) throw new Error('upload-to-windows needs a Document with a file')
  let doc = checked
  if (doc === undefined) {
    await checkWindows(ctx, action.windows, true)
    doc = await checkDocument(ctx, expected)
  }
  const { espocrm, advoware } = ctx.clients
  if ((doc.syncHash === null || doc.syncHash === '') && action.patch.windowsPath !== undefined && doc.windowsPath !== action.patch.windowsPath) {
    throwIfAborted(ctx.signal)
    doc = await espocrm.updateDocument(doc.id, { windowsPath: action.patch.windowsPath }, lockedTo(doc))
  }

  throwIfAborted(ctx.signal)
  const upload = await attachmentToWindows(ctx, action, { fileId: expected.fileId, hash: expected.hash })
  const written = upload.value

  const patch: EspoDocumentPatch = { ...action.patch }
  if (action.historyEntry !== null) {
    throwIfAborted(ctx.signal)
    const created = await advoware.createHistoryEntry(ctx.advowareAkteId, action.historyEntry)
    patch.advowareHistoryId = created.id
  }

  if (action.base.op !== 'set') throw new Error('upload-to-windows always sets the base')
  const result = { path: written.path, usn: written.usn }
  const entry = completeBaseEntry(action.base.entry, action.base.fromResult, result)
  throwIfAborted(ctx.signal)
  await espocrm.updateDocument(doc.id, {
    ...patch,
    windowsPath: entry.path,
    fileStatus: 'synced',
    ...syncFields(entry, ctx.now())
  }, lockedTo(doc))
  ctx.state.apply(action.key, action.base, result)
  return { ...NOTHING_MOVED, bytesToWindows: upload.bytes }
}
