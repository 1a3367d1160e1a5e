import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { AktennummerSchema } from '../../domain/aktennummer.js'
import { requireBearer } from '../../http/bearer.js'
import { ErrorBody } from '../../http/schemas.js'

const PushBody = Type.Object({
  akte: AktennummerSchema,
  paths: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), { maxItems: 10_000 }))
}, { additionalProperties: false })

const Accepted = Type.Object({ accepted: Type.Literal(true), akte: Type.String() })

/** The Watcher's push: a file of an Akte changed on the share. */
const watcherWebhook: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/webhooks/watcher', {
    bodyLimit: 1024 * 1024,
    // onRequest, not preHandler: without the token nothing is read, parsed or validated (and no
    // validation message tells an unknown sender what the body should look like).
    onRequest: requireBearer(() => app.config.WATCHER_PUSH_TOKEN, 'watcher push'),
    schema: {
      summary: 'Watcher push notification: enqueue the Akte',
      tags: ['webhooks'],
      security: [{ watcherPushToken: [] }],
      body: PushBody,
      response: { 202: Accepted, 400: ErrorBody, 401: ErrorBody, 503: ErrorBody }
    }
  }, async (request, reply) => {
    try {
      await app.queue.enqueue([request.body.akte])
    } catch (error) {
      request.log.warn({ err: error }, 'store unavailable; watcher push refused')
      app.metrics.webhooks.inc({ source: 'watcher', outcome: 'unavailable' })
      return await reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: 'queue unavailable, try again' })
    }
    app.metrics.webhooks.inc({ source: 'watcher', outcome: 'accepted' })
    return await reply.code(202).send({ accepted: true as const, akte: request.body.akte })
  })
}

export default watcherWebhook
