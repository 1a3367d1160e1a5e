import fp from 'fastify-plugin'
import { ServiceMetrics } from '../metrics/service-metrics.js'

declare module 'fastify' {
  interface FastifyInstance {
    metrics: ServiceMetrics
  }
}

export default fp(async (app) => {
  app.decorate('metrics', new ServiceMetrics(async () => await app.store.depths()))
}, { name: 'metrics', dependencies: ['store'] })
