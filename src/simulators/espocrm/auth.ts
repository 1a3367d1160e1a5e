import { createHmac, timingSafeEqual } from 'node:crypto'
import { EspoError, newId } from './format.js'

/**
 * API users and EspoCRM's two API authentications (X-Api-Key, HMAC), with
 * its brute-force guard: more than `maxFailed` failed logins from one IP
 * within the window make every request with credentials answer 403.
 */
export interface SimUser {
  id: string
  userName: string
  type: 'api' | 'admin' | 'regular'
  apiKey?: string
  secretKey?: string
  /** Unset accepts both methods; EspoCRM ties each API user to one. */
  authMethod?: 'ApiKey' | 'Hmac'
  isActive: boolean
}

export interface NewUser {
  id?: string
  userName?: string
  type?: SimUser['type']
  apiKey?: string
  secretKey?: string
  authMethod?: SimUser['authMethod']
  isActive?: boolean
}

export interface Credentials {
  apiKey?: string
  hmac?: string
}

export class Users {
  private readonly byId = new Map<string, SimUser>()
  private readonly failures = new Map<string, number[]>()

  constructor (private readonly maxFailed: number, private readonly windowMs: number, private readonly clock: () => number) {
    // EspoCRM's admin: the default author of in-process ("UI") writes
    this.add({ id: '1', userName: 'admin', type: 'admin' })
  }

  add (input: NewUser): SimUser {
    const id = input.id ?? newId()
    const user: SimUser = {
      id,
      userName: input.userName ?? `api-${id}`,
      type: input.type ?? 'api',
      apiKey: input.apiKey,
      secretKey: input.secretKey,
      authMethod: input.authMethod,
      isActive: input.isActive ?? true
    }
    this.byId.set(id, user)
    return { ...user }
  }

  get (id: string): SimUser | undefined {
    return this.byId.get(id)
  }

  list (): SimUser[] {
    return [...this.byId.values()].map(u => ({ ...u }))
  }

  resetLockout (): void {
    this.failures.clear()
  }

  private recentFailures (ip: string): number[] {
    const since = this.clock() - this.windowMs
    const list = (this.failures.get(ip) ?? []).filter(t => t > since)
    this.failures.set(ip, list)
    return list
  }

  /** Resolves the user or throws 401 (bad credentials) / 403 (locked out). */
  authenticate (credentials: Credentials, method: string, resourcePath: string, ip: string): SimUser {
    if (credentials.apiKey === undefined && credentials.hmac === undefined) throw new EspoError(401)
    if (this.recentFailures(ip).length > this.maxFailed) {
      throw new EspoError(403, 'Max failed login attempts exceeded.')
    }
    const user = credentials.hmac !== undefined
      ? this.byHmac(credentials.hmac, method, resourcePath)
      : this.byApiKey(credentials.apiKey ?? '')
    if (user === undefined) {
      this.recentFailures(ip).push(this.clock())
      throw new EspoError(401)
    }
    return user
  }

  private byApiKey (apiKey: string): SimUser | undefined {
    return [...this.byId.values()].find(u =>
      u.isActive && u.type === 'api' && u.apiKey !== undefined && u.apiKey === apiKey && u.authMethod !== 'Hmac')
  }

  private byHmac (header: string, method: string, resourcePath: string): SimUser | undefined {
    const decoded = Buffer.from(header, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon <= 0) return undefined
    const apiKey = decoded.slice(0, colon)
    const given = decoded.slice(colon + 1)
    const user = [...this.byId.values()].find(u =>
      u.isActive && u.type === 'api' && u.apiKey === apiKey && u.authMethod !== 'ApiKey')
    if (user?.secretKey === undefined) return undefined
    const expected = hmacSignature(user.secretKey, method, resourcePath)
    const a = Buffer.from(given)
    const b = Buffer.from(expected)
    return a.length === b.length && timingSafeEqual(a, b) ? user : undefined
  }
}

/** hex(HMAC-SHA256(secret, `METHOD /path`)), path without `api/v1/` and query. */
export function hmacSignature (secretKey: string, method: string, resourcePath: string): string {
  return createHmac('sha256', secretKey).update(`${method} /${resourcePath}`).digest('hex')
}

/** The full `X-Hmac-Authorization` header value, for clients and tests. */
export function hmacHeader (apiKey: string, secretKey: string, method: string, resourcePath: string): string {
  return Buffer.from(`${apiKey}:${hmacSignature(secretKey, method, resourcePath)}`).toString('base64')
}
