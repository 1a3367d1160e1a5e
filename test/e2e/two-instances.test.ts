import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { startSystems } from '../../src/sandbox/systems.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import { redisTestOptions } from '../helpers/redis.js'
import { akteIdMap, syncSpans } from './helpers/call-log.js'
import { queueEmpty, testQueue, until } from './helpers/queue.js'
import { adminEnqueue, startService } from './helpers/service.js'
import { fileBytes, World } from './helpers/world.js'

/*
 * Two instances of the service on one Redis queue (each its own
 * connection, same key prefix, one lock per Akte, a short lease) share the
 * Akten of a firm. Enqueues come from every side at once: both admin APIs,
 * the store directly, and a legacy producer's SADD; some Aktennummern
 * several times, some while they sync. Everything converges exactly once,
 * and EspoCRM's call log shows no Akte synced by both at the same moment.
 */

const SOAK = process.env.SOAK === '1'
const AKTEN = SOAK ? 1000 : 200
const FILES = SOAK ? 3 : 2

const syncsOf = async (app: FastifyInstance): Promise<number> =>
  (await app.metrics.syncs.get()).values.reduce((sum, v) => sum + v.value, 0)

t.test(`two instances sync ${AKTEN} Akten once each, never one Akte twice at a time`, await redisTestOptions(), async t => {
  const queue = testQueue(t)
  const systems = await startSystems()
  t.teardown(systems.close)
  const world = new World(systems)
  const numbers = Array.from({ length: AKTEN }, (_, i) => i % 4 === 0 ? `${1000 + i}/2026` : `E2E-${i}`)
  for (const nr of numbers) {
    const files: Record<string, Buffer> = {}
    for (let f = 0; f < FILES; f++) files[f === 0 ? 'Klage.pdf' : `Anlagen/K${f}.pdf`] = fileBytes(`${nr} ${f}`, 800 + f * 300)
    await world.addAkte(nr, files)
  }
  const env = { ...queue.env, SYNC_LOCK_MODE: 'akte', SYNC_LEASE_MS: '2000', SYNC_LOCK_TTL_MS: '1000', SYNC_CONCURRENCY: '4' }
  const one = await startService(t, systems, env)
  const two = await startService(t, systems, env)
  t.not(one.app.queue.worker?.owner, two.app.queue.worker?.owner)

  const started = Date.now()
  const every = (n: number, offset = 0): string[] => numbers.filter((_, i) => i % n === offset)
  // Overlapping slices, all at once: most Aktennummern arrive two or three times.
  await Promise.all([
    adminEnqueue(one.url, numbers.slice(0, Math.ceil(AKTEN * 0.6))),
    adminEnqueue(two.url, numbers.slice(Math.floor(AKTEN * 0.4))),
    queue.store.enqueue(every(3)),
    queue.legacyAdd(...every(7, 1)),
    adminEnqueue(two.url, every(5, 2))
  ])

  // While Akten sync, enqueue exactly those again (alternating ways in): they must sync once more, after.
  const reEnqueued = new Set<string>()
  for (let round = 0; round < 12 && reEnqueued.size < 40; round++) {
    const running = await until(async () => {
      const overview = await queue.store.overview()
      const nrs = overview.processing.map(p => p.aktennummer).filter(nr => !reEnqueued.has(nr))
      // Nothing left to catch once nothing is pending any more.
      return nrs.length > 0 || overview.pending.length === 0 ? nrs : undefined
    }, 20_000, 'an Akte in processing')
    if (running.length === 0) break
    if (round % 3 === 0) await adminEnqueue(one.url, running)
    else if (round % 3 === 1) await adminEnqueue(two.url, running)
    else await queue.store.enqueue(running)
    for (const nr of running) reEnqueued.add(nr)
  }

  await until(async () => await queueEmpty(queue.store) && one.app.queue.worker?.activeCount === 0 && two.app.queue.worker?.activeCount === 0,
    SOAK ? 600_000 : 45_000, 'the queue to drain', 100)
  const tookMs = Date.now() - started

  t.same(await world.allProblems(), [], `every one of ${AKTEN * FILES} files: exactly one Document with its bytes, one History entry`)
  const { espo, watcher } = systems
  const posts = (url: string): number => espo.faults.calls.filter(c => c.method === 'POST' && c.url === url).length
  t.equal(posts('/api/v1/Document'), AKTEN * FILES, 'no Document was ever created twice')
  t.equal(posts('/api/v1/Attachment'), AKTEN * FILES, 'no attachment was ever uploaded twice')
  t.equal(watcher.faults.calls.filter(c => c.method === 'PUT').length, 0, 'nothing went to the share')
  t.ok(espo.faults.calls.length < 100_000, 'the call log is complete (its cap was not reached)')

  const report = syncSpans(espo.faults.calls, akteIdMap(world.akten.values()))
  t.same(report.overlaps, [], 'no Akte was looked up again before its previous sync wrote it: never two syncs at once')
  t.same(report.unfinished, [], 'every sync ended with its Akte write')
  const spans = new Map<string, number>()
  for (const s of report.spans) spans.set(s.aktennummer, (spans.get(s.aktennummer) ?? 0) + 1)
  t.equal(numbers.filter(nr => (spans.get(nr) ?? 0) === 0).length, 0, 'every Akte was synced')
  const missedAgain = [...reEnqueued].filter(nr => (spans.get(nr) ?? 0) < 2)
  t.same(missedAgain, [], `all ${reEnqueued.size} Akten enqueued during their sync were synced again afterwards`)

  const [syncsOne, syncsTwo] = [await syncsOf(one.app), await syncsOf(two.app)]
  t.equal(syncsOne + syncsTwo, report.spans.length, 'the instances\' sync counts match the call log')
  t.ok(syncsOne > 0 && syncsTwo > 0, 'both instances did a share of the work')
  t.comment(`${AKTEN} Akten x ${FILES} files in ${tookMs} ms: ${report.spans.length} syncs (${syncsOne} + ${syncsTwo}), ` +
    `${reEnqueued.size} re-enqueued while syncing, ${espo.faults.calls.length} EspoCRM calls`)
})

t.test('an Akte SADDed by a legacy producer is picked up by the next drain, without any wake-up', await redisTestOptions(), async t => {
  const queue = testQueue(t)
  const systems = await startSystems()
  t.teardown(systems.close)
  const world = new World(systems)
  await world.addAkte('LEGACY-1', { 'Alt.pdf': fileBytes('legacy') })
  // The drain interval of production is 10 s; a shorter one keeps this test quick, the soak runs the real one.
  const intervalMs = SOAK ? 10_000 : 1_500
  await startService(t, systems, { ...queue.env, SYNC_INTERVAL_MS: String(intervalMs) })
  // The first drain runs at start; once it is over, only the interval can find new work.
  await until(async () => await queueEmpty(queue.store), 5_000, 'the first drain')
  const addedAt = Date.now()
  await queue.legacyAdd('LEGACY-1')
  const lookup = await until(async () => systems.espo.faults.calls.find(c => c.at >= addedAt && c.url.startsWith('/api/v1/CAkte?')), intervalMs + 5_000, 'the drain')
  const waited = lookup.at - addedAt
  t.ok(waited <= intervalMs + 1500, `synced ${waited} ms after the SADD (interval ${intervalMs} ms)`)
  await until(async () => (await world.problems('LEGACY-1')).length === 0 && await queueEmpty(queue.store), 10_000, 'convergence')
  t.pass('converged')
})

t.test('the check can fail: two instances that do not share a queue sync the same Akten at once', async t => {
  const systems = await startSystems()
  t.teardown(systems.close)
  const world = new World(systems)
  const numbers = Array.from({ length: 12 }, (_, i) => `SPLIT-${i}`)
  for (const nr of numbers) await world.addAkte(nr, { 'a.pdf': fileBytes(`${nr} a`), 'b.pdf': fileBytes(`${nr} b`) })
  systems.espo.faults.latencyMs = 20
  // Each on its own embedded store: the misconfiguration REDIS_URL exists to prevent.
  const one = await startService(t, systems, {}, new MemoryStore())
  const two = await startService(t, systems, {}, new MemoryStore())
  await Promise.all([adminEnqueue(one.url, numbers), adminEnqueue(two.url, numbers)])
  await until(async () => one.app.queue.worker?.activeCount === 0 && two.app.queue.worker?.activeCount === 0 &&
    syncSpans(systems.espo.faults.calls, akteIdMap(world.akten.values())).spans.length >= 2 * numbers.length, 30_000, 'both to finish', 50)
  const report = syncSpans(systems.espo.faults.calls, akteIdMap(world.akten.values()))
  t.ok(report.overlaps.length > 0, `${report.overlaps.length} overlapping syncs seen in the call log`)
})
