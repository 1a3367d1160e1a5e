export interface BackoffOptions {
  baseMs: number
  maxMs: number
}

/**
 * Delay before the next attempt of a failed Akte: exponential with jitter,
 * so a broken Akte is not retried every 10 seconds and many failed Akten do
 * not all come back at the same moment.
 */
export function akteBackoffMs (attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(exponential / 2 + random() * exponential / 2)
}
