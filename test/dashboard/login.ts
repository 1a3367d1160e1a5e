import type { FastifyInstance } from 'fastify'

export const TOKEN = 'admin-token-for-tests'
export const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

export interface Session {
  /** `name=value` for a Cookie header. */
  cookie: string
  csrf: string
}

/** Logs in through the form and reads the CSRF token off the dashboard page, as the browser would. */
export async function login (app: FastifyInstance, token = TOKEN): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/admin/login', headers: FORM, payload: `token=${encodeURIComponent(token)}` })
  if (res.statusCode !== 303) throw new Error(`login answered ${res.statusCode}`)
  const cookie = String(res.headers['set-cookie']).split(';')[0] as string
  const page = await app.inject({ method: 'GET', url: '/admin/', headers: { cookie } })
  const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(page.body)?.[1]
  if (csrf === undefined) throw new Error('the dashboard has no CSRF token')
  return { cookie, csrf }
}
