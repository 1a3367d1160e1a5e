/**
 * ISO 8601 with the share's local offset, as the Windows Watcher reports
 * `modified` (e.g. `2026-03-24T10:15:00.123+01:00`).
 */
export interface LocalTimeOptions {
  /** IANA zone, default Europe/Berlin (offset follows DST). */
  timeZone?: string
  /** A fixed offset like '+01:00'; wins over timeZone. */
  fixedOffset?: string
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter (timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'
    })
    formatters.set(timeZone, f)
  }
  return f
}

function parseOffset (offset: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset)
  if (m === null) throw new Error(`invalid UTC offset '${offset}'`)
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]))
}

function offsetInZone (ms: number, timeZone: string): number {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(ms)).map(p => [p.type, p.value]))
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second))
  return Math.round((asUtc - (ms - (ms % 1000))) / 60_000)
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

export function formatLocalIso (epochMs: number, options: LocalTimeOptions = {}): string {
  const ms = Math.floor(epochMs)
  const offsetMin = options.fixedOffset !== undefined
    ? parseOffset(options.fixedOffset)
    : offsetInZone(ms, options.timeZone ?? 'Europe/Berlin')
  const local = new Date(ms + offsetMin * 60_000)
  const fraction = local.getUTCMilliseconds() === 0 ? '' : `.${pad(local.getUTCMilliseconds(), 3)}`
  const sign = offsetMin < 0 ? '-' : '+'
  const abs = Math.abs(offsetMin)
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${fraction}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}
