/*
 * Readers for values of unknown shape. The dashboard shows what other code
 * (and, through it, EspoCRM) wrote into the store, possibly by an older or
 * newer version of the service: whatever is missing or odd becomes a neutral
 * value instead of an exception, and long texts are cut so that one huge
 * error message cannot bloat every refresh.
 */

export const MAX_TEXT = 2000

export function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A string (numbers are spelled out), cut to `max` characters; anything else is null. */
export function text (value: unknown, max = MAX_TEXT): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value !== 'string') return null
  return value.length > max ? `${value.slice(0, max)}…` : value
}

/** The first of `keys` that holds a text. */
export function firstText (record: Record<string, unknown>, keys: readonly string[], max = MAX_TEXT): string | null {
  for (const key of keys) {
    const value = text(record[key], max)
    if (value !== null && value !== '') return value
  }
  return null
}

/** A finite, non-negative integer, or null. */
export function count (value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null
  return Math.min(Math.round(value), Number.MAX_SAFE_INTEGER)
}

/** An instant as ISO 8601: from an ISO string or epoch milliseconds; null when it is not one. */
export function instant (value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null
  if (typeof value === 'string' && value.length > 64) return null
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/** The first of `keys` that holds an instant. */
export function firstInstant (record: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = instant(record[key])
    if (value !== null) return value
  }
  return null
}
