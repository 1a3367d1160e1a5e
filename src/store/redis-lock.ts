import Redlock, { ExecutionError, ResourceLockedError, type Lock } from 'redlock'
import type { Redis } from 'ioredis'
import type { LockOptions, LockResult } from './types.js'

/**
 * Redlock on one Redis, extended on a timer while the routine runs. We drive
 * acquire/extend/release ourselves instead of redlock's `using()`: its beta
 * retries a failed extension in a tight loop until expiry, while here a
 * failed extension aborts the routine's signal at once.
 */
export async function withRedisLock<T> (
  redlock: Redlock,
  key: string,
  options: LockOptions,
  routine: (signal: AbortSignal) => Promise<T>
): Promise<LockResult<T>> {
  let lock: Lock
  try {
    lock = await redlock.acquire([key], options.ttlMs, { retryCount: 0 })
  } catch (error) {
    if (await isBusy(error)) return { acquired: false }
    throw error
  }
  const controller = new AbortController()
  // Unless an extension is confirmed in time, the lock is gone at its expiry: stop the routine then,
  // not when Redis answers. An extension stuck on a stalled link waits for the command timeout,
  // and meanwhile another instance may take the Akte over.
  let expiry: NodeJS.Timeout | undefined
  const expireAt = (at: number): void => {
    clearTimeout(expiry)
    expiry = setTimeout(() => { controller.abort(new Error('lock expired before an extension was confirmed')) }, Math.max(0, at - Date.now()))
  }
  expireAt(lock.expiration)
  let extending: Promise<void> = Promise.resolve()
  const timer = setInterval(() => {
    extending = extending.then(async () => {
      if (controller.signal.aborted) return
      try {
        lock = await lock.extend(options.ttlMs)
        if (!controller.signal.aborted) expireAt(lock.expiration)
      } catch (error) {
        controller.abort(new Error('lock lost', { cause: error }))
      }
    })
  }, Math.max(50, Math.floor(options.ttlMs / 3)))
  try {
    return { acquired: true, value: await routine(controller.signal) }
  } finally {
    clearInterval(timer)
    clearTimeout(expiry)
    await extending
    // An expired or lost lock needs no release; errors here change nothing.
    await lock.release().catch(() => undefined)
  }
}

/** Whether acquisition failed because someone holds the lock (not because Redis is down). */
async function isBusy (error: unknown): Promise<boolean> {
  if (error instanceof ResourceLockedError) return true
  if (!(error instanceof ExecutionError)) return false
  for (const attempt of error.attempts) {
    const stats = await attempt
    for (const reason of stats.votesAgainst.values()) {
      if (!(reason instanceof ResourceLockedError)) return false
    }
  }
  return true
}
