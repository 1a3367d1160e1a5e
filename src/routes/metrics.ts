import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

const metrics: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/metrics', {
    schema: {
      summary: 'Prometheus metrics',
      tags: ['metrics'],
      produces: ['text/plain'],
      response: { 200: Type.String() }
    }
  }, async (_request, reply) => {
    const body = await app.metrics.registry.metrics()
    return await reply.type(app.metrics.registry.contentType).send(body)
  })
}

export default metrics
