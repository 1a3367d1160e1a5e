import { Writable } from 'node:stream'

/**
 * Pino's JSON lines as short readable lines for a terminal: a developer
 * watching the sandbox wants "12:01:05 INFO  synced 12345" rather than JSON.
 * No pino-pretty: it is not a dependency, and this is all the sandbox needs.
 */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' }
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'req', 'res', 'responseTime', 'err'])
const MAX_EXTRA = 240

function clock (time: unknown): string {
  const date = typeof time === 'number' ? new Date(time) : new Date()
  return date.toTimeString().slice(0, 8)
}

function compact (value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** One JSON log line as `HH:MM:SS LEVEL message key=value ...`; other text passes through. */
export function formatLogLine (line: string): string {
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(line) as Record<string, unknown>
  } catch {
    return line
  }
  const parts = [clock(entry.time), LEVELS[Number(entry.level)] ?? String(entry.level), String(entry.msg ?? '')]
  const req = entry.req as { method?: string, url?: string } | undefined
  if (req?.method !== undefined) parts.push(`${req.method} ${req.url ?? ''}`)
  const res = entry.res as { statusCode?: number } | undefined
  if (res?.statusCode !== undefined) parts.push(String(res.statusCode))
  if (typeof entry.responseTime === 'number') parts.push(`${entry.responseTime.toFixed(1)}ms`)
  const err = entry.err as { message?: string } | undefined
  if (err?.message !== undefined) parts.push(`error="${err.message}"`)
  const extra = Object.entries(entry).filter(([key]) => !HIDDEN.has(key)).map(([key, value]) => `${key}=${compact(value)}`).join(' ')
  if (extra !== '') parts.push(extra.length > MAX_EXTRA ? `${extra.slice(0, MAX_EXTRA - 3)}...` : extra)
  return parts.join(' ')
}

/** A stream for pino that writes formatted lines to `out` (stdout by default). */
export function prettyLogStream (out: NodeJS.WritableStream = process.stdout): Writable {
  let rest = ''
  return new Writable({
    write (chunk: Buffer | string, _encoding, done) {
      const lines = (rest + chunk.toString()).split('\n')
      rest = lines.pop() ?? ''
      for (const line of lines) if (line.trim() !== '') out.write(`${formatLogLine(line)}\n`)
      done()
    },
    final (done) {
      if (rest.trim() !== '') out.write(`${formatLogLine(rest)}\n`)
      done()
    }
  })
}
