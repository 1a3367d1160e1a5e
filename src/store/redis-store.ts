import { readFileSync } from 'node:fs'
import Redlock from 'redlock'
import type { Redis } from 'ioredis'
import { storeKeys, type StoreKeys } from './keys.js'
import { withRedisLock } from './redis-lock.js'
import type { ClaimedAkte, FailedEntry, LockOptions, LockResult, LockScope, QueueDepths, QueueOverview, RetryOutcome, RetryRequest, Store } from './types.js'

const SCRIPTS = {
  claimAkten: { file: 'claim.lua', keys: 6 },
  renewLease: { file: 'renew.lua', keys: 2 },
  finishAkte: { file: 'finish.lua', keys: 6 },
  retryAkteLater: { file: 'retry-later.lua', keys: 8 },
  enqueueAkten: { file: 'enqueue.lua', keys: 5 },
  retryAkteNow: { file: 'retry-now.lua', keys: 5 },
  reapLeases: { file: 'reap.lua', keys: 4 }
} as const

type ScriptName = keyof typeof SCRIPTS
type ScriptCaller = (...args: Array<string | number>) => Promise<unknown>

export interface RedisStoreOptions {
  redis: Redis
  keyPrefix?: string
  /** Closes the connection with the store (false when the caller shares it). */
  ownsConnection?: boolean
  now?: () => number
}

/**
 * The store on Redis. Every move between queue sets is one Lua script, so a
 * crash between two calls can never drop an Akte.
 */
export class RedisStore implements Store {
  readonly kind = 'redis'
  readonly keys: StoreKeys
  private readonly redis: Redis
  private readonly redlock: Redlock
  private readonly ownsConnection: boolean
  private readonly now: () => number

  constructor (options: RedisStoreOptions) {
    this.redis = options.redis
    this.keys = storeKeys(options.keyPrefix)
    this.ownsConnection = options.ownsConnection ?? true
    this.now = options.now ?? Date.now
    this.redlock = new Redlock([this.redis], { retryCount: 0 })
    // Redlock re-emits client errors; the connection's own listener reports them.
    this.redlock.on('error', () => undefined)
    for (const [name, script] of Object.entries(SCRIPTS)) {
      if (typeof (this.redis as unknown as Record<string, unknown>)[name] === 'function') continue
      this.redis.defineCommand(name, {
        numberOfKeys: script.keys,
        lua: readFileSync(new URL(`./lua/${script.file}`, import.meta.url), 'utf8')
      })
    }
  }

  async ping (): Promise<void> {
    await this.redis.ping()
  }

  async close (): Promise<void> {
    if (this.ownsConnection) await this.redis.quit().catch(() => this.redis.disconnect())
  }

  async enqueue (aktennummern: readonly string[]): Promise<number> {
    if (aktennummern.length === 0) return 0
    const k = this.keys
    return Number(await this.script('enqueueAkten', k.pending, k.delayed, k.failed, k.attempts, k.lastErrors, ...aktennummern))
  }

  async claim (owner: string, leaseMs: number, max: number): Promise<ClaimedAkte[]> {
    await this.reapExpiredLeases()
    const k = this.keys
    const flat = await this.script('claimAkten', k.pending, k.processing, k.leases, k.owners, k.delayed, k.attempts, owner, this.now(), leaseMs, max) as string[]
    const claimed: ClaimedAkte[] = []
    for (let i = 0; i + 1 < flat.length; i += 2) claimed.push({ aktennummer: flat[i] as string, attempts: Number(flat[i + 1]) })
    return claimed
  }

  async renew (aktennummer: string, owner: string, leaseMs: number): Promise<boolean> {
    return Number(await this.script('renewLease', this.keys.leases, this.keys.owners, aktennummer, owner, this.now(), leaseMs)) === 1
  }

  async complete (aktennummer: string, owner: string): Promise<void> {
    await this.finish(aktennummer, owner, 'complete')
  }

  async release (aktennummer: string, owner: string): Promise<void> {
    await this.finish(aktennummer, owner, 'release')
  }

  async retryLater (aktennummer: string, owner: string, request: RetryRequest): Promise<RetryOutcome> {
    const k = this.keys
    const now = this.now()
    const [outcome, attempts] = await this.script('retryAkteLater', k.processing, k.leases, k.owners, k.delayed, k.attempts, k.lastErrors, k.failed, k.pending,
      aktennummer, owner, now, request.delayMs, request.maxAttempts, request.error) as [string, string]
    if (outcome === 'lost') return { outcome: 'lost' }
    if (outcome === 'failed') return { outcome: 'failed', attempts: Number(attempts) }
    return { outcome: 'delayed', attempts: Number(attempts), dueAt: now + request.delayMs }
  }

  async reapExpiredLeases (): Promise<string[]> {
    const k = this.keys
    return await this.script('reapLeases', k.pending, k.processing, k.leases, k.owners, this.now()) as string[]
  }

  async retryNow (aktennummer: string): Promise<boolean> {
    const k = this.keys
    return Number(await this.script('retryAkteNow', k.pending, k.delayed, k.failed, k.attempts, k.lastErrors, aktennummer)) === 1
  }

  async overview (): Promise<QueueOverview> {
    const k = this.keys
    const [pending, leases, owners, delayed, attempts, lastErrors, failed] = await Promise.all([
      this.redis.smembers(k.pending),
      this.redis.zrange(k.leases, 0, -1, 'WITHSCORES'),
      this.redis.hgetall(k.owners),
      this.redis.zrange(k.delayed, 0, -1, 'WITHSCORES'),
      this.redis.hgetall(k.attempts),
      this.redis.hgetall(k.lastErrors),
      this.redis.hgetall(k.failed)
    ])
    return {
      pending: pending.sort(),
      processing: pairs(leases).map(([nr, at]) => ({ aktennummer: nr, owner: owners[nr] ?? '', leaseExpiresAt: Number(at) })),
      delayed: pairs(delayed).map(([nr, at]) => ({ aktennummer: nr, dueAt: Number(at), attempts: Number(attempts[nr] ?? 0), lastError: lastErrors[nr] ?? null })),
      failed: Object.entries(failed).map(([nr, json]) => ({ aktennummer: nr, ...(JSON.parse(json) as Omit<FailedEntry, 'aktennummer'>) }))
        .sort((a, b) => a.aktennummer.localeCompare(b.aktennummer))
    }
  }

  async depths (): Promise<QueueDepths> {
    const k = this.keys
    const [pending, processing, delayed, failed] = await Promise.all([
      this.redis.scard(k.pending), this.redis.scard(k.processing), this.redis.zcard(k.delayed), this.redis.hlen(k.failed)
    ])
    return { pending, processing, delayed, failed }
  }

  async withLock<T> (scope: LockScope, options: LockOptions, routine: (signal: AbortSignal) => Promise<T>): Promise<LockResult<T>> {
    const key = scope.kind === 'global' ? this.keys.globalLock : this.keys.akteLock(scope.aktennummer)
    return await withRedisLock(this.redlock, key, options, routine)
  }

  async getState<T> (namespace: string, id: string): Promise<T | undefined> {
    const json = await this.redis.hget(this.keys.state(namespace), id)
    return json === null ? undefined : JSON.parse(json) as T
  }

  async setState (namespace: string, id: string, value: unknown): Promise<void> {
    await this.redis.hset(this.keys.state(namespace), id, JSON.stringify(value))
  }

  async deleteState (namespace: string, id: string): Promise<void> {
    await this.redis.hdel(this.keys.state(namespace), id)
  }

  async listStateIds (namespace: string): Promise<string[]> {
    return (await this.redis.hkeys(this.keys.state(namespace))).sort()
  }

  private async finish (aktennummer: string, owner: string, mode: 'complete' | 'release'): Promise<void> {
    const k = this.keys
    await this.script('finishAkte', k.pending, k.processing, k.leases, k.owners, k.attempts, k.lastErrors, aktennummer, owner, mode)
  }

  private async script (name: ScriptName, ...args: Array<string | number>): Promise<unknown> {
    return await ((this.redis as unknown as Record<ScriptName, ScriptCaller>)[name])(...args)
  }
}

function pairs (flat: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i] as string, flat[i + 1] as string])
  return out
}
