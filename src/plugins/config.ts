import fp from 'fastify-plugin'
import type { AppConfig } from '../config/schema.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig
  }
}

export default fp<{ config: AppConfig }>(async (app, options) => {
  app.decorate('config', options.config)
}, { name: 'config' })
