import { isPermanentFileRefusal } from '../clients/espocrm/file-refusal.js'
import { isExternalError } from '../clients/errors.js'
import { Blake3MismatchError } from '../hash/blake3-stream.js'

/*
 * How a failed action counts. Only a refusal of the content itself is
 * remembered (so the same bytes are not sent again every run); anything that
 * may pass later sends the Akte back to the queue.
 */

/** The world moved on since the plan was made: the action is left for the next run. */
export class PreconditionFailed extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'PreconditionFailed'
  }
}

/** The lock or lease was lost, or the service is shutting down: no further write. */
export class SyncAborted extends Error {
  constructor (reason?: unknown) {
    super(`sync stopped: ${reason instanceof Error ? reason.message : String(reason ?? 'aborted')}`)
    this.name = 'SyncAborted'
  }
}

/** Files cannot go to a share folder that does not exist; creating it is not the sync's business. */
export class MissingAkteFolder extends Error {
  constructor (aktennummer: string) {
    super(`the Akte folder of ${aktennummer} does not exist on the share`)
    this.name = 'MissingAkteFolder'
  }
}

/** Wraps a failure of a conflict's copy step, so the refusal is booked on the loser's content. */
export class ConflictCopyFailed extends Error {
  constructor (readonly error: unknown) {
    super(error instanceof Error ? error.message : String(error))
    this.name = 'ConflictCopyFailed'
  }
}

export function throwIfAborted (signal: AbortSignal): void {
  if (signal.aborted) throw new SyncAborted(signal.reason)
}

export type FailureClass =
  | { outcome: 'precondition', message: string }
  | { outcome: 'aborted', message: string }
  /** `record`: the target refused this content; remember it and mark the Document. */
  | { outcome: 'failed', permanent: boolean, record: boolean, errorKind: string, message: string }

function unwrap (error: unknown): unknown {
  return error instanceof ConflictCopyFailed ? error.error : error
}

export function classifyFailure (raw: unknown, signal: AbortSignal): FailureClass {
  const error = unwrap(raw)
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof PreconditionFailed) return { outcome: 'precondition', message }
  if (error instanceof SyncAborted || signal.aborted) return { outcome: 'aborted', message }
  if (error instanceof MissingAkteFolder) return { outcome: 'failed', permanent: true, record: false, errorKind: 'not-found', message }
  if (error instanceof Blake3MismatchError) return { outcome: 'failed', permanent: false, record: false, errorKind: 'integrity', message }
  if (!isExternalError(error)) return { outcome: 'failed', permanent: false, record: false, errorKind: 'internal', message }
  const failed = (permanent: boolean, record: boolean): FailureClass =>
    ({ outcome: 'failed', permanent, record, errorKind: error.kind, message })
  if (error.kind === 'not-found') {
    // A Document, attachment or file that vanished since the plan: the next plan sees it gone.
    if (error.system === 'espocrm' || error.operation === 'download') return { outcome: 'precondition', message }
    // The Akte folder (Watcher) or the Akte (Advoware) is missing: retrying will not create it.
    return failed(true, false)
  }
  if (error.system === 'espocrm') {
    if (isPermanentFileRefusal(error) || error.kind === 'validation') return failed(true, true)
    // Any other 403 (ACL, IP lockout) is about us, not the file: retried with backoff.
    return failed(false, false)
  }
  if (error.system === 'watcher' && error.permanent) return failed(true, true)
  return failed(error.permanent, false)
}
