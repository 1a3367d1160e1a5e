import type { VersionedEspoDocument } from '../clients/espocrm/index.js'
import { fileKey } from './paths.js'
import type { PropagateContext } from './propagate-context.js'
import { MissingAkteFolder, PreconditionFailed } from './propagate-errors.js'
import type { DocumentExpectation, WindowsExpectation } from './types.js'
import { sameUsn } from './usn.js'

/*
 * Right before an action writes, what it was planned on must still hold;
 * otherwise it is left for the next run, which plans on the new state.
 */

/** Against the run's fresh listing; the download's own hash check covers the time after it. */
export async function checkWindows (ctx: PropagateContext, expectation: WindowsExpectation | null, writesToShare: boolean): Promise<void> {
  if (expectation === null && !writesToShare) return
  const snapshot = await ctx.windows()
  if (writesToShare && !snapshot.exists) {
    // Not a precondition: the next run would find the folder missing just the same.
    throw new MissingAkteFolder(ctx.aktennummer)
  }
  if (expectation === null) return
  const file = snapshot.files.get(fileKey(expectation.path))
  if (expectation.state === 'absent') {
    if (file !== undefined) throw new PreconditionFailed(`${expectation.path} appeared on the share since the plan`)
    return
  }
  if (file === undefined) throw new PreconditionFailed(`${expectation.path} is gone from the share since the plan`)
  if (file.blake3Hash !== expectation.hash || !sameUsn(file.usn, expectation.usn)) {
    throw new PreconditionFailed(`${expectation.path} changed on the share since the plan`)
  }
}

/**
 * The Document as it is now. Its content must be the planned one (same
 * attachment: EspoCRM never changes an attachment's bytes, a new file is a
 * new fileId). modifiedAt may have moved without that (a metadata edit);
 * the write then carries the version read here, so nothing slips in between.
 */
export async function checkDocument (ctx: PropagateContext, expectation: DocumentExpectation): Promise<VersionedEspoDocument> {
  const doc = await ctx.clients.espocrm.getDocument(expectation.documentId)
  if (doc === null) throw new PreconditionFailed(`Document ${expectation.documentId} was deleted since the plan`)
  if (doc.fileId !== expectation.fileId) throw new PreconditionFailed(`Document ${expectation.documentId} got another file since the plan`)
  if (doc.fileStatus === 'conflict') throw new PreconditionFailed(`Document ${expectation.documentId} became a conflict copy since the plan`)
  if (doc.modifiedAt !== expectation.modifiedAt) {
    ctx.log.debug({ aktennummer: ctx.aktennummer, documentId: doc.id, planned: expectation.modifiedAt, now: doc.modifiedAt }, 'Document edited since the plan; its file is unchanged')
  }
  return doc
}
