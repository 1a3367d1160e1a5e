import type { Test } from 'tap'
import type { Store } from '../../src/store/types.js'

export interface Clock { now: number }

/** Builds a fresh, empty store on a test clock; the factory cleans up via t.teardown. */
export type StoreFactory = (t: Test, clock: Clock) => Promise<Store>

const LEASE = 30_000
const RETRY = { error: 'boom', delayMs: 5_000, maxAttempts: 3 }

/** The behaviour both stores must share; run against each implementation. */
export function storeContract (t: Test, make: StoreFactory): void {
  const setup = async (tt: Test): Promise<{ store: Store, clock: Clock }> => {
    const clock = { now: 1_700_000_000_000 }
    return { store: await make(tt, clock), clock }
  }

  t.test('enqueue counts only new Aktennummern and lists them', async t => {
    const { store } = await setup(t)
    t.equal(await store.enqueue(['2', '1', '2']), 2)
    t.equal(await store.enqueue(['1']), 0)
    t.equal(await store.enqueue([]), 0)
    t.same((await store.overview()).pending, ['1', '2'])
    t.same(await store.depths(), { pending: 2, processing: 0, delayed: 0, failed: 0 })
  })

  t.test('claim moves up to max Akten to processing with a lease', async t => {
    const { store, clock } = await setup(t)
    await store.enqueue(['a', 'b', 'c'])
    const first = await store.claim('w1', LEASE, 2)
    t.equal(first.length, 2)
    t.ok(first.every(c => c.attempts === 0))
    const second = await store.claim('w2', LEASE, 5)
    t.equal(second.length, 1)
    t.same([...first, ...second].map(c => c.aktennummer).sort(), ['a', 'b', 'c'])
    t.same(await store.claim('w3', LEASE, 5), [])
    const overview = await store.overview()
    t.same(overview.pending, [])
    t.equal(overview.processing.length, 3)
    t.ok(overview.processing.every(p => p.leaseExpiresAt === clock.now + LEASE))
    t.same(await store.claim('w1', LEASE, 0), [])
  })

  t.test('an Akte added again while it syncs is claimed once more after it completes', async t => {
    const { store } = await setup(t)
    await store.enqueue(['x'])
    await store.claim('w1', LEASE, 1)
    t.equal(await store.enqueue(['x']), 1)
    t.same(await store.claim('w2', LEASE, 5), [], 'not claimable while it is processing')
    await store.complete('x', 'w1')
    t.same((await store.claim('w2', LEASE, 5)).map(c => c.aktennummer), ['x'])
  })

  t.test('renew and finish only work for the lease owner', async t => {
    const { store, clock } = await setup(t)
    await store.enqueue(['x'])
    await store.claim('w1', LEASE, 1)
    t.equal(await store.renew('x', 'w2', LEASE), false)
    clock.now += 1000
    t.equal(await store.renew('x', 'w1', LEASE), true)
    t.equal((await store.overview()).processing[0]?.leaseExpiresAt, clock.now + LEASE)
    await store.complete('x', 'w2')
    await store.release('x', 'w2')
    t.equal((await store.depths()).processing, 1, 'a stranger cannot finish it')
    await store.release('x', 'w1')
    t.same(await store.depths(), { pending: 1, processing: 0, delayed: 0, failed: 0 })
  })

  t.test('failures back off, then land in the failed set with their error', async t => {
    const { store, clock } = await setup(t)
    await store.enqueue(['x'])
    await store.claim('w', LEASE, 1)
    const first = await store.retryLater('x', 'w', RETRY)
    t.same(first, { outcome: 'delayed', attempts: 1, dueAt: clock.now + RETRY.delayMs })
    t.same(await store.claim('w', LEASE, 1), [], 'not before it is due')
    t.equal(await store.enqueue(['x']), 0, 'a new event does not cut the backoff short')
    const overview = await store.overview()
    t.same(overview.delayed, [{ aktennummer: 'x', dueAt: clock.now + RETRY.delayMs, attempts: 1, lastError: 'boom' }])
    clock.now += RETRY.delayMs
    t.same(await store.claim('w', LEASE, 1), [{ aktennummer: 'x', attempts: 1 }])
    t.equal((await store.retryLater('x', 'w', RETRY)).outcome, 'delayed')
    clock.now += RETRY.delayMs
    t.same(await store.claim('w', LEASE, 1), [{ aktennummer: 'x', attempts: 2 }])
    t.same(await store.retryLater('x', 'w', { ...RETRY, error: 'final' }), { outcome: 'failed', attempts: 3 })
    const failed = (await store.overview()).failed
    t.same(failed, [{ aktennummer: 'x', attempts: 3, error: 'final', failedAt: clock.now }])
    clock.now += 10 * RETRY.delayMs
    t.same(await store.claim('w', LEASE, 1), [], 'failed Akten are not claimed')
    t.same(await store.depths(), { pending: 0, processing: 0, delayed: 0, failed: 1 })
  })

  t.test('a new event or an operator retry gives a failed Akte a fresh start', async t => {
    const { store } = await setup(t)
    for (const nr of ['a', 'b']) {
      await store.enqueue([nr])
      await store.claim('w', LEASE, 1)
      await store.retryLater(nr, 'w', { ...RETRY, maxAttempts: 1 })
    }
    t.equal((await store.depths()).failed, 2)
    t.equal(await store.enqueue(['a']), 1)
    t.equal(await store.retryNow('b'), true)
    t.equal(await store.retryNow('b'), false)
    t.equal(await store.retryNow('unknown'), false)
    const claimed = await store.claim('w', LEASE, 5)
    t.same(claimed.map(c => c.attempts), [0, 0])
    t.same(await store.depths(), { pending: 0, processing: 2, delayed: 0, failed: 0 })
  })

  t.test('retryNow also ends a backoff early', async t => {
    const { store } = await setup(t)
    await store.enqueue(['x'])
    await store.claim('w', LEASE, 1)
    await store.retryLater('x', 'w', RETRY)
    t.equal(await store.retryNow('x'), true)
    t.same(await store.claim('w', LEASE, 1), [{ aktennummer: 'x', attempts: 0 }])
  })

  t.test('a re-add during a failing run keeps the Akte pending instead of delayed', async t => {
    const { store } = await setup(t)
    await store.enqueue(['x'])
    await store.claim('w', LEASE, 1)
    await store.enqueue(['x'])
    const outcome = await store.retryLater('x', 'w', RETRY)
    t.equal(outcome.outcome, 'delayed')
    t.same(await store.depths(), { pending: 1, processing: 0, delayed: 0, failed: 0 })
  })

  t.test('expired leases go back to pending and the old owner can no longer finish', async t => {
    const { store, clock } = await setup(t)
    await store.enqueue(['x', 'y'])
    await store.claim('dead', LEASE, 2)
    clock.now += LEASE - 1
    t.same(await store.reapExpiredLeases(), [])
    clock.now += 1
    t.same((await store.reapExpiredLeases()).sort(), ['x', 'y'])
    t.same(await store.depths(), { pending: 2, processing: 0, delayed: 0, failed: 0 })
    const claimed = await store.claim('alive', LEASE, 1)
    t.equal(claimed.length, 1)
    const nr = claimed[0]!.aktennummer
    t.same(await store.retryLater(nr, 'dead', RETRY), { outcome: 'lost' })
    await store.complete(nr, 'dead')
    t.equal(await store.renew(nr, 'dead', LEASE), false)
    t.equal((await store.overview()).processing[0]?.owner, 'alive')
  })

  t.test('claim itself returns expired leases before claiming', async t => {
    const { store, clock } = await setup(t)
    await store.enqueue(['x'])
    await store.claim('dead', LEASE, 1)
    clock.now += LEASE + 1
    t.same(await store.claim('alive', LEASE, 1), [{ aktennummer: 'x', attempts: 0 }])
  })

  t.test('concurrent claimers never get the same Akte', async t => {
    const { store } = await setup(t)
    const all = Array.from({ length: 300 }, (_, i) => `A-${i}`)
    await store.enqueue(all)
    const results = await Promise.all(Array.from({ length: 8 }, async (_, w) => {
      const mine: string[] = []
      for (;;) {
        const batch = await store.claim(`w${w}`, LEASE, 7)
        if (batch.length === 0) return mine
        mine.push(...batch.map(c => c.aktennummer))
      }
    }))
    const flat = results.flat()
    t.equal(flat.length, all.length)
    t.equal(new Set(flat).size, all.length)
  })

  t.test('locks: busy when held, per Akte independent, global exclusive, freed after a throw', async t => {
    const { store } = await setup(t)
    const opts = { ttlMs: 2_000 }
    let release!: () => void
    const gate = new Promise<void>(resolve => { release = resolve })
    const holding = store.withLock({ kind: 'akte', aktennummer: '1' }, opts, async () => { await gate; return 'done' })
    await new Promise(resolve => setTimeout(resolve, 50))
    t.same(await store.withLock({ kind: 'akte', aktennummer: '1' }, opts, async () => 'second'), { acquired: false })
    t.same(await store.withLock({ kind: 'akte', aktennummer: '2' }, opts, async () => 'other'), { acquired: true, value: 'other' })
    release()
    t.same(await holding, { acquired: true, value: 'done' })
    await t.rejects(store.withLock({ kind: 'global' }, opts, async () => { throw new Error('inside') }), /inside/)
    const again = await store.withLock({ kind: 'global' }, opts, async signal => signal.aborted)
    t.same(again, { acquired: true, value: false })
  })

  t.test('a lock outlives its ttl while the routine runs', async t => {
    const { store } = await setup(t)
    const result = await store.withLock({ kind: 'akte', aktennummer: 'long' }, { ttlMs: 300 }, async signal => {
      await new Promise(resolve => setTimeout(resolve, 800))
      const busy = await store.withLock({ kind: 'akte', aktennummer: 'long' }, { ttlMs: 300 }, async () => 'stolen')
      return { aborted: signal.aborted, busy }
    })
    t.same(result, { acquired: true, value: { aborted: false, busy: { acquired: false } } })
  })

  t.test('state: JSON values by namespace and id', async t => {
    const { store } = await setup(t)
    t.equal(await store.getState('akte', '1'), undefined)
    const value = { files: { 'a.pdf': { hash: 'h', usn: '9007199254740993' } } }
    await store.setState('akte', '1', value)
    await store.setState('akte', '0', { other: true })
    await store.setState('result', '1', [1, 2])
    value.files['a.pdf'].hash = 'changed after write'
    t.same(await store.getState('akte', '1'), { files: { 'a.pdf': { hash: 'h', usn: '9007199254740993' } } })
    t.same(await store.listStateIds('akte'), ['0', '1'])
    await store.deleteState('akte', '1')
    t.same(await store.listStateIds('akte'), ['0'])
    t.same(await store.listStateIds('nothing'), [])
    await store.ping()
  })
}
