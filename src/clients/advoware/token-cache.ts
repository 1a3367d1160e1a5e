import { ExternalError } from '../errors.js'
import type { Clock } from './options.js'

/** A bearer token and when to stop using it. */
export interface CachedToken {
  accessToken: string
  /** Epoch ms after which a new token is fetched. */
  refreshAt: number
}

/** Used when the gateway names no expiry: a 401 would still force a refresh. */
const FALLBACK_LIFETIME_MS = 5 * 60_000

function protocolError (message: string): ExternalError {
  return new ExternalError({ system: 'advoware', kind: 'protocol', operation: 'token', message: `advoware token: ${message}` })
}

/** `expiration_utc` is UTC; a value without a zone designator is read as UTC too. */
function parseUtc (value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined
  const text = value.trim()
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`
  const ms = Date.parse(zoned)
  return Number.isFinite(ms) ? ms : undefined
}

/**
 * Reads the gateway's answer. The refresh point keeps a margin before the
 * expiry, but never more than half the token's lifetime, so short-lived
 * tokens are still reused.
 */
export function tokenFromResponse (raw: unknown, nowMs: number, marginMs: number): CachedToken {
  if (typeof raw !== 'object' || raw === null) throw protocolError('answer is not an object')
  const wire = raw as Record<string, unknown>
  const accessToken = wire.access_token
  if (typeof accessToken !== 'string' || accessToken === '') throw protocolError('answer has no access_token')
  const expiresIn = typeof wire.expires_in === 'number' && wire.expires_in > 0 ? nowMs + wire.expires_in * 1000 : undefined
  const expiresAt = parseUtc(wire.expiration_utc) ?? expiresIn ?? nowMs + FALLBACK_LIFETIME_MS
  const lifetime = Math.max(0, expiresAt - nowMs)
  return { accessToken, refreshAt: expiresAt - Math.min(marginMs, lifetime / 2) }
}

/**
 * Caches one token and makes concurrent callers share a single in-flight
 * request, so a burst of calls after expiry costs one token request.
 */
export class TokenCache {
  private current: CachedToken | undefined
  private inflight: Promise<string> | undefined

  constructor (
    private readonly fetchToken: () => Promise<CachedToken>,
    private readonly clock: Clock
  ) {}

  async get (): Promise<string> {
    if (this.current !== undefined && this.clock() < this.current.refreshAt) return this.current.accessToken
    this.inflight ??= this.fetchToken().then(
      token => {
        this.current = token
        this.inflight = undefined
        return token.accessToken
      },
      (error: unknown) => {
        this.inflight = undefined
        throw error
      }
    )
    return await this.inflight
  }

  /**
   * Drops the token a call was refused with. A caller whose token was already
   * replaced by a concurrent refresh leaves the newer one alone.
   */
  invalidate (accessToken: string): void {
    if (this.current?.accessToken === accessToken) this.current = undefined
  }
}
