import { setTimeout as sleep } from 'node:timers/promises'
import type { Service } from './service.js'

interface QueueOverview { pending: unknown[], processing: unknown[], delayed: unknown[], failed: unknown[] }

export async function queueOverview (service: Pick<Service, 'url' | 'adminToken'>): Promise<QueueOverview> {
  const res = await fetch(`${service.url}/admin/api/queue`, { headers: { authorization: `Bearer ${service.adminToken}` } })
  if (res.status !== 200) throw new Error(`queue overview answered ${res.status}`)
  return await res.json() as QueueOverview
}

/** Waits until the service holds nothing pending or processing: the last sync's bookkeeping is done. */
export async function settled (service: Pick<Service, 'url' | 'adminToken'>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const q = await queueOverview(service)
    if (q.pending.length === 0 && q.processing.length === 0) return
    if (Date.now() > deadline) throw new Error(`queue not settled: ${JSON.stringify(q).slice(0, 300)}`)
    await sleep(20)
  }
}

/** The last result the service recorded for an Akte. */
export async function lastResult (service: Pick<Service, 'url' | 'adminToken'>, aktennummer: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${service.url}/admin/api/akten/${encodeURIComponent(aktennummer)}/result`, { headers: { authorization: `Bearer ${service.adminToken}` } })
  if (res.status !== 200) throw new Error(`result of ${aktennummer} answered ${res.status}`)
  return await res.json() as Record<string, unknown>
}
