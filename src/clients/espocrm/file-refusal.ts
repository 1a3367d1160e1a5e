import { isExternalError } from '../errors.js'

/**
 * EspoCRM's answers that refuse a file for what it is (type by extension,
 * size over `attachmentUploadMaxSize`): sending the same file again fails the
 * same way, so the sync records it on the Document instead of retrying.
 * A 403 without such a reason (ACL, IP lockout) is not one of them.
 */
const REFUSAL_REASONS = [
  /not allowed file type/i,
  /max attachment size/i,
  // A chunked upload whose declared size is over the limit.
  /attachmentUploadMaxSize/i,
  /file size should not exceed/i
]

export function isPermanentFileRefusal (error: unknown): boolean {
  if (!isExternalError(error) || error.system !== 'espocrm') return false
  if (error.status !== 403 && error.status !== 400) return false
  const reason = error.reason ?? ''
  return REFUSAL_REASONS.some(pattern => pattern.test(reason))
}

/** The refusal is about the file type: renaming or converting could help, retrying cannot. */
export function isFileTypeRefusal (error: unknown): boolean {
  return isExternalError(error) && error.system === 'espocrm' && error.status === 403 && /not allowed file type/i.test(error.reason ?? '')
}
