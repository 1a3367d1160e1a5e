import { storeKeys } from './keys.js'
import { MemoryLocks } from './memory-lock.js'
import type { ClaimedAkte, FailedEntry, LockOptions, LockResult, LockScope, QueueDepths, QueueOverview, RetryOutcome, RetryRequest, Store } from './types.js'

interface Lease { owner: string, expiresAt: number }

/**
 * The embedded store: the same semantics as RedisStore in one process, for a
 * machine without Redis. Single-instance and not durable: a restart forgets
 * the queue. Each method runs without awaiting in between, which makes it as
 * atomic as the Lua scripts.
 */
export class MemoryStore implements Store {
  readonly kind = 'memory'
  private readonly pending = new Set<string>()
  private readonly leases = new Map<string, Lease>()
  private readonly delayed = new Map<string, number>()
  private readonly attempts = new Map<string, number>()
  private readonly lastErrors = new Map<string, string>()
  private readonly failed = new Map<string, Omit<FailedEntry, 'aktennummer'>>()
  private readonly state = new Map<string, Map<string, string>>()
  private readonly locks = new MemoryLocks()
  private readonly keys = storeKeys()
  private readonly now: () => number

  constructor (options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now
  }

  async ping (): Promise<void> {}
  async close (): Promise<void> {}

  async enqueue (aktennummern: readonly string[]): Promise<number> {
    let added = 0
    for (const nr of aktennummern) {
      if (this.delayed.has(nr)) continue
      if (this.failed.delete(nr)) this.forgetAttempts(nr)
      if (!this.pending.has(nr)) added++
      this.pending.add(nr)
    }
    return added
  }

  async claim (owner: string, leaseMs: number, max: number): Promise<ClaimedAkte[]> {
    this.reap()
    const now = this.now()
    for (const [nr, dueAt] of this.delayed) {
      if (dueAt <= now) {
        this.delayed.delete(nr)
        this.pending.add(nr)
      }
    }
    const claimed: ClaimedAkte[] = []
    for (const nr of this.pending) {
      if (claimed.length >= max) break
      if (this.leases.has(nr)) continue
      this.pending.delete(nr)
      this.leases.set(nr, { owner, expiresAt: now + leaseMs })
      claimed.push({ aktennummer: nr, attempts: this.attempts.get(nr) ?? 0 })
    }
    return claimed
  }

  async renew (aktennummer: string, owner: string, leaseMs: number): Promise<boolean> {
    const lease = this.leases.get(aktennummer)
    if (lease?.owner !== owner) return false
    lease.expiresAt = this.now() + leaseMs
    return true
  }

  async complete (aktennummer: string, owner: string): Promise<void> {
    if (!this.endLease(aktennummer, owner)) return
    this.forgetAttempts(aktennummer)
  }

  async release (aktennummer: string, owner: string): Promise<void> {
    if (this.endLease(aktennummer, owner)) this.pending.add(aktennummer)
  }

  async retryLater (aktennummer: string, owner: string, request: RetryRequest): Promise<RetryOutcome> {
    if (!this.endLease(aktennummer, owner)) return { outcome: 'lost' }
    const now = this.now()
    const attempts = (this.attempts.get(aktennummer) ?? 0) + 1
    if (attempts >= request.maxAttempts) {
      this.forgetAttempts(aktennummer)
      this.pending.delete(aktennummer)
      this.failed.set(aktennummer, { attempts, error: request.error, failedAt: now })
      return { outcome: 'failed', attempts }
    }
    this.attempts.set(aktennummer, attempts)
    this.lastErrors.set(aktennummer, request.error)
    if (!this.pending.has(aktennummer)) this.delayed.set(aktennummer, now + request.delayMs)
    return { outcome: 'delayed', attempts, dueAt: now + request.delayMs }
  }

  async reapExpiredLeases (): Promise<string[]> {
    return this.reap()
  }

  async retryNow (aktennummer: string): Promise<boolean> {
    const was = this.failed.delete(aktennummer) || this.delayed.delete(aktennummer)
    if (!was) return false
    this.forgetAttempts(aktennummer)
    this.pending.add(aktennummer)
    return true
  }

  async overview (): Promise<QueueOverview> {
    return {
      pending: [...this.pending].sort(),
      processing: [...this.leases].map(([nr, lease]) => ({ aktennummer: nr, owner: lease.owner, leaseExpiresAt: lease.expiresAt }))
        .sort((a, b) => a.leaseExpiresAt - b.leaseExpiresAt),
      delayed: [...this.delayed].map(([nr, dueAt]) => ({ aktennummer: nr, dueAt, attempts: this.attempts.get(nr) ?? 0, lastError: this.lastErrors.get(nr) ?? null }))
        .sort((a, b) => a.dueAt - b.dueAt),
      failed: [...this.failed].map(([nr, entry]) => ({ aktennummer: nr, ...entry })).sort((a, b) => a.aktennummer.localeCompare(b.aktennummer))
    }
  }

  async depths (): Promise<QueueDepths> {
    return { pending: this.pending.size, processing: this.leases.size, delayed: this.delayed.size, failed: this.failed.size }
  }

  async withLock<T> (scope: LockScope, options: LockOptions, routine: (signal: AbortSignal) => Promise<T>): Promise<LockResult<T>> {
    const key = scope.kind === 'global' ? this.keys.globalLock : this.keys.akteLock(scope.aktennummer)
    return await this.locks.run(key, options, routine)
  }

  async getState<T> (namespace: string, id: string): Promise<T | undefined> {
    const json = this.state.get(namespace)?.get(id)
    return json === undefined ? undefined : JSON.parse(json) as T
  }

  async setState (namespace: string, id: string, value: unknown): Promise<void> {
    let space = this.state.get(namespace)
    if (space === undefined) this.state.set(namespace, space = new Map())
    // Stored as JSON, like Redis: callers never share objects with the store.
    space.set(id, JSON.stringify(value))
  }

  async deleteState (namespace: string, id: string): Promise<void> {
    this.state.get(namespace)?.delete(id)
  }

  async listStateIds (namespace: string): Promise<string[]> {
    return [...(this.state.get(namespace)?.keys() ?? [])].sort()
  }

  private reap (): string[] {
    const now = this.now()
    const expired: string[] = []
    for (const [nr, lease] of this.leases) {
      if (lease.expiresAt <= now) {
        this.leases.delete(nr)
        this.pending.add(nr)
        expired.push(nr)
      }
    }
    return expired
  }

  private endLease (aktennummer: string, owner: string): boolean {
    if (this.leases.get(aktennummer)?.owner !== owner) return false
    this.leases.delete(aktennummer)
    return true
  }

  private forgetAttempts (aktennummer: string): void {
    this.attempts.delete(aktennummer)
    this.lastErrors.delete(aktennummer)
  }
}
