/**
 * When and how long to wait before another attempt. Exponential backoff with
 * full jitter, so many instances hitting one recovering system spread out.
 */
export interface RetryOptions {
  /** Total attempts including the first. */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 }

export const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504])

/** Statuses that prove the server did not act on the request, so even a POST may be repeated. */
export const NOT_PROCESSED_STATUS = new Set([429, 503])

/** Longest Retry-After we honour; beyond it the Akte is retried by the queue instead. */
const MAX_RETRY_AFTER_MS = 30_000

export function backoffDelay (attempt: number, options: RetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1))
  return Math.round(random() * ceiling)
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unusable. */
export function retryAfterMs (header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (value === undefined || value.trim() === '') return undefined
  const seconds = Number(value)
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now
  if (!Number.isFinite(ms) || ms < 0) return undefined
  return Math.min(ms, MAX_RETRY_AFTER_MS)
}
