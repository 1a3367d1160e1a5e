import { request } from 'undici'
import { assertAktennummer } from '../../domain/aktennummer.js'
import { formatPlan } from '../../sync/plan-format.js'
import type { SyncProgressEvent } from '../../sync/progress.js'
import type { SyncSummary } from '../../sync/summary.js'
import type { AdminClient } from '../admin-client.js'
import { CliError, EXIT, type Output } from '../output.js'
import { ProgressBar } from '../progress-bar.js'

function aktennummerOf (args: string[]): string {
  if (args.length !== 1) throw new CliError('name exactly one Aktennummer', EXIT.usage)
  try {
    return assertAktennummer(args[0])
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage)
  }
}

/** Synced, planned, archived and inactive are fine; anything else is worth a non-zero exit. */
function exitFor (summary: SyncSummary): number {
  return ['synced', 'planned', 'archived', 'inactive'].includes(summary.status) ? EXIT.ok : EXIT.failed
}

export function describe (summary: SyncSummary): string {
  const done = Object.entries(summary.counts).filter(([kind, n]) => n > 0 && kind !== 'skip').map(([kind, n]) => `${n} ${kind}`)
  const lines = [`Akte ${summary.aktennummer}: ${summary.status}${summary.reason !== undefined ? ` (${summary.reason})` : ''} in ${(summary.durationMs / 1000).toFixed(1)} s`]
  if (done.length > 0) lines.push(`  done: ${done.join(', ')}`)
  if (summary.bytes.toEspo + summary.bytes.toWindows > 0) lines.push(`  bytes: ${summary.bytes.toEspo} to EspoCRM, ${summary.bytes.toWindows} to the share`)
  for (const e of summary.errors) lines.push(`  ${e.permanent ? 'skipped for good' : 'will retry'}: ${e.path || e.kind}: ${e.message}`)
  for (const s of summary.skipped) lines.push(`  left for the next run: ${s.path}: ${s.reason}`)
  return lines.join('\n')
}

export async function plan (admin: AdminClient, args: string[], output: Output, force: boolean): Promise<number> {
  const nr = aktennummerOf(args)
  const summary = await admin.call<SyncSummary>('GET', `/admin/api/akten/${encodeURIComponent(nr)}/plan${force ? '?force=true' : ''}`)
  if (output.json) output.out(JSON.stringify(summary))
  else output.out(summary.plan !== undefined ? formatPlan(summary.plan).trimEnd() : describe(summary))
  return exitFor(summary)
}

export async function sync (baseUrl: string, token: string | undefined, args: string[], output: Output, flags: { dryRun: boolean, force: boolean }): Promise<number> {
  const nr = aktennummerOf(args)
  if (token === undefined) throw new CliError('ADMIN_TOKEN is not set (or pass --token)', EXIT.usage)
  const query = new URLSearchParams()
  if (flags.dryRun) query.set('dryRun', 'true')
  if (flags.force) query.set('force', 'true')
  let response
  try {
    response = await request(new URL(`/admin/api/akten/${encodeURIComponent(nr)}/sync?${query.toString()}`, baseUrl), {
      method: 'POST', headers: { authorization: `Bearer ${token}` }, bodyTimeout: 0, headersTimeout: 60_000
    })
  } catch (error) {
    throw new CliError(`the service does not answer at ${baseUrl} (${(error as { code?: string }).code ?? String(error)})`, EXIT.unreachable)
  }
  if (response.statusCode !== 200) {
    const body = await response.body.json().catch(() => ({})) as { message?: string }
    throw new CliError(`sync refused: ${response.statusCode} ${body.message ?? ''}`.trim(), response.statusCode === 401 ? EXIT.usage : EXIT.failed)
  }
  const bar = new ProgressBar()
  let summary: SyncSummary | undefined
  let pending = ''
  for await (const chunk of response.body) {
    pending += (chunk as Buffer).toString('utf8')
    let newline
    while ((newline = pending.indexOf('\n')) !== -1) {
      const line = JSON.parse(pending.slice(0, newline)) as { type: string, event?: SyncProgressEvent, summary?: SyncSummary, message?: string }
      pending = pending.slice(newline + 1)
      if (line.type === 'result') summary = line.summary
      else if (line.type === 'error') throw new CliError(line.message ?? 'the sync failed')
      else if (!output.json && line.event?.type === 'transfer') bar.transfer(line.event.path, line.event.bytes, line.event.total, line.event.done)
      else if (!output.json && line.event?.type === 'action') bar.line(`  ${line.event.kind} ${line.event.path}: ${line.event.outcome} (${line.event.completed}/${line.event.total})`)
    }
  }
  if (summary === undefined) throw new CliError('the service ended the sync without a result (see its log)')
  if (output.json) output.out(JSON.stringify(summary))
  else output.out(flags.dryRun && summary.plan !== undefined ? formatPlan(summary.plan).trimEnd() : describe(summary))
  return exitFor(summary)
}
