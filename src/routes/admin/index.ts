import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import adminQueue from './queue.js'
import adminDashboard, { adminAuth } from './dashboard/index.js'
import adminWebhooks from './webhooks.js'
import adminSync from './sync.js'
import adminSyncNow from './sync-now.js'

/** Everything under /admin sits behind ADMIN_TOKEN; without one the admin API is off. */
const admin: FastifyPluginAsyncTypebox = async (app) => {
  // The bearer header, or the dashboard's session cookie (with its CSRF token for POSTs).
  app.addHook('onRequest', adminAuth(() => app.config.ADMIN_TOKEN))
  app.setErrorHandler(async (error, request, reply) => {
    // The store is the only dependency these routes have: when it is away, say so.
    if ((error as { statusCode?: number }).statusCode === undefined) {
      request.log.warn({ err: error }, 'admin request failed')
      return await reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: 'store unavailable, try again' })
    }
    throw error
  })
  await app.register(adminQueue)
  await app.register(adminDashboard)
  await app.register(adminWebhooks)
  await app.register(adminSync)
  await app.register(adminSyncNow)
}

export default admin
