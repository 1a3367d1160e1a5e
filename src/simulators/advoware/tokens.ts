import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** One API user the token endpoint accepts. `apiKey` is base64, as Advoware hands it out. */
export interface AdvowareCredentials {
  appId: string
  apiKey: string
  kanzlei: string
  database: string
  user: string
  password: string
}

export interface TokenResponse {
  access_token: string
  token_type: 'bearer'
  expires_in: number
  expiration_utc: string
  refresh_token: string
}

export type TokenOutcome =
  | { ok: true, response: TokenResponse }
  | { ok: false, reason: string }

export interface TokenIssuerOptions {
  credentials: AdvowareCredentials[]
  lifetimeSeconds: number
  /** How far RequestTimeStamp may be from the simulator's clock. */
  skewSeconds: number
  now: () => number
}

const str = (value: unknown): value is string => typeof value === 'string' && value.length > 0

/** The signature as contracts.md defines it; the simulator checks it, clients produce it. */
export function advowareSignature (apiKeyBase64: string, product: number, appId: string, nonce: string, timestamp: string): string {
  return createHmac('sha512', Buffer.from(apiKeyBase64, 'base64'))
    .update(`${product}:${appId}:${nonce}:${timestamp}`)
    .digest('base64')
}

function sameSignature (given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Verifies token requests and keeps the issued tokens. */
export class TokenIssuer {
  private readonly tokens = new Map<string, number>()
  private readonly nonces = new Map<string, number>()

  constructor (private readonly options: TokenIssuerOptions) {}

  addCredentials (credentials: AdvowareCredentials): void {
    this.options.credentials.push(credentials)
  }

  /** Discovery answers for seeded Kanzleien only (for any while none are seeded). */
  knowsKanzlei (kanzlei: string): boolean {
    const { credentials } = this.options
    return credentials.length === 0 || credentials.some(c => c.kanzlei === kanzlei)
  }

  set lifetimeSeconds (seconds: number) {
    this.options.lifetimeSeconds = seconds
  }

  issue (body: unknown): TokenOutcome {
    if (typeof body !== 'object' || body === null) return { ok: false, reason: 'body must be a JSON object' }
    const b = body as Record<string, unknown>
    const { AppID, Kanzlei, Database, User, Password, Nonce, HMAC512Signature, RequestTimeStamp } = b
    if (!str(AppID) || !str(Kanzlei) || !str(Database) || !str(User) || !str(Password) ||
      !str(Nonce) || !str(HMAC512Signature) || !str(RequestTimeStamp)) {
      return { ok: false, reason: 'missing or empty field' }
    }
    if (b.Role !== 2 || b.Product !== 64) return { ok: false, reason: 'Role must be 2 and Product 64 (numbers)' }

    const cred = this.options.credentials.find(c => c.appId === AppID)
    if (cred === undefined) return { ok: false, reason: 'unknown AppID' }
    const expected = advowareSignature(cred.apiKey, 64, AppID, Nonce, RequestTimeStamp)
    if (!sameSignature(HMAC512Signature, expected)) return { ok: false, reason: 'invalid HMAC512Signature' }

    const now = this.options.now()
    const sentAt = Date.parse(RequestTimeStamp)
    if (Number.isNaN(sentAt)) return { ok: false, reason: 'RequestTimeStamp is not a date' }
    if (Math.abs(now - sentAt) > this.options.skewSeconds * 1000) return { ok: false, reason: 'RequestTimeStamp outside the allowed window' }

    this.forgetOldNonces(now)
    if (this.nonces.has(Nonce)) return { ok: false, reason: 'Nonce already used' }
    // A correctly signed request burns its nonce even when the login below fails.
    this.nonces.set(Nonce, now)

    if (cred.kanzlei !== Kanzlei || cred.database !== Database || cred.user !== User || cred.password !== Password) {
      return { ok: false, reason: 'invalid credentials' }
    }

    const accessToken = randomBytes(24).toString('base64url')
    const expiresAt = now + this.options.lifetimeSeconds * 1000
    this.tokens.set(accessToken, expiresAt)
    return {
      ok: true,
      response: {
        access_token: accessToken,
        token_type: 'bearer',
        expires_in: this.options.lifetimeSeconds,
        expiration_utc: new Date(expiresAt).toISOString(),
        refresh_token: randomBytes(24).toString('base64url')
      }
    }
  }

  /** Undefined when the bearer token is valid, else why not. */
  check (authorization: string | undefined): string | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')
    if (match === null) return 'missing bearer token'
    const expiresAt = this.tokens.get(match[1]!)
    if (expiresAt === undefined) return 'unknown token'
    if (this.options.now() >= expiresAt) return 'token expired'
    return undefined
  }

  /** Fault: every token issued so far stops working (as after a server restart). */
  expireAll (): void {
    this.tokens.clear()
  }

  get activeTokens (): number {
    const now = this.options.now()
    return [...this.tokens.values()].filter(at => at > now).length
  }

  private forgetOldNonces (now: number): void {
    // A nonce older than twice the window can no longer come with a valid timestamp.
    const horizon = now - 2 * this.options.skewSeconds * 1000
    for (const [nonce, at] of this.nonces) if (at < horizon) this.nonces.delete(nonce)
  }
}
