import type { EspoDocumentPatch, VersionedEspoDocument } from '../clients/espocrm/index.js'
import { checkDocument, checkWindows } from './preconditions.js'
import { lockedTo, NOTHING_MOVED, syncFields, type ActionResult, type PropagateContext } from './propagate-context.js'
import { throwIfAborted } from './propagate-errors.js'
import { baseName } from './paths.js'
import { completeBaseEntry } from './sync-state.js'
import { windowsToAttachment } from './transfer.js'
import type {
  AdvanceBaseAction, BaseEntry, CreateDocumentAction, ForgetAction, LinkAction, MoveDocumentAction,
  SoftDeleteDocumentAction, TombstoneAction, UpdateDocumentFileAction, UpdateMetadataAction
} from './types.js'

/* Actions that write to EspoCRM (and, for a link, the History), as simulate.ts models them. */

/** The base the Document records, before the ids only the write's answer knows. */
function plannedEntry (action: { base: CreateDocumentAction['base'] }, known: Partial<BaseEntry>): BaseEntry {
  if (action.base.op !== 'set') throw new Error('a content transfer always sets the base')
  return { ...action.base.entry, ...known }
}

export async function createDocument (ctx: PropagateContext, action: CreateDocumentAction): Promise<ActionResult> {
  const windows = action.windows
  if (windows?.state !== 'present') throw new Error('create-document needs the Windows file it copies')
  await checkWindows(ctx, windows, false)
  throwIfAborted(ctx.signal)
  const { newDocument: fields } = action
  const upload = await windowsToAttachment(ctx, action, { hash: windows.hash, size: action.size }, fields.fileName)
  const fileId = upload.value
  throwIfAborted(ctx.signal)
  const entry = plannedEntry(action, { fileId })
  const created = await ctx.clients.espocrm.createDocument({
    name: fields.name,
    publishDate: fields.publishDate,
    description: fields.description,
    historyArt: fields.historyArt,
    advowareHistoryId: fields.advowareHistoryId,
    windowsPath: fields.windowsPath,
    fileStatus: fields.fileStatus,
    akteId: ctx.espoAkteId,
    fileId,
    ...syncFields(entry, ctx.now())
  })
  ctx.createdDocumentIds.push(created.id)
  ctx.state.apply(action.key, action.base, { fileId, documentId: created.id })
  return { bytesToEspo: upload.bytes, bytesToWindows: 0 }
}

/** `checked`: the Document as a conflict's precondition check just read it. */
export async function updateDocumentFile (
  ctx: PropagateContext, action: UpdateDocumentFileAction, checked?: VersionedEspoDocument
): Promise<ActionResult> {
  const windows = action.windows
  if (windows?.state !== 'present' || action.document === null) throw new Error('update-document-file needs a Windows file and a Document')
  let doc = checked
  if (doc === undefined) {
    await checkWindows(ctx, windows, false)
    doc = await checkDocument(ctx, action.document)
  }
  throwIfAborted(ctx.signal)
  const upload = await windowsToAttachment(ctx, action, { hash: windows.hash, size: action.size }, baseName(action.path))
  const fileId = upload.value
  throwIfAborted(ctx.signal)
  const entry = plannedEntry(action, { fileId })
  // New file and its base in one request: a crash can never leave one without the other.
  await ctx.clients.espocrm.updateDocument(doc.id, {
    ...action.patch,
    fileId,
    windowsPath: entry.path,
    fileStatus: 'synced',
    ...syncFields(entry, ctx.now())
  }, lockedTo(doc))
  ctx.state.apply(action.key, action.base, { fileId })
  return { ...NOTHING_MOVED, bytesToEspo: upload.bytes }
}

/** Creates the History entry linking the file, then records the base on the Document. */
export async function link (ctx: PropagateContext, action: LinkAction): Promise<ActionResult> {
  if (action.document === null) throw new Error('link needs a Document')
  await checkWindows(ctx, action.windows, false)
  const doc = await checkDocument(ctx, action.document)
  const patch: EspoDocumentPatch = { ...action.patch }
  if (action.historyEntry !== null) {
    throwIfAborted(ctx.signal)
    const created = await ctx.clients.advoware.createHistoryEntry(ctx.advowareAkteId, action.historyEntry)
    patch.advowareHistoryId = created.id
  }
  await writeBase(ctx, doc, action, patch)
  return NOTHING_MOVED
}

type SingleWrite = AdvanceBaseAction | MoveDocumentAction | UpdateMetadataAction | SoftDeleteDocumentAction

/** One Document write: the patch, plus the base when the action sets one. */
export async function writeDocument (ctx: PropagateContext, action: SingleWrite): Promise<ActionResult> {
  if (action.document === null) throw new Error(`${action.kind} needs a Document`)
  await checkWindows(ctx, action.windows, false)
  const doc = await checkDocument(ctx, action.document)
  await writeBase(ctx, doc, action, action.patch)
  return NOTHING_MOVED
}

async function writeBase (
  ctx: PropagateContext, doc: VersionedEspoDocument, action: SingleWrite | LinkAction, patch: EspoDocumentPatch
): Promise<void> {
  const base = action.base
  const fields = base.op === 'set' ? syncFields(completeBaseEntry(base.entry, base.fromResult), ctx.now()) : {}
  throwIfAborted(ctx.signal)
  await ctx.clients.espocrm.updateDocument(doc.id, { ...patch, ...fields }, lockedTo(doc))
  ctx.state.apply(action.key, base)
}

/** Store-only: the share must still look as planned, nothing else is written. */
export async function storeOnly (ctx: PropagateContext, action: TombstoneAction | ForgetAction): Promise<ActionResult> {
  await checkWindows(ctx, action.windows, false)
  throwIfAborted(ctx.signal)
  ctx.state.apply(action.key, action.base)
  return NOTHING_MOVED
}
