import { isWriteAction } from './plan-counts.js'
import type { Action, Plan } from './types.js'

/* A plan as a readable table for dry runs and logs. */

export interface FormatPlanOptions {
  /** Also list files that are simply unchanged (hidden by default: an Akte has hundreds). */
  verbose?: boolean
}

export function formatBytes (bytes: number | null): string {
  if (bytes === null) return '?'
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}

function label (action: Action): string {
  if (action.kind === 'skip') return `skip:${action.code}`
  if (action.kind === 'conflict') return `conflict:${action.winner}-wins`
  return action.kind
}

const TRANSFERS = new Set<Action['kind']>(['create-document', 'update-document-file', 'upload-to-windows', 'conflict'])

function sizeColumn (action: Action): string {
  return TRANSFERS.has(action.kind) ? formatBytes(action.size) : '-'
}

function pathColumn (action: Action): string {
  return action.kind === 'move-document' ? `${action.fromPath} -> ${action.path}` : action.path
}

function reasonColumn (action: Action): string {
  if (action.kind === 'conflict') return `${action.reason}; the loser is kept as "${action.copy.newDocument.name}"`
  if ((action.kind === 'upload-to-windows' || action.kind === 'link') && action.historyEntry !== null) {
    return `${action.reason}; History entry created`
  }
  return action.reason
}

function table (rows: string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map(row => (row[column] ?? '').length))) ?? []
  return rows.map(row => row.map((cell, column) =>
    column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd())
}

function summary (plan: Plan): string {
  const kinds = Object.entries(plan.counts.byKind)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${kind} ${count}`)
  return `${plan.counts.writes} writes, ${formatBytes(plan.counts.bytesToEspo)} to EspoCRM, ` +
    `${formatBytes(plan.counts.bytesToWindows)} to Windows (known sizes)` +
    (kinds.length > 0 ? `; ${kinds.join(', ')}` : '')
}

export function formatPlan (plan: Plan, options: FormatPlanOptions = {}): string {
  if (plan.status !== 'ok') return `Akte ${plan.aktennummer}: ${plan.status.toUpperCase()}: ${plan.reason ?? ''}\n`
  const head = `Akte ${plan.aktennummer}: ok`
  const shown = plan.actions.filter(a => options.verbose === true || !(a.kind === 'skip' && a.code === 'unchanged'))
  const hidden = plan.actions.length - shown.length
  const lines = [`${head}: ${summary(plan)}`]
  if (shown.length > 0) {
    lines.push(...table([
      ['ACTION', 'DIRECTION', 'SIZE', 'WRITES', 'PATH', 'REASON'],
      ...shown.map(action => [
        label(action),
        action.direction === 'none' ? '-' : action.direction,
        sizeColumn(action),
        isWriteAction(action) ? 'yes' : 'no',
        pathColumn(action),
        reasonColumn(action)
      ])
    ]))
  }
  if (hidden > 0) lines.push(`(${hidden} unchanged ${hidden === 1 ? 'file' : 'files'} not shown)`)
  return `${lines.join('\n')}\n`
}
