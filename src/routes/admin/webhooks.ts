import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ErrorBody } from '../../http/schemas.js'
import { registerWebhooks } from '../../webhooks/register.js'

const Registered = Type.Object({
  webhooks: Type.Array(Type.Object({
    event: Type.String(),
    webhookId: Type.String(),
    outcome: Type.Union([Type.Literal('created'), Type.Literal('kept'), Type.Literal('replaced')])
  }))
})

/** Registers this service's EspoCRM webhooks; the secrets stay in the store for the signature check. */
const adminWebhooks: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/admin/api/webhooks/register', {
    schema: {
      summary: 'Create the EspoCRM webhooks this service needs (idempotent, skipOwn)',
      tags: ['admin'],
      security: [{ adminToken: [] }],
      response: { 200: Registered, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 502: ErrorBody, 503: ErrorBody }
    }
  }, async (_request, reply) => {
    const espo = app.clients.espocrm
    if (espo === undefined) return await reply.badRequest('EspoCRM is not configured (ESPOCRM_URL, ESPOCRM_API_KEY)')
    if (app.config.PUBLIC_URL === undefined) return await reply.badRequest('PUBLIC_URL is not set: EspoCRM needs the URL under which it reaches this service')
    try {
      const webhooks = await registerWebhooks(espo, app.webhookSecrets, {
        publicUrl: app.config.PUBLIC_URL,
        akteEntity: app.config.ESPOCRM_AKTE_ENTITY,
        documentEntity: app.config.ESPOCRM_DOCUMENT_ENTITY
      })
      return { webhooks }
    } catch (error) {
      app.log.warn({ err: error }, 'webhook registration failed')
      return await reply.code(502).send({ statusCode: 502, error: 'Bad Gateway', message: `EspoCRM refused: ${error instanceof Error ? error.message : String(error)}` })
    }
  })
}

export default adminWebhooks
