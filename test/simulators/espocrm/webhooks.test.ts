import t from 'tap'
import { createHmac } from 'node:crypto'
import { createServer } from 'node:net'
import { request } from 'undici'
import type { Call } from './helpers.js'
import { startSim, upload } from './helpers.js'
import { startReceiver } from './receiver.js'

async function subscribe (api: Call, event: string, url: string, skipOwn = false): Promise<{ id: string, secretKey: string }> {
  const res = await api('POST', 'Webhook', { body: { event, url, skipOwn } })
  if (res.status !== 200) throw new Error(`webhook: ${res.status}`)
  return res.json
}

/** A port nothing listens on. */
async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise(resolve => server.close(resolve))
  return typeof address === 'object' && address !== null ? address.port : 1
}

t.test('POST Webhook answers id and a random secretKey; bad events are 400', async t => {
  const { api } = await startSim(t)
  const a = await subscribe(api, 'Document.update', 'http://127.0.0.1:9/x')
  const b = await subscribe(api, 'CAkte.create', 'http://127.0.0.1:9/x')
  t.match(a.id, /^[0-9a-f]{17}$/)
  t.match(a.secretKey, /^[0-9a-f]{32}$/)
  t.not(a.secretKey, b.secretKey)
  t.equal((await api('POST', 'Webhook', { body: { event: 'Document.explode', url: 'http://x/' } })).status, 400)
  t.equal((await api('POST', 'Webhook', { body: { event: 'Nope.create', url: 'http://x/' } })).status, 400)
  t.ok((await subscribe(api, 'Document.fieldUpdate.file', 'http://127.0.0.1:9/x')).id)
})

t.test('more than 50 events go out as two batches, signed both ways over the raw PHP-encoded body', async t => {
  const { sim, api } = await startSim(t)
  const receiver = await startReceiver(t)
  const hook = await subscribe(api, 'CAkte.create', `${receiver.url}/hook`)
  for (let i = 0; i < 60; i++) sim.create('CAkte', { name: `Müller/Meier €😀 ${i}`, aktennummer: `${i}` })
  t.equal(await sim.deliverWebhooks(), 1)
  t.equal(await sim.deliverWebhooks(), 1)
  t.equal(await sim.deliverWebhooks(), 0)
  t.equal(receiver.received.length, 2)
  const [first, second] = receiver.received
  if (first === undefined || second === undefined) throw new Error('missing batches')
  t.equal(JSON.parse(first.raw.toString()).length, 50)
  t.equal(JSON.parse(second.raw.toString()).length, 10)
  for (const batch of receiver.received) {
    const mac = createHmac('sha256', hook.secretKey).update(batch.raw).digest()
    t.equal(batch.headers.signature, Buffer.from(`${hook.id}:${mac.toString('hex')}`).toString('base64'))
    t.equal(batch.headers['x-signature'], Buffer.concat([Buffer.from(`${hook.id}:`), mac]).toString('base64'))
    t.equal(batch.headers['content-type'], 'application/json')
  }
  const raw = first.raw.toString('latin1')
  t.match(raw, 'M\\u00fcller\\/Meier \\u20ac\\ud83d\\ude00 0', 'PHP escapes / and non-ASCII')
  t.notMatch(raw, /[^\x20-\x7e]/, 'pure ASCII on the wire')
  const parsed = JSON.parse(first.raw.toString())
  t.equal(parsed[0].name, 'Müller/Meier €😀 0')
  t.not(JSON.stringify(parsed), first.raw.toString(), 'JSON.stringify of the parsed body would not verify')
  t.same(sim.deliveryLog.map(e => [e.items, e.status, e.outcome]), [[50, 200, 'success'], [10, 200, 'success']])
})

t.test('payloads: create = all attributes, update = changes + id, delete = id, fieldUpdate.file', async t => {
  const { sim, api } = await startSim(t)
  const receiver = await startReceiver(t)
  for (const event of ['Document.create', 'Document.update', 'Document.delete', 'Document.fieldUpdate.file']) {
    await subscribe(api, event, `${receiver.url}/${event}`)
  }
  const v1 = await upload(api, 'v1.pdf', Buffer.from('1'))
  const v2 = await upload(api, 'v2.pdf', Buffer.from('2'))
  const doc = sim.create('Document', { name: 'D', fileId: v1, publishDate: '2026-01-01', description: 'x' })
  const id = String(doc.id)
  sim.update('Document', id, { description: 'y' })
  sim.update('Document', id, { fileId: v2 })
  sim.remove('Document', id)
  await sim.deliverAllWebhooks()
  const by = (path: string): any[] => receiver.received.filter(r => r.path === `/${path}`).flatMap(r => JSON.parse(r.raw.toString()))
  const [created] = by('Document.create')
  t.equal(created.id, id)
  t.equal(created.fileName, 'v1.pdf')
  t.equal(created.description, 'x')
  t.ok(created.createdAt)
  t.same(by('Document.update'), [{ description: 'y', id }, { fileId: v2, id }])
  t.same(by('Document.delete'), [{ id }])
  t.same(by('Document.fieldUpdate.file'), [{ id, fileId: v2, fileName: 'v2.pdf' }])
})

t.test('answer codes: retried, failed at once, done, and timeouts count as 408', async t => {
  const { sim, api } = await startSim(t, { webhooks: { retryDelayMs: 0, timeoutMs: 150 } })
  const receiver = await startReceiver(t)
  const refused = `http://127.0.0.1:${await closedPort()}/`
  const cases: Array<[string, number]> = [
    ...[401, 403, 404, 405, 408, 500, 503].map((c): [string, number] => [`/status/${c}`, 4]),
    ...[400, 413, 422, 429, 502, 504].map((c): [string, number] => [`/status/${c}`, 1]),
    ['/status/204', 1], ['/status/302', 1], ['/slow/1000', 4]
  ]
  const hooks = new Map<string, string>()
  for (const [path] of cases) hooks.set((await subscribe(api, 'CAkte.create', receiver.url + path)).id, path)
  const refusedHook = await subscribe(api, 'CAkte.create', refused)
  sim.create('CAkte', { name: 'A' })
  await sim.deliverAllWebhooks()
  for (const [path, attempts] of cases) {
    const id = [...hooks].find(([, p]) => p === path)?.[0]
    const entries = sim.deliveryLog.filter(e => e.webhookId === id)
    t.equal(entries.length, attempts, `${path}: ${attempts} attempt(s)`)
    const final = entries.at(-1)?.outcome
    t.equal(final, path === '/status/204' || path === '/status/302' ? 'success' : 'failed', `${path} ends ${String(final)}`)
  }
  const slow = sim.deliveryLog.filter(e => hooks.get(e.webhookId) === '/slow/1000')
  t.same(slow.map(e => e.status), [408, 408, 408, 408])
  t.same(slow.map(e => e.outcome), ['retry', 'retry', 'retry', 'failed'])
  const refusedLog = sim.deliveryLog.filter(e => e.webhookId === refusedHook.id)
  t.same(refusedLog.map(e => [e.status, e.outcome]), [[0, 'failed']], 'a refused connection fails at once')
  t.same(sim.pendingWebhookItems(), [])
})

t.test('a retry waits for the retry delay', async t => {
  let now = Date.parse('2026-03-01T00:00:00Z')
  const { sim, api } = await startSim(t, { clock: () => now, webhooks: { retryDelayMs: 60_000 } })
  const receiver = await startReceiver(t)
  await subscribe(api, 'CAkte.create', `${receiver.url}/status/503`)
  sim.create('CAkte', { name: 'A' })
  t.equal(await sim.deliverWebhooks(), 1)
  t.equal(await sim.deliverWebhooks(), 0, 'not due yet')
  now += 60_000
  t.equal(await sim.deliverWebhooks(), 1)
  t.same(sim.deliveryLog.map(e => e.attempt), [1, 2])
})

t.test('410 deletes the webhook for good', async t => {
  const { sim, api } = await startSim(t)
  const receiver = await startReceiver(t)
  const hook = await subscribe(api, 'CAkte.create', `${receiver.url}/status/410`)
  sim.create('CAkte', { name: 'A' })
  sim.create('CAkte', { name: 'B' })
  await sim.deliverAllWebhooks()
  t.same(sim.deliveryLog.map(e => [e.status, e.outcome]), [[410, 'dropped']])
  t.equal((await api('GET', `Webhook/${hook.id}`)).status, 404)
  sim.create('CAkte', { name: 'C' })
  t.same(sim.pendingWebhookItems(), [])
  t.equal(await sim.deliverAllWebhooks(), 0)
})

t.test('skipOwn suppresses events caused by the webhook user only', async t => {
  const { sim, api } = await startSim(t)
  sim.addUser({ id: 'u2', apiKey: 'key-2' })
  const receiver = await startReceiver(t)
  await subscribe(api, 'CAkte.create', `${receiver.url}/own`, true)
  await subscribe(api, 'CAkte.create', `${receiver.url}/all`, false)
  await api('POST', 'CAkte', { body: { name: 'by the service' } })
  await api('POST', 'CAkte', { body: { name: 'by another API user' }, headers: { 'x-api-key': 'key-2' } })
  sim.create('CAkte', { name: 'by a person in the UI' })
  await sim.deliverAllWebhooks()
  const names = (path: string): string[] => receiver.received.filter(r => r.path === path)
    .flatMap(r => JSON.parse(r.raw.toString()).map((d: any) => d.name as string))
  t.same(names('/own'), ['by another API user', 'by a person in the UI'])
  t.same(names('/all'), ['by the service', 'by another API user', 'by a person in the UI'])
  t.equal((await api('GET', 'Webhook', { headers: { 'x-api-key': 'key-2' } })).json.total, 0, 'webhooks are per user')
})

t.test('the interval delivers without being asked; control route delivers on demand', async t => {
  const { sim, api } = await startSim(t, { webhooks: { intervalMs: 30 } })
  const receiver = await startReceiver(t)
  await subscribe(api, 'CAkte.create', `${receiver.url}/hook`)
  sim.create('CAkte', { name: 'A' })
  for (let i = 0; i < 100 && receiver.received.length === 0; i++) await new Promise(resolve => setTimeout(resolve, 10))
  t.equal(receiver.received.length, 1)
  const other = await startSim(t)
  const hook2 = await subscribe(other.api, 'CAkte.create', `${receiver.url}/hook2`)
  other.sim.create('CAkte', { name: 'B' })
  const res = await request(`${other.sim.origin}/__sim/webhooks/deliver`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ all: true })
  })
  t.same(await res.body.json(), { batches: 1 })
  const log = await request(`${other.sim.origin}/__sim/webhooks/log`)
  t.equal(((await log.body.json()) as Array<{ webhookId: string }>)[0]?.webhookId, hook2.id)
})
