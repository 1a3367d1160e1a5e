/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3, config: 78 } as const

export class CliError extends Error {
  constructor (message: string, readonly exitCode: number = EXIT.failed) {
    super(message)
    this.name = 'CliError'
  }
}

export interface Output {
  json: boolean
  out: (text: string) => void
  err: (text: string) => void
}

export function consoleOutput (json: boolean): Output {
  return { json, out: text => process.stdout.write(`${text}\n`), err: text => process.stderr.write(`${text}\n`) }
}

/** A plain text table: columns padded to their widest cell. */
export function table (headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map(r => r.map(c => String(c)))]
  const widths = headers.map((_, i) => Math.max(...cells.map(r => (r[i] ?? '').length)))
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()
  return [line(headers), line(widths.map(w => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n')
}

export function ago (ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 120) return `${s}s`
  if (s < 7200) return `${Math.round(s / 60)}m`
  return `${Math.round(s / 3600)}h`
}
