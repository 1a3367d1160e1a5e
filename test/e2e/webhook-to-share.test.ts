import t, { type Test } from 'tap'
import { startSystems, type Systems } from '../../src/sandbox/systems.js'
import { phpJsonEncode } from '../../src/simulators/espocrm/index.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import { INBOX } from '../../src/webhooks/inbox.js'
import { espoSignature } from '../helpers/espo-webhook.js'
import { waitFor } from '../helpers/process.js'
import { call, startService, type Service } from './helpers/service.js'
import { dateiNames, fileBytes, World } from './helpers/world.js'

/*
 * A person's change in EspoCRM reaches the share with nothing but the
 * running service in between: webhooks registered through the admin API
 * (PUBLIC_URL = the listening service), EspoCRM's signed delivery, the
 * webhook inbox, the queue, the worker, and the sync. Requests that are not
 * EspoCRM's change nothing.
 */

async function setUp (t: Test): Promise<{ systems: Systems, world: World, store: MemoryStore, service: Service }> {
  const systems = await startSystems()
  t.teardown(systems.close)
  const world = new World(systems)
  const store = new MemoryStore()
  const service = await startService(t, systems, {}, store)
  const registered = await call(service.url, 'POST', '/admin/api/webhooks/register')
  t.equal(registered.status, 200, 'webhooks registered through the admin API')
  t.ok(systems.espo.list('Webhook').every(w => String(w.url).startsWith(`${service.url}/webhooks/espocrm`)), 'EspoCRM calls the service at PUBLIC_URL')
  return { systems, world, store, service }
}

t.test('a Document created in an EspoCRM Akte lands on the share, linked in the History', async t => {
  const { systems, world, store } = await setUp(t)
  const nr = '2026/0101'
  await world.addAkte(nr, { 'Vollmacht.pdf': fileBytes('Vollmacht') })
  const bytes = fileBytes('Klageschrift Müller', 40_000)
  const docId = await world.addEspoDocument(nr, 'Klageschrift Müller.pdf', bytes)
  t.ok(systems.espo.pendingWebhookItems().some(i => i.event === 'Document.create' && i.targetId === docId), 'EspoCRM queued the create event')
  t.same(await store.depths(), { pending: 0, processing: 0, delayed: 0, failed: 0 }, 'nothing queued before the delivery')

  const deliveredAt = Date.now()
  await systems.espo.deliverWebhooks()
  const delivery = systems.espo.deliveryLog.find(d => d.events.includes('Document.create'))
  t.match(delivery, { status: 200, outcome: 'success' }, 'the signed webhook is accepted')

  await waitFor(async () => (await world.problems(nr)).length === 0, 20_000, 'the Akte to converge')
  const doc = systems.espo.get('Document', docId) ?? {}
  const path = String(doc.windowsPath)
  t.match(doc, { fileStatus: 'synced', windowsPath: /Klageschrift Müller\.pdf$/ })
  const onShare = await systems.watcher.readFile(nr, path)
  t.ok(onShare?.equals(bytes), `the share holds the same ${bytes.length} bytes at ${path}`)
  const links = systems.advoware.history(world.akte(nr).advowareAkteId).filter(h => dateiNames(h.datei, path))
  t.equal(links.length, 1, 'one History entry links the file')
  t.equal(String(doc.advowareHistoryId), String(links[0]?.id), 'the Document names that History entry')
  const upload = systems.watcher.faults.calls.find(c => c.method === 'PUT' && c.url.startsWith('/files/'))
  t.comment(`delivery -> file on the share: ${(upload?.finishedAt ?? NaN) - deliveredAt} ms`)
  t.same(await world.problems(nr), [], 'the Vollmacht from the share became a Document too')
})

t.test('unsigned, wrongly signed and malformed webhook requests change nothing', async t => {
  const { systems, world, store, service } = await setUp(t)
  const nr = '2026/0102'
  await world.addAkte(nr)
  const docId = await world.addEspoDocument(nr, 'Schriftsatz.pdf', fileBytes('Schriftsatz'))
  const item = systems.espo.pendingWebhookItems().find(i => i.event === 'Document.create' && i.targetId === docId)
  const webhook = systems.espo.list('Webhook').find(w => w.event === 'Document.create')
  if (item === undefined || webhook === undefined) throw new Error('EspoCRM queued no create event')
  // The very body EspoCRM would send: accepted, it would sync the Document to the share.
  const raw = phpJsonEncode([item.data])
  const webhookId = String(webhook.id)
  const secret = String(webhook.secretKey)
  const post = async (body: string, headers: Record<string, string>): Promise<number> =>
    (await call(service.url, 'POST', '/webhooks/espocrm?event=Document.create', body, { 'content-type': 'application/json', authorization: '', ...headers })).status

  const unchanged = async (what: string): Promise<void> => {
    t.same(await store.depths(), { pending: 0, processing: 0, delayed: 0, failed: 0 }, `${what}: no queue entry`)
    t.same(await store.listStateIds(INBOX), [], `${what}: nothing in the webhook inbox`)
    t.same(await world.shareListing(nr), [], `${what}: no file on the share`)
  }
  t.equal(await post(raw, {}), 401, 'unsigned: 401')
  await unchanged('unsigned')
  t.equal(await post(raw, { signature: espoSignature(webhookId, 'not-the-secret-0001', raw) }), 401, 'wrongly signed: 401')
  await unchanged('wrongly signed')
  t.equal(await post(raw, { signature: espoSignature(webhookId, secret, `${raw} `) }), 401, 'signed over other bytes: 401')
  await unchanged('signed over other bytes')
  const truncated = raw.slice(0, -5)
  t.equal(await post(truncated, { signature: espoSignature(webhookId, secret, truncated) }), 400, 'malformed JSON, correctly signed: 400')
  await unchanged('malformed JSON')
  const notArray = phpJsonEncode(item.data)
  t.equal(await post(notArray, { signature: espoSignature(webhookId, secret, notArray) }), 400, 'an object instead of an array: 400')
  await unchanged('not an array')
  t.equal(systems.watcher.faults.calls.filter(c => c.method === 'PUT').length, 0, 'the Watcher received no upload')

  // The control: the genuine delivery of the same event does sync, so the checks above could fail.
  await systems.espo.deliverWebhooks()
  await waitFor(async () => (await world.problems(nr)).length === 0, 20_000, 'the genuine delivery to sync')
  t.equal((await world.shareListing(nr)).length, 1, 'the genuine webhook brought the file')
})
