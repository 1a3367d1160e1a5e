import { assertAktennummer } from '../../domain/aktennummer.js'
import type { AdminClient } from '../admin-client.js'
import { ago, CliError, EXIT, table, type Output } from '../output.js'

interface Overview {
  pending: string[]
  processing: Array<{ aktennummer: string, owner: string, leaseAgeMs: number }>
  delayed: Array<{ aktennummer: string, dueAt: number, attempts: number, lastError: string | null }>
  failed: Array<{ aktennummer: string, attempts: number, error: string, failedAt: number }>
}

function validNumbers (args: string[]): string[] {
  if (args.length === 0) throw new CliError('name at least one Aktennummer', EXIT.usage)
  try {
    return args.map(assertAktennummer)
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage)
  }
}

export async function enqueue (admin: AdminClient, args: string[], output: Output): Promise<number> {
  const aktennummern = validNumbers(args)
  const result = await admin.call<{ enqueued: number }>('POST', '/admin/api/akten', { aktennummern })
  output.out(output.json ? JSON.stringify(result) : `${result.enqueued} of ${aktennummern.length} Akten added to the queue (the others were already pending)`)
  return EXIT.ok
}

export async function retry (admin: AdminClient, args: string[], output: Output): Promise<number> {
  const [aktennummer] = validNumbers(args)
  const result = await admin.call('POST', `/admin/api/akten/${encodeURIComponent(aktennummer as string)}/retry`)
  output.out(output.json ? JSON.stringify(result) : `Akte ${aktennummer as string} is pending again`)
  return EXIT.ok
}

export async function status (admin: AdminClient, output: Output): Promise<number> {
  const q = await admin.call<Overview>('GET', '/admin/api/queue')
  if (output.json) {
    output.out(JSON.stringify(q))
    return q.failed.length > 0 ? EXIT.failed : EXIT.ok
  }
  const now = Date.now()
  output.out(`pending ${q.pending.length}   processing ${q.processing.length}   waiting to retry ${q.delayed.length}   failed ${q.failed.length}`)
  if (q.pending.length > 0) output.out(`\nPending: ${q.pending.slice(0, 20).join(', ')}${q.pending.length > 20 ? ` … and ${q.pending.length - 20} more` : ''}`)
  if (q.processing.length > 0) output.out(`\nProcessing\n${table(['Aktennummer', 'instance', 'lease age'], q.processing.map(p => [p.aktennummer, p.owner, ago(p.leaseAgeMs)]))}`)
  if (q.delayed.length > 0) output.out(`\nWaiting to retry\n${table(['Aktennummer', 'attempts', 'next try in', 'last error'], q.delayed.map(d => [d.aktennummer, d.attempts, ago(Math.max(0, d.dueAt - now)), d.lastError ?? '']))}`)
  if (q.failed.length > 0) output.out(`\nFailed (retry with: advoware-sync retry <Aktennummer>)\n${table(['Aktennummer', 'attempts', 'failed', 'error'], q.failed.map(f => [f.aktennummer, f.attempts, `${ago(now - f.failedAt)} ago`, f.error]))}`)
  return q.failed.length > 0 ? EXIT.failed : EXIT.ok
}

export async function registerWebhooks (admin: AdminClient, output: Output): Promise<number> {
  const result = await admin.call<{ webhooks: Array<{ event: string, webhookId: string, outcome: string }> }>('POST', '/admin/api/webhooks/register')
  output.out(output.json ? JSON.stringify(result) : table(['event', 'webhook', 'outcome'], result.webhooks.map(w => [w.event, w.webhookId, w.outcome])))
  return EXIT.ok
}
