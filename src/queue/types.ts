import type { FastifyBaseLogger } from 'fastify'

/** How one Akte's sync ended, as far as the queue is concerned. */
export type SyncOutcome =
  /** Done (synced, partial with only permanent file errors, blocked, archived, inactive): leaves the queue. */
  | { kind: 'done', status: string }
  /** Worth another attempt later (an external system was down, a transient file error). */
  | { kind: 'retry', error: string }

export interface SyncJob {
  aktennummer: string
  /** Failed attempts before this one. */
  attempts: number
  /** Aborts when the lease or the lock is lost, or on shutdown: stop before the next write. */
  signal: AbortSignal
  log: FastifyBaseLogger
}

export type SyncRunner = (job: SyncJob) => Promise<SyncOutcome>
