import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { LockScope, Store } from '../store/types.js'
import { akteBackoffMs, type BackoffOptions } from './backoff.js'
import type { SyncOutcome, SyncRunner } from './types.js'

export interface WorkerOptions {
  /** Akten synced at once by this instance. */
  concurrency: number
  leaseMs: number
  lockMode: 'akte' | 'global'
  lockTtlMs: number
  maxAttempts: number
  backoff: BackoffOptions
  /** Start the next Akte as soon as a slot frees, instead of waiting for the next tick. */
  continuous: boolean
}

/**
 * Claims Akten from the store and runs their syncs: leases renewed while a
 * sync runs, a lock per Akte (or one global lock), failures into backoff,
 * and a clean stop that returns unfinished Akten to pending.
 */
export class SyncWorker {
  readonly owner = `${process.pid}-${randomUUID().slice(0, 8)}`
  private readonly running = new Map<string, { promise: Promise<void>, abort: AbortController }>()
  private draining: Promise<void> | undefined
  private again = false
  private stopped = false

  constructor (
    private readonly store: Store,
    private readonly runSync: SyncRunner,
    private readonly log: FastifyBaseLogger,
    private readonly options: WorkerOptions
  ) {}

  get activeCount (): number {
    return this.running.size
  }

  /** Claims what free slots allow and starts those syncs; concurrent calls coalesce. */
  async drain (): Promise<void> {
    if (this.draining !== undefined) {
      this.again = true
      return await this.draining
    }
    this.draining = (async () => {
      try {
        do {
          this.again = false
          await this.claimAndStart()
        } while (this.again && !this.stopped)
      } finally {
        this.draining = undefined
      }
    })()
    return await this.draining
  }

  /** Resolves when no sync of this worker is running. */
  async idle (): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()].map(r => r.promise))
  }

  /** Stops claiming, lets running syncs finish for `graceMs`, then aborts them at their next safe point. */
  async stop (graceMs: number): Promise<void> {
    this.stopped = true
    await this.draining?.catch(() => undefined)
    const all = Promise.allSettled([...this.running.values()].map(r => r.promise))
    let timer: NodeJS.Timeout | undefined
    const graceOver = new Promise<'timeout'>(resolve => { timer = setTimeout(() => resolve('timeout'), graceMs) })
    if (await Promise.race([all.then(() => 'done' as const), graceOver]) === 'timeout') {
      this.log.warn({ running: [...this.running.keys()] }, 'grace period over: stopping running syncs at their next safe point')
      for (const run of this.running.values()) run.abort.abort(new Error('shutting down'))
      await all
    }
    clearTimeout(timer)
  }

  private async claimAndStart (): Promise<void> {
    const free = this.options.concurrency - this.running.size
    if (free <= 0 || this.stopped) return
    const claimed = await this.store.claim(this.owner, this.options.leaseMs, free)
    for (const { aktennummer, attempts } of claimed) {
      const abort = new AbortController()
      const promise = this.runOne(aktennummer, attempts, abort).finally(() => {
        this.running.delete(aktennummer)
        if (this.options.continuous && !this.stopped) void this.drain().catch(error => this.log.error({ err: error }, 'drain failed'))
      })
      this.running.set(aktennummer, { promise, abort })
    }
  }

  private async runOne (aktennummer: string, attempts: number, abort: AbortController): Promise<void> {
    const log = this.log.child({ aktennummer })
    const renewal = setInterval(() => {
      this.store.renew(aktennummer, this.owner, this.options.leaseMs).then(held => {
        if (!held) abort.abort(new Error('lease lost'))
      }, error => log.warn({ err: error }, 'lease renewal failed'))
    }, Math.max(100, Math.floor(this.options.leaseMs / 3)))
    try {
      const scope: LockScope = this.options.lockMode === 'global' ? { kind: 'global' } : { kind: 'akte', aktennummer }
      const locked = await this.store.withLock(scope, { ttlMs: this.options.lockTtlMs }, async lockSignal => {
        const signal = AbortSignal.any([abort.signal, lockSignal])
        try {
          return await this.runSync({ aktennummer, attempts, signal, log })
        } catch (error) {
          return { kind: 'retry', error: error instanceof Error ? error.message : String(error) } satisfies SyncOutcome
        }
      })
      clearInterval(renewal)
      if (!locked.acquired) {
        log.debug('lock busy; back to pending')
        await this.store.release(aktennummer, this.owner)
        return
      }
      await this.settle(aktennummer, attempts, locked.value, abort.signal, log)
    } catch (error) {
      // The store itself failed (Redis down): the lease expires and the Akte comes back.
      log.error({ err: error }, 'sync bookkeeping failed; the lease will return the Akte to pending')
    } finally {
      clearInterval(renewal)
    }
  }

  private async settle (aktennummer: string, attempts: number, outcome: SyncOutcome, signal: AbortSignal, log: FastifyBaseLogger): Promise<void> {
    if (signal.aborted && this.stopped) {
      log.info('stopped for shutdown; back to pending')
      await this.store.release(aktennummer, this.owner)
      return
    }
    // advoware_sync_runs_total is counted by the engine (reportRun), once per run: not again here.
    if (outcome.kind === 'done') {
      await this.store.complete(aktennummer, this.owner)
      return
    }
    const delayMs = akteBackoffMs(attempts + 1, this.options.backoff)
    const result = await this.store.retryLater(aktennummer, this.owner, { error: outcome.error, delayMs, maxAttempts: this.options.maxAttempts })
    if (result.outcome === 'failed') log.error({ attempts: result.attempts, error: outcome.error }, 'sync failed too often; moved to the failed set')
    else if (result.outcome === 'delayed') log.warn({ attempts: result.attempts, retryInMs: delayMs, error: outcome.error }, 'sync failed; will retry')
  }
}
