import t from 'tap'
import { build } from './helpers/app.js'
import type { Store } from '../src/store/types.js'
import { MemoryStore } from '../src/store/memory-store.js'

t.test('GET /health/live answers while the process runs', async t => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/health/live' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok' })
})

t.test('GET /health/ready reports the store', async t => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok', store: 'memory' })
})

t.test('GET /health/ready answers 503 with a reason when the store is unreachable', async t => {
  const store = new MemoryStore()
  const broken: Store = Object.assign(Object.create(store) as Store, { ping: async () => { throw new Error('ECONNREFUSED 10.0.0.1:6379 secret-detail') } })
  const app = await build(t, { store: broken })
  const res = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(res.statusCode, 503)
  t.same(res.json(), { status: 'unavailable', store: 'memory', reason: 'memory store unreachable' })
  t.notMatch(res.body, /secret-detail/, 'no internals in the body')
})

t.test('GET /metrics serves Prometheus text with process and queue metrics', async t => {
  const store = new MemoryStore()
  await store.enqueue(['1', '2'])
  const app = await build(t, { store })
  const res = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain/)
  t.match(res.body, /process_cpu_user_seconds_total/)
  t.match(res.body, /advoware_sync_queue_depth\{queue="pending"\} 2/)
})

t.test('unknown routes get a 404 that names them', async t => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/nope?x=1' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), { statusCode: 404, error: 'Not Found', message: 'No route GET /nope' })
})

t.test('5xx bodies never leak internals; 4xx say what was wrong', async t => {
  const app = await build(t, {
    extend: app => {
      app.get('/boom', async () => { throw new Error('password=hunter2 at /srv/secret.ts:12') })
      app.get('/teapot', async (_req, reply) => reply.badRequest('Aktennummer must not be empty'))
    }
  })
  const boom = await app.inject({ method: 'GET', url: '/boom' })
  t.equal(boom.statusCode, 500)
  t.same(boom.json(), { statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' })
  const bad = await app.inject({ method: 'GET', url: '/teapot' })
  t.equal(bad.statusCode, 400)
  t.same(bad.json(), { statusCode: 400, error: 'Bad Request', message: 'Aktennummer must not be empty' })
})
