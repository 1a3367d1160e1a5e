import { Redis, type RedisOptions } from 'ioredis'
import type { FastifyBaseLogger } from 'fastify'
import type { AppConfig } from '../config/schema.js'

type RedisConfig = Pick<AppConfig, 'REDIS_URL' | 'REDIS_SENTINELS' | 'REDIS_SENTINEL_NAME' | 'REDIS_SENTINEL_PASSWORD'>

/**
 * Options shared by every connection: commands fail fast while Redis is away
 * (readiness and webhooks answer 503 instead of hanging), and the client keeps
 * reconnecting on its own so the service recovers without a restart.
 */
export function redisOptions (config: RedisConfig): RedisOptions {
  const options: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
    commandTimeout: 5_000,
    retryStrategy: times => Math.min(times * 250, 2_000)
  }
  if (config.REDIS_SENTINELS !== undefined) {
    options.sentinels = config.REDIS_SENTINELS.split(',').map(entry => {
      const [host, port] = entry.split(':')
      return { host: host as string, port: Number(port) }
    })
    options.name = config.REDIS_SENTINEL_NAME
    options.sentinelPassword = config.REDIS_SENTINEL_PASSWORD
  }
  return options
}

export function createRedis (config: RedisConfig, log: FastifyBaseLogger): Redis {
  const options = redisOptions(config)
  // With Sentinels the URL only carries credentials and db; the master comes from them.
  const redis = config.REDIS_URL !== undefined ? new Redis(config.REDIS_URL, options) : new Redis(options)
  let lastReport = 0
  redis.on('error', (error: Error & { code?: string }) => {
    // A down Redis errors on every reconnect attempt; one line per 30 s is enough.
    if (Date.now() - lastReport < 30_000) return
    lastReport = Date.now()
    log.warn({ code: error.code, message: error.message }, 'Redis unavailable; retrying in the background')
  })
  redis.on('ready', () => {
    if (lastReport !== 0) log.info('Redis connection restored')
    lastReport = 0
  })
  return redis
}
