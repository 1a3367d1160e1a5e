/*
 * The firm lives in Europe/Berlin: History `datum` is Berlin local time without
 * a zone, and a Document's publishDate is the Berlin calendar date.
 */

const berlin = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23'
})

interface BerlinParts {
  date: string
  time: string
}

function berlinParts (at: Date): BerlinParts {
  const parts: Record<string, string> = {}
  for (const part of berlin.formatToParts(at)) parts[part.type] = part.value
  return {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    time: `${parts['hour']}:${parts['minute']}:${parts['second']}`
  }
}

/** `YYYY-MM-DD` in Berlin. */
export function berlinDate (at: Date): string {
  return berlinParts(at).date
}

/** `YYYY-MM-DDTHH:mm:ss` in Berlin, no zone: the History `datum` format. */
export function berlinDateTime (at: Date): string {
  const { date, time } = berlinParts(at)
  return `${date}T${time}`
}

const DATUM = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/u

/** The calendar date of a History `datum` (already Berlin local time), or null when it is not one. */
export function datumDate (datum: string | null): string | null {
  if (datum === null) return null
  const match = DATUM.exec(datum.trim())
  return match?.[1] ?? null
}

/** Parse an ISO 8601 instant that carries a zone (`Z` or an offset); anything ambiguous is null. */
export function parseZonedInstant (text: string | null): number | null {
  if (text === null) return null
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/iu.test(text.trim())) return null
  const ms = Date.parse(text.trim())
  return Number.isNaN(ms) ? null : ms
}

/** The Berlin calendar date of a zoned instant, or null. */
export function berlinDateOfInstant (text: string | null): string | null {
  const ms = parseZonedInstant(text)
  return ms === null ? null : berlinDate(new Date(ms))
}
