/**
 * EspoCRM stores and answers datetimes as `YYYY-MM-DD HH:mm:ss` in UTC with no
 * zone marker; `new Date(thatString)` would read them as local time.
 */
const DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

export function formatEspoDateTime (date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid Date')
  return `${formatEspoDate(date)} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
}

/** The UTC calendar date. Calendar dates in another zone (Europe/Berlin) are the caller's business. */
export function formatEspoDate (date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid Date')
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`
}

/** Parses an EspoCRM datetime (seconds optional) as UTC; throws on anything else. */
export function parseEspoDateTime (value: string): Date {
  const m = DATETIME.exec(value)
  if (m === null) throw new RangeError(`not an EspoCRM datetime: '${value}'`)
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number]
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s))
  if (formatEspoDate(date) !== `${m[1]}-${m[2]}-${m[3]}` || h > 23 || mi > 59 || s > 59) {
    throw new RangeError(`not a valid EspoCRM datetime: '${value}'`)
  }
  return date
}

export function parseEspoDate (value: string): Date {
  const m = DATE.exec(value)
  if (m === null) throw new RangeError(`not an EspoCRM date: '${value}'`)
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  if (formatEspoDate(date) !== value) throw new RangeError(`not a valid EspoCRM date: '${value}'`)
  return date
}

export function isEspoDateTime (value: string): boolean {
  try {
    parseEspoDateTime(value)
    return true
  } catch {
    return false
  }
}

/** Accepts a Date or an already formatted EspoCRM datetime (validated). */
export function toEspoDateTime (value: Date | string): string {
  return typeof value === 'string' ? formatEspoDateTime(parseEspoDateTime(value)) : formatEspoDateTime(value)
}
