import { berlinDateTime } from '../sync/berlin-time.js'
import { formatBytes } from '../sync/plan-format.js'

/* How numbers and instants read on the dashboard: the firm's local time, plus "how long ago". */

/** `YYYY-MM-DD HH:mm:ss` in Berlin; '-' for no instant. */
export function berlinTime (at: number | string | null): string {
  if (at === null) return '-'
  const date = new Date(at)
  return Number.isNaN(date.getTime()) ? '-' : berlinDateTime(date).replace('T', ' ')
}

/** A span of milliseconds as people read it: 850 ms, 12 s, 4 min 3 s, 2 h 5 min, 3 d 1 h. */
export function duration (ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`
}

/** "3 min 2 s ago" or "in 12 s" relative to `now`. */
export function relative (at: number | string | null, now: number): string {
  if (at === null) return ''
  const t = new Date(at).getTime()
  if (Number.isNaN(t)) return ''
  return t <= now ? `${duration(now - t)} ago` : `in ${duration(t - now)}`
}

export function bytes (n: number): string {
  return formatBytes(n)
}
