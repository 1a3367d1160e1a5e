import t from 'tap'
import { startSystems } from '../../src/sandbox/systems.js'
import { redisTestOptions } from '../helpers/redis.js'
import { akteIdMap, countCalls, syncSpans, untilQuiet } from './helpers/call-log.js'
import { Cluster, clusterEnv } from './helpers/cluster.js'
import { queueEmpty, testQueue, until } from './helpers/queue.js'
import { adminEnqueue, call, syncRuns } from './helpers/service.js'
import { fileBytes, World } from './helpers/world.js'

/*
 * Three service processes on one Redis. First under overlapping enqueues
 * (every process's admin API, the store, a legacy SADD, re-enqueues while
 * syncing): no Akte is ever synced by two at once. Then three ways a sync
 * outlives a moment: a request that hangs longer than lease and lock (the
 * holder is alive, so nobody may take over), a process paused (SIGSTOP)
 * until its lock and lease expired, and a holder whose Redis link stalls
 * while it can still reach EspoCRM. In the last two another process takes
 * the Akte over, and no write happens twice: no duplicate Document, History
 * entry or upload. The stall found a bug: the holder kept writing until
 * Redis answered (src/store/redis-lock.ts now stops it at its lock's expiry).
 */

const SOAK = process.env.SOAK === '1'
const AKTEN = SOAK ? 300 : 45

t.test('three processes on one Redis', await redisTestOptions(), async t => {
  const queue = testQueue(t)
  const systems = await startSystems()
  t.teardown(systems.close)
  const { espo, watcher } = systems
  const world = new World(systems)
  const cluster = new Cluster(t, systems, queue, clusterEnv(queue, { EXTERNAL_TIMEOUT_MS: '3000', SYNC_RETRY_BASE_MS: '300', SYNC_FILE_CONCURRENCY: '1' }), { proxied: true })
  await cluster.start(3)
  const [a, b, c] = cluster.members as [typeof cluster.members[0], typeof cluster.members[0], typeof cluster.members[0]]
  const phase = (): { espo: number, watcher: number } => ({ espo: espo.faults.calls.length, watcher: watcher.faults.calls.length })
  // Settled: nothing queued, nothing running, and the simulators quiet (a stopped process has run out of steps).
  const settled = async (what: string): Promise<void> => {
    await until(async () => await queueEmpty(queue.store), 60_000, what, 50)
    await untilQuiet([espo.faults.calls, watcher.faults.calls], 1_500)
  }

  await t.test(`overlapping enqueues of ${AKTEN} Akten: never two syncs of one Akte at a time`, async t => {
    const numbers = Array.from({ length: AKTEN }, (_, i) => `P3-${i}`)
    for (const nr of numbers) await world.addAkte(nr, { 'Klage.pdf': fileBytes(`${nr} Klage`), 'Anlage K1.pdf': fileBytes(`${nr} K1`, 1500) })
    espo.faults.latencyMs = 5
    watcher.faults.latencyMs = 5
    const third = Math.ceil(AKTEN / 3)
    await Promise.all([
      adminEnqueue(a.url, numbers.slice(0, 2 * third)),
      adminEnqueue(b.url, numbers.slice(third)),
      adminEnqueue(c.url, numbers.filter((_, i) => i % 2 === 0)),
      queue.store.enqueue(numbers.filter((_, i) => i % 3 === 1)),
      queue.legacyAdd(...numbers.filter((_, i) => i % 5 === 4))
    ])
    const again = new Set<string>()
    for (let round = 0; round < 10; round++) {
      const running = (await queue.store.overview()).processing.map(p => p.aktennummer).filter(nr => !again.has(nr))
      if (running.length === 0) break
      await adminEnqueue(cluster.members[round % 3]?.url ?? a.url, running)
      for (const nr of running) again.add(nr)
    }
    await settled('the queue to drain')
    espo.faults.latencyMs = 0
    watcher.faults.latencyMs = 0

    t.same(await world.allProblems(), [], 'each file exactly once in every system, same bytes')
    t.equal(countCalls(espo.faults.calls, 0, 'POST', '/api/v1/Document'), AKTEN * 2, 'no Document created twice')
    const report = syncSpans(espo.faults.calls, akteIdMap(world.akten.values()))
    t.same(report.overlaps, [], 'no Akte looked up while an earlier sync of it had not yet written it')
    t.same(report.unfinished, [], 'every sync ended with its Akte write')
    t.same([...again].filter(nr => report.spans.filter(s => s.aktennummer === nr).length < 2), [], `the ${again.size} Akten re-enqueued while syncing were synced again`)
    const runs = await Promise.all([a, b, c].map(async m => await syncRuns(m.url)))
    t.equal(runs.reduce((x, y) => x + y), report.spans.length, `the processes' own counts (${runs.join(' + ')}) match the call log`)
    t.ok(runs.every(n => n > 0), 'all three processes synced')
    t.comment(`${report.spans.length} syncs of ${AKTEN} Akten by ${runs.join(' / ')}`)
  })

  await t.test('a request hanging longer than lease and lock: the live holder keeps the Akte', async t => {
    const nr = 'HANG-1'
    await world.addAkte(nr, { 'a.pdf': fileBytes('hang a'), 'b.pdf': fileBytes('hang b'), 'c.pdf': fileBytes('hang c') })
    const from = phase()
    espo.faults.hangNext(1, 'POST /api/v1/Document')
    await queue.store.enqueue([nr])
    await settled('the hung sync to be retried')
    t.same(await world.problems(nr), [], 'converged')
    const hung = espo.faults.calls.slice(from.espo).find(c => c.method === 'POST' && c.url === '/api/v1/Document' && c.status === undefined)
    t.ok(hung !== undefined, 'one Document creation hung (3 s until the client gave up; lease 2 s, lock 1 s)')
    const report = syncSpans(espo.faults.calls.slice(from.espo), akteIdMap([world.akte(nr)]))
    t.same(report.overlaps, [], 'nobody took the Akte over while its holder waited')
    t.equal(report.spans.length, 2, 'the hung sync ended (partial) and its retry finished the Akte')
    t.equal(countCalls(espo.faults.calls, from.espo, 'POST', '/api/v1/Document'), 3, 'three Documents, none twice')
  })

  await t.test('a process paused past its lock and lease: taken over, and it writes nothing when it wakes', async t => {
    const nr = 'STOP-1'
    await world.addAkte(nr)
    for (let i = 0; i < 6; i++) await world.addShareFile(nr, `Posteingang ${i}.pdf`, fileBytes(`stop ${i}`, 3000))
    await world.addEspoDocument(nr, 'Aktenvermerk.pdf', fileBytes('stop vermerk'))
    const from = phase()
    espo.faults.latencyMs = 150
    await queue.store.enqueue([nr])
    const holder = cluster.ownerOf(await cluster.processing(nr))
    if (holder === undefined) throw new Error('no process holds the Akte')
    // Paused with an upload answered but not yet read: on waking, its next step would be the Document write.
    await until(async () => espo.faults.calls.slice(from.espo).some(c => c.method === 'POST' && c.url === '/api/v1/Attachment' && c.status === undefined && Date.now() - c.at > 60), 10_000, 'an upload in flight')
    holder.child.kill('SIGSTOP')
    const stoppedAt = Date.now()
    espo.faults.latencyMs = 0
    await until(async () => await queueEmpty(queue.store), 20_000, 'another process to take over', 50)
    const resumedAt = Date.now()
    const takeover = espo.faults.calls.find(x => x.at > stoppedAt && x.url.startsWith('/api/v1/CAkte?'))
    t.ok(takeover !== undefined, `another process took over ${(takeover?.at ?? NaN) - stoppedAt} ms into the pause and synced the Akte`)
    holder.child.kill('SIGCONT')
    await untilQuiet([espo.faults.calls, watcher.faults.calls], 1_500)
    t.same(await world.problems(nr), [], 'after the paused process woke: still each file exactly once')
    const created = countCalls(espo.faults.calls, from.espo, 'POST', '/api/v1/Document')
    t.equal(created, 6, `${created} Document creations for 6 share files: none twice`)
    const uploads = countCalls(watcher.faults.calls, from.watcher, 'PUT', /^\/files\//)
    t.equal(uploads, 1, `${uploads} upload for 1 EspoCRM Document`)
    t.equal(espo.faults.calls.filter(x => x.at >= resumedAt && x.method !== 'GET').length, 0, 'the woken process sent EspoCRM no write')
    t.equal((await call(holder.url, 'GET', '/health/ready')).status, 200, 'and serves on')
  })

  await t.test('the holder\'s Redis link stalls mid-sync: it stops at its lock\'s expiry, the new holder writes each file once', async t => {
    const nr = 'STALL-1'
    await world.addAkte(nr)
    for (let i = 0; i < 16; i++) await world.addShareFile(nr, `Eingang ${i}.pdf`, fileBytes(`stall ${i}`, 3000))
    await world.addEspoDocument(nr, 'Vermerk 1.pdf', fileBytes('stall vermerk 1'))
    await world.addEspoDocument(nr, 'Vermerk 2.pdf', fileBytes('stall vermerk 2'))
    const from = phase()
    espo.faults.latencyMs = 100
    await queue.store.enqueue([nr])
    const holder = cluster.ownerOf(await cluster.processing(nr))
    const proxy = holder === undefined ? undefined : cluster.proxies.get(holder)
    if (proxy === undefined) throw new Error('no proxied process holds the Akte')
    await until(async () => countCalls(espo.faults.calls, from.espo, 'POST', '/api/v1/Document') > 0, 10_000, 'the first Document')
    // Four seconds in which the holder's Redis commands and answers hang (below ioredis' 5 s command timeout).
    const stalledAt = Date.now()
    proxy.delayMs = 4_000
    setTimeout(() => { proxy.delayMs = 0 }, 300)
    await settled('the Akte to be synced')
    espo.faults.latencyMs = 0
    const lookups = espo.faults.calls.slice(from.espo).filter(x => x.url.startsWith('/api/v1/CAkte?'))
    const takeover = lookups.find(x => x.at > stalledAt)
    t.ok(takeover !== undefined, `another process took the Akte over ${(takeover?.at ?? NaN) - stalledAt} ms into the stall`)
    t.same(await world.problems(nr), [], 'each file exactly once in every system')
    const created = countCalls(espo.faults.calls, from.espo, 'POST', '/api/v1/Document')
    t.equal(created, 16, `${created} Document creations for 16 share files: none twice`)
    const uploads = countCalls(watcher.faults.calls, from.watcher, 'PUT', /^\/files\//)
    t.equal(uploads, 2, `${uploads} uploads for 2 EspoCRM Documents: none twice`)
    const history = systems.advoware.history(world.akte(nr).advowareAkteId).length
    t.equal(history, 18, `${history} History entries for 18 files: none twice`)
  })

  t.same(await cluster.stop(), [0, 0, 0], 'all three exit 0 on SIGTERM')
})
