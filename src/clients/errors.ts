/**
 * Errors from the external systems, typed by cause so the sync can tell
 * "skip this file for good" (permanent) from "try the Akte again later".
 */
export type ExternalSystem = 'espocrm' | 'advoware' | 'watcher'

export type ExternalErrorKind =
  | 'auth' // 401: credentials refused (never retried in a loop)
  | 'forbidden' // 403: EspoCRM also uses it for file types, size limits, lockout
  | 'not-found' // 404
  | 'validation' // 400 / 422 (except hash mismatch)
  | 'conflict' // 409: optimistic locking
  | 'unavailable' // 5xx, 408, 429
  | 'network' // connection refused/reset, DNS
  | 'timeout' // connect/headers/body timeout
  | 'integrity' // bytes do not match the expected BLAKE3
  | 'protocol' // an answer we cannot understand

export interface ExternalErrorInit {
  system: ExternalSystem
  kind: ExternalErrorKind
  message: string
  status?: number
  /** EspoCRM's X-Status-Reason, Watcher/Advoware JSON reason. */
  reason?: string
  operation?: string
  /** The server's Retry-After, when it sent one. */
  retryAfterMs?: number
  cause?: unknown
}

export class ExternalError extends Error {
  readonly system: ExternalSystem
  readonly kind: ExternalErrorKind
  readonly status?: number
  readonly reason?: string
  readonly operation?: string
  readonly retryAfterMs?: number

  constructor (init: ExternalErrorInit) {
    super(init.message, { cause: init.cause })
    this.name = 'ExternalError'
    this.system = init.system
    this.kind = init.kind
    this.status = init.status
    this.reason = init.reason
    this.operation = init.operation
    this.retryAfterMs = init.retryAfterMs
  }

  /** Worth another attempt later (the Akte goes back to the queue). */
  get transient (): boolean {
    return this.kind === 'unavailable' || this.kind === 'network' || this.kind === 'timeout' ||
      this.kind === 'integrity' || this.kind === 'conflict' || this.kind === 'auth'
  }

  /**
   * Will fail the same way for the same content: recorded on the file and not
   * retried every run (e.g. EspoCRM refusing the file type or size).
   */
  get permanent (): boolean {
    return this.kind === 'validation' || this.kind === 'forbidden'
  }
}

export function isExternalError (error: unknown): error is ExternalError {
  return error instanceof ExternalError
}

export function kindForStatus (status: number): ExternalErrorKind {
  if (status === 401) return 'auth'
  if (status === 403) return 'forbidden'
  if (status === 404 || status === 410) return 'not-found'
  if (status === 409) return 'conflict'
  if (status === 408 || status === 429 || status >= 500) return 'unavailable'
  if (status >= 400) return 'validation'
  return 'protocol'
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'])
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT', 'ABORT_ERR'])

/** Maps a transport failure (undici/socket error) to an ExternalError. */
export function fromTransportError (system: ExternalSystem, operation: string, error: unknown): ExternalError {
  if (error instanceof ExternalError) return error
  const code = (error as { code?: string } | null)?.code ?? ''
  // Anything else (an argument error, a bug) is no reason to retry: report it as it is.
  const kind: ExternalErrorKind = TIMEOUT_CODES.has(code) ? 'timeout' : NETWORK_CODES.has(code) ? 'network' : 'protocol'
  const text = error instanceof Error ? error.message : String(error)
  return new ExternalError({ system, kind, operation, message: `${system} ${operation}: ${kind} (${code || text})`, cause: error })
}

/** A refused connection proves the request never reached the server. */
export function neverReachedServer (error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? (error as { cause?: { code?: string } } | null)?.cause?.code
  return code === 'ECONNREFUSED' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ENOTFOUND' || code === 'EAI_AGAIN'
}
