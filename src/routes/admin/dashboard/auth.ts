import type { FastifyReply, FastifyRequest } from 'fastify'
import { requireBearer } from '../../../http/bearer.js'
import { CSRF_HEADER, csrfMatches, sessionFromCookieHeader, verifySession } from '../../../dashboard/session.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A dashboard page: it answers a browser without a session itself (login form) instead of a JSON 401. */
    adminPage?: boolean
  }
}

export const PAGE_CONFIG = { adminPage: true } as const

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** A browser that says the request came from another site (or a sandboxed frame) is refused outright. */
function crossSite (request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site']
  return site !== undefined && site !== 'same-origin'
}

/** The admin session from the request's cookie, when it is valid. */
export function requestSession (request: FastifyRequest, adminToken: string | undefined): string | undefined {
  if (adminToken === undefined) return undefined
  const session = sessionFromCookieHeader(request.headers.cookie)
  return session !== undefined && verifySession(adminToken, session) ? session : undefined
}

/**
 * The admin scope's onRequest hook. A bearer header goes the old way (and
 * decides alone when present). Otherwise the dashboard's session cookie
 * counts too, but a state-changing request made with it must also carry the
 * page's CSRF token, since a browser attaches cookies to requests that other
 * pages start. Dashboard pages (adminPage) do their own check.
 */
export function adminAuth (token: () => string | undefined) {
  const bearer = requireBearer(token, 'admin API')
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.routeOptions.config.adminPage === true) return
    const adminToken = token()
    const session = request.headers.authorization === undefined ? requestSession(request, adminToken) : undefined
    if (session === undefined || adminToken === undefined) {
      await bearer(request, reply)
      return
    }
    if (SAFE_METHODS.has(request.method)) return
    if (crossSite(request) || !csrfMatches(adminToken, session, request.headers[CSRF_HEADER])) {
      await reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: `a request with the session cookie needs the ${CSRF_HEADER} header of the dashboard page` })
    }
  }
}
