import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'

/*
 * The dashboard's login session: a cookie holding `v1.<issuedAt>.<nonce>.<mac>`,
 * signed with a key derived from ADMIN_TOKEN. Nothing is kept on the server,
 * so any instance behind a load balancer accepts it, and changing the token
 * ends every session at once. The CSRF token is a second MAC over the session
 * value: the page's script sends it back in a header, which a cross-site form
 * or image cannot do.
 */

export const SESSION_COOKIE = 'advoware_sync_admin'
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000
export const CSRF_HEADER = 'x-csrf-token'
const COOKIE_PATH = '/admin'

function key (adminToken: string): Buffer {
  // A derived key, so the token itself never meets a MAC another party might see.
  return Buffer.from(hkdfSync('sha256', adminToken, 'advoware-sync', 'admin dashboard session v1', 32))
}

function mac (adminToken: string, purpose: string, value: string): string {
  return createHmac('sha256', key(adminToken)).update(`${purpose}\n${value}`).digest('base64url')
}

function sameText (a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export function createSession (adminToken: string, now = Date.now()): string {
  const body = `v1.${now}.${randomBytes(16).toString('base64url')}`
  return `${body}.${mac(adminToken, 'session', body)}`
}

/** True when the value is a session this token signed, no older than SESSION_TTL_MS. */
export function verifySession (adminToken: string, value: string, now = Date.now()): boolean {
  const match = /^(v1\.(\d{1,15})\.[A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(value)
  if (match === null) return false
  const [, body, issued, signature] = match as unknown as [string, string, string, string]
  if (!sameText(signature, mac(adminToken, 'session', body))) return false
  const age = now - Number(issued)
  return age >= -60_000 && age < SESSION_TTL_MS
}

export function csrfToken (adminToken: string, session: string): string {
  return mac(adminToken, 'csrf', session)
}

export function csrfMatches (adminToken: string, session: string, presented: unknown): boolean {
  return typeof presented === 'string' && sameText(presented, csrfToken(adminToken, session))
}

/** The session cookie's value from a Cookie header, if there is one. */
export function sessionFromCookieHeader (header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq !== -1 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim()
  }
  return undefined
}

/**
 * HttpOnly: the page's script never needs it. SameSite=Strict: no other site
 * can make the browser send it. Secure when the page is served over HTTPS
 * (directly or, as reported by the proxy, in front of it).
 */
export function sessionCookie (value: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=${COOKIE_PATH}; HttpOnly; SameSite=Strict; Max-Age=${SESSION_TTL_MS / 1000}${secure ? '; Secure' : ''}`
}

export function clearedSessionCookie (secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=${COOKIE_PATH}; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`
}
