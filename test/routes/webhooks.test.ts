import t from 'tap'
import type { InjectOptions } from 'fastify'
import { MemoryStore } from '../../src/store/memory-store.js'
import type { Store } from '../../src/store/types.js'
import { startSystems } from '../../src/sandbox/systems.js'
import { build } from '../helpers/app.js'
import { espoSignature, phpJson } from '../helpers/espo-webhook.js'
import { waitFor } from '../helpers/process.js'

const WEBHOOK_ID = '6621a7b3c9d0e1f23'
const SECRET = 'webhook-secret-for-tests'
const PUSH = 'push-token-for-tests'
const env = { ESPOCRM_WEBHOOK_SECRETS: `${WEBHOOK_ID}:${SECRET}`, WATCHER_PUSH_TOKEN: PUSH }

function signed (body: unknown, event?: string): { method: 'POST', url: string, payload: string, headers: Record<string, string> } {
  const raw = typeof body === 'string' ? body : phpJson(body)
  return {
    method: 'POST',
    url: `/webhooks/espocrm${event === undefined ? '' : `?event=${event}`}`,
    payload: raw,
    headers: { 'content-type': 'application/json', signature: espoSignature(WEBHOOK_ID, SECRET, raw) }
  }
}

t.test('EspoCRM: an Akte event with its Aktennummer is enqueued at once', async t => {
  const store = new MemoryStore()
  const app = await build(t, { env, store })
  const res = await app.inject(signed([{ id: '6621a7b3c9d0e1f99', aktennummer: '12/2026', name: 'Müller ./. Schröder' }], 'CAkte.create'))
  t.equal(res.statusCode, 200)
  t.same(res.json(), { received: 1, enqueued: ['12/2026'], deferred: 0, ignored: 0 })
  t.same((await store.overview()).pending, ['12/2026'])
})

t.test('EspoCRM: our own bookkeeping echo is ignored', async t => {
  const store = new MemoryStore()
  const app = await build(t, { env, store })
  const res = await app.inject(signed([
    { id: '6621a7b3c9d0e1f98', syncHash: 'abc', sync_usn: '9007199254741994', fileStatus: 'synced', lastSync: '2026-12-04 10:00:00', modifiedAt: '2026-12-04 10:00:00' },
    { id: '6621a7b3c9d0e1f97', modifiedAt: '2026-12-04 10:00:00' }
  ], 'Document.update'))
  t.same(res.json(), { received: 2, enqueued: [], deferred: 0, ignored: 2 })
  t.same(await store.depths(), { pending: 0, processing: 0, delayed: 0, failed: 0 })
})

t.test('EspoCRM: Document events are resolved to their Akte through EspoCRM in the background', async t => {
  const systems = await startSystems()
  t.teardown(systems.close)
  const akte = systems.espo.create('CAkte', { name: 'Bäckerei Weiß', aktennummer: '12345', advowareAkteId: '4711', status: 'Aktiv' })
  const attachment = await systems.espo.seedAttachment({ name: 'Vertrag.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4 x') })
  const doc = systems.espo.create('Document', { name: 'Vertrag', fileId: attachment.id, publishDate: '2026-03-24', akteId: akte.id })
  const store = new MemoryStore()
  const app = await build(t, { env: { ...env, ...systems.env }, store })
  const res = await app.inject(signed([
    { id: doc.id as string, description: 'edited by a user' },
    { id: '6621a7b3c9d0e1faa', akteId: akte.id }
  ], 'Document.update'))
  t.equal(res.statusCode, 200)
  t.same(res.json(), { received: 2, enqueued: [], deferred: 2, ignored: 0 })
  await waitFor(async () => (await store.overview()).pending.includes('12345'), 10_000, 'the Akte to be enqueued')
  await waitFor(async () => (await store.listStateIds('webhook-inbox')).length === 0, 10_000, 'the inbox to empty')
  t.pass('resolved and enqueued; inbox empty')
})

t.test('EspoCRM: a failing lookup keeps the event in the inbox until EspoCRM answers', async t => {
  const systems = await startSystems()
  t.teardown(systems.close)
  const akte = systems.espo.create('CAkte', { name: 'X', aktennummer: '777', advowareAkteId: '1', status: 'Aktiv' })
  const store = new MemoryStore()
  const app = await build(t, { env: { ...env, ...systems.env, EXTERNAL_RETRIES: '1' }, store })
  systems.espo.setMaintenance(true)
  const res = await app.inject(signed([{ id: '6621a7b3c9d0e1fab', akteId: akte.id }], 'Document.create'))
  t.equal(res.statusCode, 200, 'EspoCRM gets its answer at once')
  t.equal(await app.webhookInbox.process(), 1, 'kept while EspoCRM is in maintenance')
  systems.espo.setMaintenance(false)
  t.equal(await app.webhookInbox.process(), 0)
  t.same((await store.overview()).pending, ['777'])
})

t.test('EspoCRM: unsigned, forged and malformed requests change nothing and get the right status', async t => {
  const store = new MemoryStore()
  const app = await build(t, { env, store })
  const body = phpJson([{ id: '6621a7b3c9d0e1f99', aktennummer: '1' }])
  const cases: Array<[string, InjectOptions, number]> = [
    ['unsigned', { method: 'POST', url: '/webhooks/espocrm', payload: body, headers: { 'content-type': 'application/json' } }, 401],
    ['wrong secret', { method: 'POST', url: '/webhooks/espocrm', payload: body, headers: { 'content-type': 'application/json', signature: espoSignature(WEBHOOK_ID, 'other', body) } }, 401],
    ['unknown webhook', { method: 'POST', url: '/webhooks/espocrm', payload: body, headers: { 'content-type': 'application/json', signature: espoSignature('00000000000000000', SECRET, body) } }, 401],
    ['not JSON', signed('{"id": nope'), 400],
    ['not an array', signed({ id: '6621a7b3c9d0e1f99' }), 400],
    ['more than 50 events', signed(Array.from({ length: 51 }, (_, i) => ({ id: `6621a7b3c9d0e1${String(i).padStart(3, '0')}` }))), 400],
    ['an event without id', signed([{ name: 'x' }]), 400],
    ['wrong content type', { ...signed([{ id: '6621a7b3c9d0e1f99' }]), headers: { 'content-type': 'text/plain', signature: espoSignature(WEBHOOK_ID, SECRET, body) } }, 415],
    ['too big', signed('[' + '"x",'.repeat(300_000) + '"x"]'), 413]
  ]
  for (const [name, request, status] of cases) {
    const res = await app.inject(request)
    t.equal(res.statusCode, status, name)
    t.type(res.json().message, 'string', `${name}: says why`)
  }
  t.same(await store.depths(), { pending: 0, processing: 0, delayed: 0, failed: 0 })
  t.same(await store.listStateIds('webhook-inbox'), [])
})

t.test('EspoCRM and Watcher webhooks answer 503 when the store is down, so the sender retries', async t => {
  const memory = new MemoryStore()
  const down: Store = Object.assign(Object.create(memory) as Store, {
    enqueue: async () => { throw new Error('ECONNREFUSED') },
    setState: async () => { throw new Error('ECONNREFUSED') },
    getState: async () => { throw new Error('ECONNREFUSED') }
  })
  const app = await build(t, { env, store: down })
  const espo = await app.inject(signed([{ id: '6621a7b3c9d0e1f99', aktennummer: '1' }], 'CAkte.update'))
  t.equal(espo.statusCode, 503)
  const watcher = await app.inject({ method: 'POST', url: '/webhooks/watcher', headers: { authorization: `Bearer ${PUSH}` }, payload: { akte: '1' } })
  t.equal(watcher.statusCode, 503)
})

t.test('Watcher push: bearer token, validated Aktennummer, enqueued', async t => {
  const store = new MemoryStore()
  const app = await build(t, { env, store })
  const post = async (headers: Record<string, string>, payload: unknown): Promise<number> =>
    (await app.inject({ method: 'POST', url: '/webhooks/watcher', headers, payload: payload as object })).statusCode
  t.equal(await post({}, { akte: '1' }), 401)
  t.equal(await post({ authorization: 'Bearer wrong-token' }, { akte: '1' }), 401)
  t.equal(await post({ authorization: `Bearer ${PUSH}` }, { akte: '../etc' }), 400)
  t.equal(await post({ authorization: `Bearer ${PUSH}` }, { akte: '1', extra: true }), 400)
  t.equal(await post({ authorization: `Bearer ${PUSH}` }, { akte: '12/2026', paths: ['Schriftsatz/Klage.pdf'] }), 202)
  t.same((await store.overview()).pending, ['12/2026'])
  const metrics = await app.inject({ method: 'GET', url: '/metrics' })
  t.match(metrics.body, /advoware_sync_webhook_requests_total\{source="watcher",outcome="accepted"\} 1/)
})

t.test('Watcher push is refused while no push token is configured', async t => {
  const app = await build(t, {})
  const res = await app.inject({ method: 'POST', url: '/webhooks/watcher', headers: { authorization: 'Bearer anything-at-all' }, payload: { akte: '1' } })
  t.equal(res.statusCode, 401)
})
