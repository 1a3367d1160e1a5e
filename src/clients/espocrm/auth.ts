import { createHmac } from 'node:crypto'
import { ExternalError } from '../errors.js'

export type EspoAuth =
  | { kind: 'apiKey', apiKey: string }
  | {
    kind: 'hmac'
    apiKey: string
    secretKey: string
    /** EspoCRM before 8.4.1 only accepts the raw binary digest (later versions accept both). */
    legacyBinaryDigest?: boolean
  }

/**
 * Headers for one request. HMAC signs `METHOD /path` where path is the
 * resource path after `api/v1/` without the query string, so the same
 * signature is valid for every page of a list.
 */
export function authHeaders (auth: EspoAuth, method: string, path: string): Record<string, string> {
  if (auth.kind === 'apiKey') return { 'x-api-key': auth.apiKey }
  const resource = path.replace(/^\/+/, '').split('?')[0] ?? ''
  const hmac = createHmac('sha256', auth.secretKey).update(`${method.toUpperCase()} /${resource}`)
  const digest = auth.legacyBinaryDigest === true ? hmac.digest() : Buffer.from(hmac.digest('hex'))
  return { 'x-hmac-authorization': Buffer.concat([Buffer.from(`${auth.apiKey}:`), digest]).toString('base64') }
}

/**
 * EspoCRM locks an IP out (403 for every request, valid ones too) after more
 * than 10 failed logins in 60 s. Credentials come from configuration, so after
 * one 401 every further attempt would fail the same way: the guard answers
 * them locally for a cool-down instead of walking into the lockout while the
 * sync works through its queue of Akten.
 */
export class AuthGuard {
  private blockedUntil = 0
  private lastError: ExternalError | undefined

  constructor (private readonly cooldownMs: number, private readonly now: () => number = Date.now) {}

  /** Throws the remembered auth error while the cool-down runs. */
  check (operation: string): void {
    if (this.lastError === undefined || this.now() >= this.blockedUntil) return
    throw new ExternalError({
      system: 'espocrm',
      kind: 'auth',
      status: this.lastError.status,
      reason: this.lastError.reason,
      operation,
      message: `espocrm ${operation}: not sent, credentials were refused ${Math.round((this.now() - this.blockedUntil + this.cooldownMs) / 1000)} s ago`,
      cause: this.lastError
    })
  }

  refused (error: ExternalError): void {
    if (this.cooldownMs <= 0) return
    this.lastError = error
    this.blockedUntil = this.now() + this.cooldownMs
  }

  accepted (): void {
    this.lastError = undefined
    this.blockedUntil = 0
  }
}
