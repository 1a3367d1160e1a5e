import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireBearer } from '../../http/bearer.js'
import adminQueue from './queue.js'
import adminWebhooks from './webhooks.js'

/** Everything under /admin sits behind ADMIN_TOKEN; without one the admin API is off. */
const admin: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', requireBearer(() => app.config.ADMIN_TOKEN, 'admin API'))
  app.setErrorHandler(async (error, request, reply) => {
    // The store is the only dependency these routes have: when it is away, say so.
    if ((error as { statusCode?: number }).statusCode === undefined) {
      request.log.warn({ err: error }, 'admin request failed')
      return await reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: 'store unavailable, try again' })
    }
    throw error
  })
  await app.register(adminQueue)
  await app.register(adminWebhooks)
}

export default admin
