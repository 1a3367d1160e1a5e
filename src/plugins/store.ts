import fp from 'fastify-plugin'
import { MemoryStore } from '../store/memory-store.js'
import { RedisStore } from '../store/redis-store.js'
import { createRedis } from '../store/redis-connection.js'
import type { Store } from '../store/types.js'

declare module 'fastify' {
  interface FastifyInstance {
    store: Store
  }
}

export interface StorePluginOptions {
  /** A ready store (tests); otherwise built from the configuration. */
  store?: Store
}

/**
 * Redis when REDIS_URL (or Sentinels) is configured, else the embedded store
 * so a fresh machine can run the service without any Redis.
 */
export default fp<StorePluginOptions>(async (app, options) => {
  let store = options.store
  if (store === undefined) {
    const { config } = app
    if (config.REDIS_URL !== undefined || config.REDIS_SENTINELS !== undefined) {
      store = new RedisStore({ redis: createRedis(config, app.log), keyPrefix: config.REDIS_KEY_PREFIX })
    } else {
      app.log.warn('REDIS_URL is not set: using the embedded store. It serves a single instance only and forgets the queue on restart; set REDIS_URL for production.')
      store = new MemoryStore()
    }
  }
  app.decorate('store', store)
  app.addHook('onClose', async () => { await store.close() })
}, { name: 'store', dependencies: ['config'] })
