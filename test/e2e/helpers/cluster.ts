import type { Test } from 'tap'
import type { Systems } from '../../../src/sandbox/systems.js'
import type { ProcessingEntry } from '../../../src/store/types.js'
import { REDIS_TEST_URL } from '../../helpers/redis.js'
import { delayProxy, type DelayProxy } from './delay-proxy.js'
import type { TestQueue } from './queue.js'
import { until } from './queue.js'
import { spawnService, type ChildService } from './service.js'

/*
 * Several service processes (src/server.ts) on one Redis queue, as a
 * deployment runs them. The queue names who holds an Akte (`owner` starts
 * with the worker's pid), so a test can kill exactly the process that is
 * syncing it.
 */

/** The children's env for a queue: short lease and lock so a dead holder is replaced within seconds. */
export function clusterEnv (queue: TestQueue, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...queue.env,
    SYNC_LOCK_MODE: 'akte',
    SYNC_LEASE_MS: '2000',
    SYNC_LOCK_TTL_MS: '1000',
    SYNC_INTERVAL_MS: '200',
    // Warnings and errors only: a child's output is printed when a test fails.
    LOG_LEVEL: 'warn',
    ...extra
  }
}

export interface ClusterOptions {
  /** Each member reaches Redis through a proxy of its own, whose link the test can stall. */
  proxied?: boolean
}

export class Cluster {
  readonly members: ChildService[] = []
  readonly proxies = new Map<ChildService, DelayProxy>()

  constructor (
    private readonly t: Test,
    private readonly systems: Systems,
    private readonly queue: TestQueue,
    private readonly env: Record<string, string>,
    private readonly options: ClusterOptions = {}
  ) {}

  /** Starts `count` processes side by side. */
  async start (count: number): Promise<void> {
    this.members.push(...await Promise.all(Array.from({ length: count }, async () => await this.spawn())))
  }

  async spawn (): Promise<ChildService> {
    const proxy = this.options.proxied === true ? await delayProxy(this.t, REDIS_TEST_URL) : undefined
    const member = await spawnService(this.t, this.systems, { ...this.env, ...(proxy === undefined ? {} : { REDIS_URL: proxy.url }) })
    if (proxy !== undefined) this.proxies.set(member, proxy)
    return member
  }

  /** The member whose worker owns `entry`, by the pid in the owner id. */
  ownerOf (entry: Pick<ProcessingEntry, 'owner'>): ChildService | undefined {
    const pid = Number(entry.owner.split('-')[0])
    return this.members.find(m => m.pid === pid)
  }

  /** Waits until the Akte is in processing; resolves to its entry. */
  async processing (aktennummer: string, timeoutMs = 15_000): Promise<ProcessingEntry> {
    return await until(async () => (await this.queue.store.overview()).processing.find(p => p.aktennummer === aktennummer), timeoutMs, `${aktennummer} to be claimed`)
  }

  /** SIGKILLs a member and starts a replacement in the background; resolves once it is dead. */
  async kill (member: ChildService): Promise<{ replacement: Promise<ChildService> }> {
    member.child.kill('SIGKILL')
    await member.exited
    this.members.splice(this.members.indexOf(member), 1)
    const replacement = this.spawn().then(m => { this.members.push(m); return m })
    return { replacement }
  }

  /** Output of every member, for a failing assertion's diagnostics. */
  output (): string {
    return this.members.map(m => `--- pid ${m.pid}\n${m.output().slice(-3000)}`).join('\n')
  }

  /** SIGTERM to all: each must exit 0 (graceful). */
  async stop (): Promise<Array<number | null>> {
    return await Promise.all(this.members.splice(0).map(async m => {
      if (m.child.exitCode !== null || m.child.signalCode !== null) return m.child.exitCode
      m.child.kill('SIGTERM')
      return await m.exited
    }))
  }
}

/**
 * Watches the queue while `body` runs: the longest time any Akte stayed in
 * processing after its lease had expired (a crashed holder's Akte must come
 * back within a drain interval or so).
 */
export async function watchLeases<T> (queue: TestQueue, body: () => Promise<T>, everyMs = 50): Promise<{ value: T, worstOverdueMs: number, worst: string | null }> {
  let worstOverdueMs = 0
  let worst: string | null = null
  let running = true
  const watcher = (async () => {
    while (running) {
      const now = Date.now()
      for (const p of (await queue.store.overview()).processing) {
        if (now - p.leaseExpiresAt > worstOverdueMs) { worstOverdueMs = now - p.leaseExpiresAt; worst = p.aktennummer }
      }
      await new Promise(resolve => setTimeout(resolve, everyMs))
    }
  })()
  try {
    const value = await body()
    return { value, worstOverdueMs, worst }
  } finally {
    running = false
    await watcher
  }
}
