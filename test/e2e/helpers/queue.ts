import { setTimeout as sleep } from 'node:timers/promises'
import type { Redis } from 'ioredis'
import type { Test } from 'tap'
import { RedisStore } from '../../../src/store/redis-store.js'
import type { QueueDepths } from '../../../src/store/types.js'
import { REDIS_TEST_URL, testRedis, uniquePrefix } from '../../helpers/redis.js'

/*
 * The test's own view of the shared Redis queue: a RedisStore on a
 * connection of its own, under a key prefix no other test uses. Its keys are
 * deleted after the test, once the services (registered later, torn down
 * first) are gone.
 */

export interface TestQueue {
  prefix: string
  redis: Redis
  store: RedisStore
  /** What a service instance needs to join this queue. */
  env: Record<string, string>
  /** SADD on the original key, as the existing producers of the old implementation do: no wake-up. */
  legacyAdd: (...aktennummern: string[]) => Promise<void>
}

export function testQueue (t: Test, env: Record<string, string> = {}): TestQueue {
  const prefix = uniquePrefix()
  const redis = testRedis(t, prefix)
  const store = new RedisStore({ redis, keyPrefix: prefix, ownsConnection: false })
  return {
    prefix,
    redis,
    store,
    env: { REDIS_URL: REDIS_TEST_URL, REDIS_KEY_PREFIX: prefix, ...env },
    legacyAdd: async (...aktennummern) => { await redis.sadd(store.keys.pending, ...aktennummern) }
  }
}

export const EMPTY: QueueDepths = { pending: 0, processing: 0, delayed: 0, failed: 0 }

export async function queueEmpty (store: RedisStore): Promise<boolean> {
  const depths = await store.depths()
  return depths.pending === 0 && depths.processing === 0 && depths.delayed === 0 && depths.failed === 0
}

/** waitFor with a finer step, for moments that last a few hundred milliseconds. */
export async function until<T> (check: () => Promise<T | undefined | false>, timeoutMs: number, what: string, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    await sleep(everyMs)
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
}

/** Deterministic pseudo-random numbers, so a failing soak round can be replayed (seed printed by the test). */
export function seeded (seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let x = state
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}
