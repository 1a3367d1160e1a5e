import t from 'tap'
import { MemoryStore } from '../../src/store/memory-store.js'
import { startSystems } from '../../src/sandbox/systems.js'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config/load.js'
import { WEBHOOK_REGISTRATIONS } from '../../src/webhooks/secrets.js'
import { freePort, waitFor } from '../helpers/process.js'

t.test('register-webhooks creates each webhook once, keeps them on a rerun, and EspoCRM\'s signed deliveries are accepted', async t => {
  const systems = await startSystems()
  t.teardown(systems.close)
  const port = await freePort()
  const store = new MemoryStore()
  const config = loadConfig({ ...systems.env, LOG_LEVEL: 'silent', PUBLIC_URL: `http://127.0.0.1:${port}` })
  const app = await buildApp({ config, store, logger: false, worker: false })
  t.teardown(async () => { await app.close() })
  await app.listen({ port, host: '127.0.0.1' })
  const auth = { authorization: `Bearer ${systems.env.ADMIN_TOKEN}` }

  const first = await app.inject({ method: 'POST', url: '/admin/api/webhooks/register', headers: auth })
  t.equal(first.statusCode, 200)
  const created = first.json().webhooks as Array<{ event: string, outcome: string, webhookId: string }>
  t.same(created.map(w => w.event), ['Document.create', 'Document.update', 'Document.delete', 'Document.fieldUpdate.file', 'CAkte.create', 'CAkte.update', 'CAkte.delete'])
  t.ok(created.every(w => w.outcome === 'created'))
  t.equal(systems.espo.list('Webhook').length, 7)
  t.ok(systems.espo.list('Webhook').every(w => w.skipOwn === true))

  const second = await app.inject({ method: 'POST', url: '/admin/api/webhooks/register', headers: auth })
  t.ok((second.json().webhooks as Array<{ outcome: string }>).every(w => w.outcome === 'kept'), 'idempotent')
  t.equal(systems.espo.list('Webhook').length, 7)

  await store.deleteState(WEBHOOK_REGISTRATIONS, created[1]!.webhookId)
  const third = await app.inject({ method: 'POST', url: '/admin/api/webhooks/register', headers: auth })
  t.equal((third.json().webhooks as Array<{ outcome: string }>)[1]?.outcome, 'replaced', 'a webhook whose secret is lost is replaced')
  t.equal(systems.espo.list('Webhook').length, 7)

  // A person edits in EspoCRM: the simulator delivers the signed batch to our route.
  systems.espo.create('CAkte', { name: 'Müller ./. Schröder', aktennummer: '12/2026', advowareAkteId: '4711', status: 'Aktiv' })
  await systems.espo.deliverWebhooks()
  await waitFor(async () => (await store.overview()).pending.includes('12/2026'), 10_000, 'the delivered event to be enqueued')
  t.pass('delivered, verified and enqueued')
})

t.test('register-webhooks explains what is missing', async t => {
  const store = new MemoryStore()
  const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent', ADMIN_TOKEN: 'admin-token-xyz' }), store, logger: false })
  t.teardown(async () => { await app.close() })
  const res = await app.inject({ method: 'POST', url: '/admin/api/webhooks/register', headers: { authorization: 'Bearer admin-token-xyz' } })
  t.equal(res.statusCode, 400)
  t.match(res.json().message, /EspoCRM is not configured/)
})
