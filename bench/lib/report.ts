/* What one benchmark hands back, and how the runner prints it. */

export interface Table {
  title: string
  columns: string[]
  rows: Array<Array<string | number>>
}

export interface Target {
  name: string
  met: boolean
  /** The measured figure against the target, e.g. `1.08 <= 1.15`. */
  detail: string
}

export interface Report {
  tables: Table[]
  targets: Target[]
  notes?: string[]
}

export interface RunContext {
  /** Small sizes for development; never for the figures in BENCHMARKS.md. */
  quick: boolean
  /** 1-based number of this run. */
  run: number
  log: (message: string) => void
}

/** Every figure of one run, by name; the runner takes the median of each over the runs. */
export type Figures = Record<string, number>

export interface Benchmark {
  name: string
  title: string
  run: (ctx: RunContext) => Promise<Figures>
  report: (median: Figures, runs: Figures[], quick: boolean) => Report
}

export function median (values: readonly number[]): number {
  const sorted = values.filter(v => Number.isFinite(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile (values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p / 100 * sorted.length)))
  return sorted[rank - 1]!
}

export function medianFigures (runs: readonly Figures[]): Figures {
  const names = new Set(runs.flatMap(r => Object.keys(r)))
  return Object.fromEntries([...names].map(name => [name, median(runs.map(r => r[name] ?? Number.NaN))]))
}

/** Up to `digits` significant decimals, no trailing zeros; integers stay integers. */
export function num (value: number | undefined, digits = 2): string {
  if (value === undefined || Number.isNaN(value)) return 'n/a'
  if (Number.isInteger(value)) return String(value)
  const fixed = value.toFixed(digits)
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed
}

export const mib = (bytes: number): string => num(bytes / 1024 / 1024, 1)

export function target (name: string, met: boolean, detail: string): Target {
  return { name, met, detail }
}

/** A Markdown table: readable in a terminal and pasteable into BENCHMARKS.md. */
export function formatTable (table: Table): string {
  const cells = [table.columns, ...table.rows.map(r => r.map(c => typeof c === 'number' ? num(c) : c))]
  const widths = table.columns.map((_, i) => Math.max(...cells.map(r => String(r[i] ?? '').length)))
  const line = (row: Array<string | number>): string => `| ${row.map((c, i) => String(c).padEnd(widths[i]!)).join(' | ')} |`
  return [
    `**${table.title}**`,
    '',
    line(table.columns),
    `| ${widths.map(w => '-'.repeat(w)).join(' | ')} |`,
    ...cells.slice(1).map(line)
  ].join('\n')
}

export function formatReport (benchmark: Benchmark, report: Report, runs: number): string {
  const parts = [`## ${benchmark.name}: ${benchmark.title} (median of ${runs} run${runs === 1 ? '' : 's'})`, '']
  for (const table of report.tables) parts.push(formatTable(table), '')
  for (const t of report.targets) parts.push(`- ${t.met ? 'MET   ' : 'MISSED'} ${t.name}: ${t.detail}`)
  for (const note of report.notes ?? []) parts.push(`- note: ${note}`)
  return parts.join('\n')
}
