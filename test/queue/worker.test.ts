import t from 'tap'
import pino from 'pino'
import { SyncWorker, type WorkerOptions } from '../../src/queue/worker.js'
import type { SyncJob, SyncOutcome } from '../../src/queue/types.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import { counter, latch } from '../helpers/latch.js'

const log = pino({ level: 'silent' })
const options: WorkerOptions = {
  concurrency: 2,
  leaseMs: 60_000,
  lockMode: 'akte',
  lockTtlMs: 10_000,
  maxAttempts: 3,
  backoff: { baseMs: 1000, maxMs: 10_000 },
  continuous: true
}

t.test('syncs every queued Akte with at most `concurrency` at once, continuing as slots free', async t => {
  const store = new MemoryStore()
  await store.enqueue(['1', '2', '3', '4', '5'])
  let active = 0
  let peak = 0
  const finished = counter(5)
  const seen: string[] = []
  const worker = new SyncWorker(store, async job => {
    active++
    peak = Math.max(peak, active)
    seen.push(job.aktennummer)
    await new Promise(resolve => setTimeout(resolve, 10))
    active--
    finished.tick()
    return { kind: 'done', status: 'synced' }
  }, log, options)
  await worker.drain()
  await finished.reached
  await new Promise(resolve => setImmediate(resolve))
  t.equal(peak, 2)
  t.same(seen.sort(), ['1', '2', '3', '4', '5'])
  await worker.stop(1000)
  t.same(await store.depths(), { pending: 0, processing: 0, delayed: 0, failed: 0 })
})

t.test('a failing Akte backs off, then lands in the failed set after maxAttempts', async t => {
  let now = 1_000_000
  const store = new MemoryStore({ now: () => now })
  await store.enqueue(['x'])
  const attempts: number[] = []
  const worker = new SyncWorker(store, async job => {
    attempts.push(job.attempts)
    return { kind: 'retry', error: `EspoCRM 503 (attempt ${job.attempts + 1})` }
  }, log, { ...options, continuous: false })
  for (let i = 0; i < 3; i++) {
    await worker.drain()
    await worker.idle()
    now += 20_000
  }
  t.same(attempts, [0, 1, 2])
  const overview = await store.overview()
  t.equal(overview.failed.length, 1)
  t.equal(overview.failed[0]?.error, 'EspoCRM 503 (attempt 3)')
})

t.test('a runner that throws counts as a retry, not a crash', async t => {
  const store = new MemoryStore()
  await store.enqueue(['x'])
  const worker = new SyncWorker(store, async () => { throw new Error('unexpected') }, log, { ...options, continuous: false })
  await worker.drain()
  await worker.idle()
  const overview = await store.overview()
  t.equal(overview.delayed[0]?.lastError, 'unexpected')
})

t.test('a busy lock puts the Akte back to pending without counting an attempt', async t => {
  const store = new MemoryStore()
  await store.enqueue(['x'])
  const hold = latch()
  const holding = store.withLock({ kind: 'global' }, { ttlMs: 1000 }, async () => await hold.promise)
  const worker = new SyncWorker(store, async () => ({ kind: 'done', status: 'synced' }), log, { ...options, lockMode: 'global', continuous: false })
  await worker.drain()
  await worker.stop(1000)
  t.same(await store.depths(), { pending: 1, processing: 0, delayed: 0, failed: 0 })
  t.same(await store.claim('probe', 1000, 1), [{ aktennummer: 'x', attempts: 0 }])
  hold.resolve()
  await holding
})

t.test('stop lets a running sync finish within the grace period', async t => {
  const store = new MemoryStore()
  await store.enqueue(['x'])
  const started = latch()
  const worker = new SyncWorker(store, async () => {
    started.resolve()
    await new Promise(resolve => setTimeout(resolve, 50))
    return { kind: 'done', status: 'synced' }
  }, log, options)
  await worker.drain()
  await started.promise
  await worker.stop(5_000)
  t.same(await store.depths(), { pending: 0, processing: 0, delayed: 0, failed: 0 })
})

t.test('after the grace period a running sync is aborted and its Akte returns to pending', async t => {
  const store = new MemoryStore()
  await store.enqueue(['x'])
  const started = latch<SyncJob>()
  const worker = new SyncWorker(store, async job => {
    started.resolve(job)
    await new Promise<void>(resolve => job.signal.addEventListener('abort', () => resolve()))
    return { kind: 'retry', error: 'aborted before the next write' } satisfies SyncOutcome
  }, log, options)
  await worker.drain()
  const job = await started.promise
  await worker.stop(50)
  t.ok(job.signal.aborted)
  t.same(await store.depths(), { pending: 1, processing: 0, delayed: 0, failed: 0 })
  t.equal(worker.activeCount, 0)
})

t.test('a lost lease aborts the running sync', async t => {
  let now = 1_000_000
  const store = new MemoryStore({ now: () => now })
  await store.enqueue(['x'])
  const started = latch<SyncJob>()
  const aborted = latch()
  const worker = new SyncWorker(store, async job => {
    started.resolve(job)
    await new Promise<void>(resolve => job.signal.addEventListener('abort', () => resolve()))
    aborted.resolve()
    return { kind: 'retry', error: 'lease lost' }
  }, log, { ...options, leaseMs: 300 })
  await worker.drain()
  await started.promise
  now += 1000
  await store.reapExpiredLeases()
  await store.claim('other-instance', 60_000, 1)
  await aborted.promise
  await worker.stop(1000)
  t.equal((await store.overview()).processing[0]?.owner, 'other-instance', 'the new owner keeps it')
})
