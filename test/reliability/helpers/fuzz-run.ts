import fc from 'fast-check'
import type { Test } from 'tap'
import { MemoryStore } from '../../../src/store/memory-store.js'
import { build } from '../../helpers/app.js'
import { caseArb, describeCase, HOOK_ID, HOOK_SECRET, PUSH_TOKEN, toInject, type FuzzCase } from './webhook-fuzz.js'

/*
 * Runs generated webhook requests through app.inject. Forged requests go to
 * an app of their own, so "nothing enqueued by a forged request" is simply
 * "its store stays empty". Seeds are printed; replay with SEED=<seed>.
 */

export interface FuzzStats {
  requests: number
  forged: number
  byStatus: Record<string, number>
  seed: number
}

/** Refusals that come before the signature is looked at: body limit, content type, query schema. */
function refusedEarly (c: FuzzCase, status: number): boolean {
  if (c.route !== 'espocrm') return false
  return status === 413 || status === 415 || (status === 400 && (c.event?.length ?? 0) > 100)
}

function pollution (): string[] {
  const probe = {} as Record<string, unknown>
  const found: string[] = []
  if (probe.polluted !== undefined || (Object.prototype as Record<string, unknown>).polluted !== undefined) found.push('Object.prototype.polluted')
  if (([] as unknown as Record<string, unknown>).polluted !== undefined) found.push('Array.prototype.polluted')
  return found
}

export async function fuzzWebhooks (t: Test, runs: number, seed: number): Promise<FuzzStats> {
  const env = { ESPOCRM_WEBHOOK_SECRETS: `${HOOK_ID}:${HOOK_SECRET}`, WATCHER_PUSH_TOKEN: PUSH_TOKEN }
  const forgedStore = new MemoryStore()
  const forgedApp = await build(t, { env, store: forgedStore })
  const signedApp = await build(t, { env, store: new MemoryStore() })
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort().join()
  const stats: FuzzStats = { requests: 0, forged: 0, byStatus: {}, seed }

  const property = fc.asyncProperty(caseArb, async c => {
    const res = await (c.forged ? forgedApp : signedApp).inject(toInject(c))
    stats.requests++
    if (c.forged) stats.forged++
    const key = `${c.route} ${c.forged ? 'forged' : 'signed'} ${res.statusCode}`
    stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1
    const problems: string[] = []
    if (res.statusCode >= 500) problems.push(`answered ${res.statusCode}: ${res.body.slice(0, 200)}`)
    if (c.forged && res.statusCode !== 401 && !refusedEarly(c, res.statusCode)) problems.push(`forged request answered ${res.statusCode}, not 401: ${res.body.slice(0, 200)}`)
    if (!c.forged && res.statusCode === 401) problems.push(`good credentials refused: ${res.body.slice(0, 200)}`)
    if (c.forged) {
      const depths = await forgedStore.depths()
      const inbox = await forgedStore.listStateIds('webhook-inbox')
      if (Object.values(depths).some(n => n > 0) || inbox.length > 0) problems.push(`a forged request reached the store: ${JSON.stringify(depths)}, inbox ${inbox.length}`)
    }
    problems.push(...pollution())
    if (Object.getOwnPropertyNames(Object.prototype).sort().join() !== prototypeKeys) problems.push('Object.prototype gained properties')
    if (problems.length > 0) throw new Error(`${describeCase(c)}\n  ${problems.join('\n  ')}`)
  })
  const details = await fc.check(property, { seed, numRuns: runs, endOnFailure: process.env.SHRINK !== '1' })
  if (details.failed) {
    t.comment(`${fc.defaultReportMessage(details) ?? ''}\n${(details.errorInstance as Error | undefined)?.message ?? ''}`)
    t.fail(`hostile webhook request mishandled; replay with SEED=${seed}`)
  }

  // Still serving: a good delivery and a good push go through, and the process is live.
  const ok = await signedApp.inject(toInject({ route: 'espocrm', forged: false, credential: 'valid', body: Buffer.from('[{"id":"6621a7b3c9d0e1f99","aktennummer":"1/2026"}]'), contentType: 'application/json', event: 'CAkte.update' }))
  t.equal(ok.statusCode, 200, 'a good EspoCRM delivery is still accepted')
  const push = await signedApp.inject(toInject({ route: 'watcher', forged: false, credential: 'valid', body: Buffer.from('{"akte":"1/2026"}'), contentType: 'application/json', event: null }))
  t.equal(push.statusCode, 202, 'a good Watcher push is still accepted')
  t.equal((await forgedApp.inject({ method: 'GET', url: '/health/live' })).statusCode, 200, 'live')
  t.same(await forgedStore.depths(), { pending: 0, processing: 0, delayed: 0, failed: 0 }, 'forged requests enqueued nothing')
  t.same(await forgedStore.listStateIds('webhook-inbox'), [], 'forged requests left nothing in the inbox')
  t.comment(`${stats.requests} requests (${stats.forged} forged), seed ${seed}: ${JSON.stringify(stats.byStatus)}`)
  return stats
}
