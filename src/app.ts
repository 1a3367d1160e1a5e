import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import sensible from '@fastify/sensible'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AppConfig } from './config/schema.js'
import { loggerOptions } from './logger.js'
import configPlugin from './plugins/config.js'
import storePlugin from './plugins/store.js'
import metricsPlugin from './plugins/metrics.js'
import errorHandler from './plugins/error-handler.js'
import clientsPlugin, { type Clients } from './plugins/clients.js'
import queuePlugin from './plugins/queue.js'
import syncPlugin from './plugins/sync.js'
import webhooksPlugin from './plugins/webhooks.js'
import healthRoutes from './routes/health.js'
import metricsRoutes from './routes/metrics.js'
import espocrmWebhook from './routes/webhooks/espocrm.js'
import watcherWebhook from './routes/webhooks/watcher.js'
import adminRoutes from './routes/admin/index.js'
import type { SyncRunner } from './queue/types.js'
import type { Store } from './store/types.js'

export interface BuildOptions {
  config: AppConfig
  /** Injected in tests; otherwise chosen from the configuration. */
  store?: Store
  /** Overrides the logger (tests pass `false` or a stream). */
  logger?: FastifyServerOptions['logger']
  /** Injected in tests; otherwise built from the configuration. */
  clients?: Clients
  /** Replaces the sync engine's runner (tests). */
  runner?: SyncRunner
  /** false: this instance only enqueues and serves, it claims no Akte (CLI, tests). */
  worker?: boolean
}

export function fastifyOptions (options: BuildOptions): FastifyServerOptions {
  return {
    logger: options.logger ?? loggerOptions(options.config.LOG_LEVEL),
    // Webhook bodies are small JSON; anything bigger is refused before parsing.
    bodyLimit: 1024 * 1024,
    // Unknown properties are refused (400), not silently dropped.
    ajv: { customOptions: { removeAdditional: false } }
  }
}

/** Builds the whole service from its plugins; tests use it with `app.inject`. */
export async function buildApp (options: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions(options))
  await registerService(app, options)
  return app
}

/** Registers every plugin and route on an existing instance (the OpenAPI generator adds swagger first). */
export async function registerService (fastify: FastifyInstance, options: BuildOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  await app.register(sensible)
  await app.register(configPlugin, { config: options.config })
  await app.register(storePlugin, { store: options.store })
  await app.register(metricsPlugin)
  await app.register(errorHandler)
  await app.register(clientsPlugin, { clients: options.clients })
  await app.register(syncPlugin)
  const runner = options.worker === false ? undefined : options.runner ?? app.syncService?.runner
  await app.register(queuePlugin, { runner })
  await app.register(webhooksPlugin)

  await app.register(healthRoutes)
  await app.register(metricsRoutes)
  await app.register(espocrmWebhook)
  await app.register(watcherWebhook)
  await app.register(adminRoutes)
}
