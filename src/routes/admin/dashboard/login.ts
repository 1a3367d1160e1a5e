import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { bearerMatches } from '../../../http/bearer.js'
import { renderDisabledPage, renderForbiddenPage, renderLoginPage } from '../../../dashboard/login-page.js'
import { clearedSessionCookie, createSession, csrfMatches, sessionCookie } from '../../../dashboard/session.js'
import { PAGE_CONFIG, requestSession } from './auth.js'
import { sendPage, viaHttps } from './html-reply.js'
import { htmlPage, jsonError, LoginBody, LogoutBody, redirect } from './schemas.js'

/*
 * Log in with the admin token (a browser cannot send a bearer header when it
 * navigates), log out. Both answer a form post with 303 to the dashboard.
 */
const login: FastifyPluginAsyncTypebox = async (app) => {
  // The login and logout forms post urlencoded bodies; only these routes accept them.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })

  app.post('/admin/login', {
    config: PAGE_CONFIG,
    schema: {
      summary: 'Log in to the dashboard with ADMIN_TOKEN (form post); sets the session cookie',
      tags: ['dashboard'],
      consumes: ['application/x-www-form-urlencoded'],
      body: LoginBody,
      response: {
        303: redirect('See Other: logged in, on to the dashboard (Location header)'),
        400: jsonError('No token field'),
        401: htmlPage('The login form again (wrong token), or the notice that no ADMIN_TOKEN is configured')
      }
    }
  }, async (request, reply) => {
    const adminToken = app.config.ADMIN_TOKEN
    if (adminToken === undefined) return await sendPage(reply, 401, renderDisabledPage)
    if (!bearerMatches(`Bearer ${request.body.token}`, adminToken)) {
      request.log.warn({ ip: request.ip }, 'dashboard login with a wrong token')
      return await sendPage(reply, 401, nonce => renderLoginPage(nonce, 'That is not the admin token.'))
    }
    request.log.info({ ip: request.ip }, 'dashboard login')
    return await reply.header('set-cookie', sessionCookie(createSession(adminToken), viaHttps(request))).header('cache-control', 'no-store').redirect('./', 303)
  })

  app.post('/admin/logout', {
    config: PAGE_CONFIG,
    schema: {
      summary: 'Log out of the dashboard (form post); clears the session cookie',
      tags: ['dashboard'],
      consumes: ['application/x-www-form-urlencoded'],
      body: LogoutBody,
      response: { 303: redirect('See Other: logged out, on to the login form (Location header)'), 400: jsonError('Unreadable form'), 403: htmlPage('The form did not come from the dashboard page') }
    }
  }, async (request, reply) => {
    const adminToken = app.config.ADMIN_TOKEN
    const session = requestSession(request, adminToken)
    // Only a live session needs protecting from a forged logout; a dead one is cleared regardless.
    if (session !== undefined && !csrfMatches(adminToken as string, session, request.body.csrf)) return await sendPage(reply, 403, renderForbiddenPage)
    return await reply.header('set-cookie', clearedSessionCookie(viaHttps(request))).header('cache-control', 'no-store').redirect('./', 303)
  })
}

export default login
