/**
 * Everything the sync keeps between runs: the queue of Aktennummern, leases
 * of running syncs, locks, and per-Akte state. Two implementations (Redis and
 * an embedded in-process one) pass the same contract suite.
 */

export interface ClaimedAkte {
  aktennummer: string
  /** Failed attempts so far (0 for a fresh enqueue). */
  attempts: number
}

export interface ProcessingEntry {
  aktennummer: string
  owner: string
  leaseExpiresAt: number
}

export interface DelayedEntry {
  aktennummer: string
  dueAt: number
  attempts: number
  lastError: string | null
}

export interface FailedEntry {
  aktennummer: string
  attempts: number
  error: string
  failedAt: number
}

export interface QueueOverview {
  pending: string[]
  processing: ProcessingEntry[]
  delayed: DelayedEntry[]
  failed: FailedEntry[]
}

export interface QueueDepths {
  pending: number
  processing: number
  delayed: number
  failed: number
}

export type RetryOutcome =
  | { outcome: 'delayed', attempts: number, dueAt: number }
  | { outcome: 'failed', attempts: number }
  /** The lease had already expired and been reaped: another run owns the Akte now. */
  | { outcome: 'lost' }

export interface RetryRequest {
  error: string
  /** Backoff for this attempt, computed by the caller. */
  delayMs: number
  /** At this many failed attempts the Akte moves to the failed set. */
  maxAttempts: number
}

export type LockResult<T> = { acquired: true, value: T } | { acquired: false }

/** One global lock as in the original design, or one per Akte. */
export type LockScope = { kind: 'global' } | { kind: 'akte', aktennummer: string }

export interface LockOptions {
  /** Lease of the lock; it is extended automatically while the routine runs. */
  ttlMs: number
}

export interface Store {
  readonly kind: 'redis' | 'memory'

  /** Resolves when the backend answers; rejects otherwise (readiness). */
  ping(): Promise<void>
  close(): Promise<void>

  /**
   * Adds Aktennummern to the pending set. An Akte waiting in backoff stays
   * there; one in the failed set starts afresh. Returns how many were new.
   */
  enqueue(aktennummern: readonly string[]): Promise<number>

  /**
   * Atomically moves up to `max` pending Akten (none already processing) to
   * processing with a lease for `owner`. Promotes delayed Akten that are due
   * and returns expired leases to pending first.
   */
  claim(owner: string, leaseMs: number, max: number): Promise<ClaimedAkte[]>

  /** Extends the lease; false when the lease is no longer this owner's. */
  renew(aktennummer: string, owner: string, leaseMs: number): Promise<boolean>

  /** The sync finished (or the Akte left the queue for good): forget it. */
  complete(aktennummer: string, owner: string): Promise<void>

  /** Back to pending at once, without counting an attempt (shutdown, busy lock). */
  release(aktennummer: string, owner: string): Promise<void>

  /** A failed attempt: into backoff, or into the failed set after maxAttempts. */
  retryLater(aktennummer: string, owner: string, request: RetryRequest): Promise<RetryOutcome>

  /** Moves processing Akten whose lease expired back to pending. */
  reapExpiredLeases(): Promise<string[]>

  /** Failed (or delayed) Akte back to pending with attempts reset; false when it was neither. */
  retryNow(aktennummer: string): Promise<boolean>

  overview(): Promise<QueueOverview>
  depths(): Promise<QueueDepths>

  /**
   * Runs `routine` while holding the lock of `scope`; `signal` aborts when the lock is
   * lost, so the routine stops before its next write. Busy: `{acquired:false}`.
   */
  withLock<T>(scope: LockScope, options: LockOptions, routine: (signal: AbortSignal) => Promise<T>): Promise<LockResult<T>>

  getState<T>(namespace: string, id: string): Promise<T | undefined>
  setState(namespace: string, id: string, value: unknown): Promise<void>
  deleteState(namespace: string, id: string): Promise<void>
  listStateIds(namespace: string): Promise<string[]>
}
