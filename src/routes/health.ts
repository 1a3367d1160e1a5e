import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

const Live = Type.Object({ status: Type.Literal('ok') })
const Ready = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  store: Type.Union([Type.Literal('redis'), Type.Literal('memory')]),
  reason: Type.Optional(Type.String())
})

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health/live', {
    schema: { summary: 'The process is up', tags: ['health'], response: { 200: Live } }
  }, async () => ({ status: 'ok' as const }))

  app.get('/health/ready', {
    schema: { summary: 'The store is reachable', tags: ['health'], response: { 200: Ready, 503: Ready } }
  }, async (_request, reply) => {
    try {
      await app.store.ping()
      return { status: 'ok' as const, store: app.store.kind }
    } catch (error) {
      app.log.debug({ err: error }, 'readiness check failed')
      return await reply.code(503).send({ status: 'unavailable' as const, store: app.store.kind, reason: `${app.store.kind} store unreachable` })
    }
  })
}

export default health
