import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import type { Test } from 'tap'

export const REDIS_TEST_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379'

/**
 * Whether a missing Redis fails the run. Locally the Redis suites skip;
 * `.ci/run` sets REQUIRE_REDIS=1 so CI can never pass them silently.
 */
export const REDIS_REQUIRED = process.env.REQUIRE_REDIS === '1'

let reachable: Promise<boolean> | undefined

export async function redisReachable (): Promise<boolean> {
  reachable ??= (async () => {
    const probe = new Redis(REDIS_TEST_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null })
    probe.on('error', () => undefined)
    try {
      await probe.connect()
      await probe.ping()
      return true
    } catch {
      return false
    } finally {
      probe.disconnect()
    }
  })()
  return await reachable
}

/** Options for a tap test that needs Redis: skipped locally without it, failing in CI. */
export async function redisTestOptions (): Promise<{ skip: string | false }> {
  if (await redisReachable()) return { skip: false }
  if (REDIS_REQUIRED) throw new Error(`REQUIRE_REDIS=1 but no Redis answers at ${REDIS_TEST_URL}`)
  return { skip: `no Redis at ${REDIS_TEST_URL}` }
}

/** A unique key prefix for one test and a connection; every key under it is deleted afterwards. */
export function uniquePrefix (): string {
  return `test:${randomUUID()}:`
}

export function testRedis (t: Test, prefix: string): Redis {
  const redis = new Redis(REDIS_TEST_URL, { maxRetriesPerRequest: 1 })
  t.teardown(async () => {
    await deleteByPrefix(redis, prefix)
    await redis.quit()
  })
  return redis
}

export async function deleteByPrefix (redis: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
    cursor = next
    if (keys.length > 0) await redis.del(...keys)
  } while (cursor !== '0')
}
