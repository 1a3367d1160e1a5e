import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { loadDashboard, type DashboardData } from '../../../dashboard/load.js'
import { renderDashboardPage, renderSections } from '../../../dashboard/dashboard-page.js'
import { renderDisabledPage, renderLoginPage, renderUnavailablePage } from '../../../dashboard/login-page.js'
import { csrfToken } from '../../../dashboard/session.js'
import { PAGE_CONFIG, requestSession } from './auth.js'
import { sendPage } from './html-reply.js'
import { htmlPage, redirect } from './schemas.js'

const pageResponses = {
  200: htmlPage('The dashboard'),
  401: htmlPage('The login form, or the notice that no ADMIN_TOKEN is configured'),
  503: htmlPage('The store is unavailable')
}

/** The status dashboard: the login form without a session, the queue and the Akten with one. */
const pages: FastifyPluginAsyncTypebox = async (app) => {
  /**
   * Runs `render` for a request with a valid session and the store's data;
   * answers the login form, the disabled notice or the outage notice otherwise.
   */
  async function withData (request: FastifyRequest, reply: FastifyReply, render: (data: DashboardData, session: string, adminToken: string) => (nonce: string) => string): Promise<FastifyReply> {
    const adminToken = app.config.ADMIN_TOKEN
    if (adminToken === undefined) return await sendPage(reply, 401, renderDisabledPage)
    const session = requestSession(request, adminToken)
    if (session === undefined) return await sendPage(reply, 401, nonce => renderLoginPage(nonce))
    let data: DashboardData
    try {
      data = await loadDashboard(app.store)
    } catch (error) {
      request.log.warn({ err: error }, 'dashboard could not read the store')
      return await sendPage(reply, 503, renderUnavailablePage)
    }
    return await sendPage(reply, 200, render(data, session, adminToken))
  }

  app.get('/admin', {
    config: PAGE_CONFIG,
    schema: { summary: 'Redirects to the dashboard at /admin/', tags: ['dashboard'], response: { 301: redirect('Moved Permanently: to /admin/ (Location header)') } }
  }, async (_request, reply) => {
    // Relative, so it also works when a proxy serves the service under a path prefix.
    return await reply.redirect('admin/', 301)
  })

  app.get('/admin/', {
    config: PAGE_CONFIG,
    schema: { summary: 'Status dashboard (HTML); without a session cookie the login form', tags: ['dashboard'], response: pageResponses }
  }, async (request, reply) => await withData(request, reply, (data, session, adminToken) => nonce =>
    renderDashboardPage(data, { nonce, csrf: csrfToken(adminToken, session), leaseMs: app.config.SYNC_LEASE_MS })))

  app.get('/admin/sections', {
    config: PAGE_CONFIG,
    schema: {
      summary: "The dashboard's refreshable sections as an HTML fragment (what the page polls)",
      tags: ['dashboard'],
      response: { ...pageResponses, 200: htmlPage('The sections, without head, style or script') }
    }
  }, async (request, reply) => await withData(request, reply, data => () => renderSections(data, app.config.SYNC_LEASE_MS)))
}

export default pages
