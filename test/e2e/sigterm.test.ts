import t, { type Test } from 'tap'
import { startSystems, type Systems } from '../../src/sandbox/systems.js'
import { redisTestOptions } from '../helpers/redis.js'
import { clusterEnv } from './helpers/cluster.js'
import { queueEmpty, testQueue, until, type TestQueue } from './helpers/queue.js'
import { spawnService, stopChild } from './helpers/service.js'
import { fileBytes, World } from './helpers/world.js'

/*
 * SIGTERM (docker stop, a deploy) while a long sync runs. The process exits
 * 0 either way: the sync finishes within SYNC_SHUTDOWN_GRACE_MS, or it is
 * stopped at its next safe point and its Akte goes back to pending, where
 * the next process finds it. Nothing is lost or doubled by the interruption.
 */

const FILES = 8
const LATENCY_MS = 60

interface Scene { systems: Systems, world: World, queue: TestQueue, nr: string }

async function scene (t: Test): Promise<Scene> {
  const queue = testQueue(t)
  const systems = await startSystems()
  t.teardown(systems.close)
  const world = new World(systems)
  const nr = 'TERM-2026/5'
  await world.addAkte(nr)
  for (let i = 0; i < FILES; i++) await world.addShareFile(nr, `Posteingang ${i}.pdf`, fileBytes(`${nr} ${i}`, 3000))
  await world.addEspoDocument(nr, 'Vermerk.pdf', fileBytes(`${nr} Vermerk`))
  return { systems, world, queue, nr }
}

/** Starts a process, lets it begin the slow sync, and SIGTERMs it after the sync's first Document write. */
async function terminateMidSync (t: Test, s: Scene, graceMs: number): Promise<{ code: number | null, exitMs: number, output: string, createdBefore: number }> {
  const child = await spawnService(t, s.systems, clusterEnv(s.queue, { SYNC_SHUTDOWN_GRACE_MS: String(graceMs), SYNC_FILE_CONCURRENCY: '1', LOG_LEVEL: 'info' }))
  s.systems.espo.faults.latencyMs = LATENCY_MS
  s.systems.watcher.faults.latencyMs = LATENCY_MS
  await s.queue.store.enqueue([s.nr])
  const created = (): number => s.systems.espo.faults.calls.filter(c => c.method === 'POST' && c.url === '/api/v1/Document' && c.status === 200).length
  await until(async () => created() > 0, 15_000, 'the first Document the sync creates')
  const sentAt = Date.now()
  const createdBefore = created()
  const code = await stopChild(child, 'SIGTERM')
  return { code, exitMs: Date.now() - sentAt, output: child.output(), createdBefore }
}

t.test('SIGTERM with enough grace: the running sync finishes, then the process exits 0', await redisTestOptions(), async t => {
  const s = await scene(t)
  const { code, exitMs, output, createdBefore } = await terminateMidSync(t, s, 20_000)
  t.ok(createdBefore < FILES, `SIGTERM came with ${createdBefore} of ${FILES} Documents created`)
  t.equal(code, 0, 'exit code 0')
  t.ok(exitMs < 20_000, `exited ${exitMs} ms after SIGTERM, within the grace period`)
  t.same(await s.world.problems(s.nr), [], 'the sync ran to its end: converged')
  t.ok(await queueEmpty(s.queue.store), 'and left the queue: nothing pending, nothing processing')
  t.notMatch(output, /grace period over/, 'no sync had to be stopped')
  t.comment(`exit ${exitMs} ms after SIGTERM`)
})

t.test('SIGTERM with a short grace: stopped at a safe point, back to pending, and a restart converges', await redisTestOptions(), async t => {
  const s = await scene(t)
  const graceMs = 300
  const { code, exitMs, output } = await terminateMidSync(t, s, graceMs)
  t.equal(code, 0, 'exit code 0')
  t.ok(exitMs < graceMs + 3_000, `exited ${exitMs} ms after SIGTERM (grace ${graceMs} ms)`)
  t.match(output, /grace period over/, 'the grace period ran out while the sync ran')
  t.match(output, /stopped for shutdown; back to pending/)

  const { redis, store } = s.queue
  t.same(await redis.smembers(store.keys.pending), [s.nr], 'the Akte is back in the pending set')
  t.same(await redis.smembers(store.keys.processing), [], 'the processing set is empty')
  t.equal(await redis.zcard(store.keys.leases), 0, 'no lease left behind')
  t.equal(await redis.hlen(store.keys.owners), 0, 'no owner left behind')
  t.equal(await redis.exists(store.keys.akteLock(s.nr)), 0, 'the Akte lock was released')
  t.equal(await redis.hlen(store.keys.attempts), 0, 'the stop counted no failed attempt')
  const partial = s.world.documents(s.nr).length - 1
  t.ok(partial > 0 && partial < FILES, `stopped part way: ${partial} of ${FILES} Documents created`)
  // The stop aborts a transfer in flight (an attachment no Document uses yet is harmless); no record write is cut off.
  const cut = [...s.systems.espo.faults.calls, ...s.systems.watcher.faults.calls].filter(c => c.status === undefined).map(c => `${c.method} ${c.url}`)
  t.ok(cut.every(c => c === 'POST /api/v1/Attachment'), `requests cut off by the stop: ${JSON.stringify(cut)}`)

  s.systems.espo.faults.latencyMs = 0
  s.systems.watcher.faults.latencyMs = 0
  const restarted = await spawnService(t, s.systems, clusterEnv(s.queue))
  await until(async () => await queueEmpty(s.queue.store) && (await s.world.problems(s.nr)).length === 0, 20_000, 'the restart to converge', 50)
  t.same(await s.world.problems(s.nr), [], 'after the restart: every file once everywhere, same bytes')
  const created = s.systems.espo.faults.calls.filter(c => c.method === 'POST' && c.url === '/api/v1/Document' && c.status === 200).length
  t.equal(created, FILES, 'no Document created twice across the stop')
  t.equal(await stopChild(restarted, 'SIGTERM'), 0, 'the restarted process exits 0 on SIGTERM')
  t.comment(`exit ${exitMs} ms after SIGTERM with ${partial} Documents written; the restart finished the rest`)
})
