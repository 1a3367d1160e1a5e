import t from 'tap'
import { MemoryStore } from '../../src/store/memory-store.js'
import { build } from '../helpers/app.js'

const TOKEN = 'admin-token-for-tests'
const auth = { authorization: `Bearer ${TOKEN}` }

t.test('the admin API needs the admin token, and is off without one', async t => {
  const off = await build(t, {})
  t.equal((await off.inject({ method: 'GET', url: '/admin/api/queue', headers: auth })).statusCode, 401)
  const app = await build(t, { env: { ADMIN_TOKEN: TOKEN } })
  t.equal((await app.inject({ method: 'GET', url: '/admin/api/queue' })).statusCode, 401)
  t.equal((await app.inject({ method: 'GET', url: '/admin/api/queue', headers: { authorization: 'Bearer nope-nope' } })).statusCode, 401)
  t.equal((await app.inject({ method: 'GET', url: '/admin/api/queue', headers: auth })).statusCode, 200)
})

t.test('queue overview shows pending, processing with lease age, delayed and failed', async t => {
  const store = new MemoryStore()
  await store.enqueue(['1', '2', '3', '4'])
  const claimed = await store.claim('instance-a', 60_000, 3)
  const [first, second] = claimed.map(c => c.aktennummer)
  await store.retryLater(first as string, 'instance-a', { error: 'EspoCRM 503', delayMs: 60_000, maxAttempts: 5 })
  await store.retryLater(second as string, 'instance-a', { error: 'Advoware 401', delayMs: 0, maxAttempts: 1 })
  const app = await build(t, { env: { ADMIN_TOKEN: TOKEN }, store })
  const res = await app.inject({ method: 'GET', url: '/admin/api/queue', headers: auth })
  const body = res.json()
  t.equal(body.pending.length, 1)
  t.equal(body.processing.length, 1)
  t.equal(body.processing[0].owner, 'instance-a')
  t.ok(body.processing[0].leaseAgeMs >= 0 && body.processing[0].leaseAgeMs < 5_000)
  t.match(body.delayed, [{ aktennummer: first, attempts: 1, lastError: 'EspoCRM 503' }])
  t.match(body.failed, [{ aktennummer: second, attempts: 1, error: 'Advoware 401' }])
})

t.test('enqueue validates every Aktennummer before anything reaches the store', async t => {
  const store = new MemoryStore()
  const app = await build(t, { env: { ADMIN_TOKEN: TOKEN }, store })
  const bad = await app.inject({ method: 'POST', url: '/admin/api/akten', headers: auth, payload: { aktennummern: ['1', '../../etc/passwd'] } })
  t.equal(bad.statusCode, 400)
  t.match(bad.json().message, /aktennummern/)
  t.equal((await app.inject({ method: 'POST', url: '/admin/api/akten', headers: auth, payload: { aktennummern: [] } })).statusCode, 400)
  t.same(await store.depths(), { pending: 0, processing: 0, delayed: 0, failed: 0 })
  const ok = await app.inject({ method: 'POST', url: '/admin/api/akten', headers: auth, payload: { aktennummern: ['1', '12/2026', '1'] } })
  t.equal(ok.statusCode, 202)
  t.same(ok.json(), { enqueued: 2 })
})

t.test('retry moves a failed Akte back; an unknown one is a 404', async t => {
  const store = new MemoryStore()
  await store.enqueue(['9'])
  await store.claim('w', 60_000, 1)
  await store.retryLater('9', 'w', { error: 'boom', delayMs: 0, maxAttempts: 1 })
  const app = await build(t, { env: { ADMIN_TOKEN: TOKEN }, store })
  t.equal((await app.inject({ method: 'POST', url: '/admin/api/akten/8/retry', headers: auth })).statusCode, 404)
  const res = await app.inject({ method: 'POST', url: '/admin/api/akten/9/retry', headers: auth })
  t.equal(res.statusCode, 202)
  t.same(await store.depths(), { pending: 1, processing: 0, delayed: 0, failed: 0 })
})

t.test('force records the request and enqueues; Aktennummern with a slash travel encoded', async t => {
  const store = new MemoryStore()
  const app = await build(t, { env: { ADMIN_TOKEN: TOKEN }, store })
  const res = await app.inject({ method: 'POST', url: `/admin/api/akten/${encodeURIComponent('12/2026')}/force`, headers: auth })
  t.equal(res.statusCode, 202)
  t.same(res.json(), { aktennummer: '12/2026', forced: true })
  t.ok(await store.getState('force', '12/2026'))
  t.same((await store.overview()).pending, ['12/2026'])
})

t.test('a store outage answers 503, not 500', async t => {
  const memory = new MemoryStore()
  const store = Object.assign(Object.create(memory) as MemoryStore, { overview: async () => { throw new Error('ECONNREFUSED') } })
  const app = await build(t, { env: { ADMIN_TOKEN: TOKEN }, store })
  const res = await app.inject({ method: 'GET', url: '/admin/api/queue', headers: auth })
  t.equal(res.statusCode, 503)
})
