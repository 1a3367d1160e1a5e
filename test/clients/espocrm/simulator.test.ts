import t from 'tap'
import { Readable } from 'node:stream'
import { blake3Hex } from '../../../src/hash/blake3.js'
import { ExternalError } from '../../../src/clients/errors.js'
import { EspoClient, isPermanentFileRefusal } from '../../../src/clients/espocrm/index.js'
import type { EspoClientOptions } from '../../../src/clients/espocrm/index.js'
import { createEspoSimulator } from '../../../src/simulators/espocrm/index.js'
import type { EspoSimulator } from '../../../src/simulators/espocrm/index.js'

/** The client against the EspoCRM simulator over real HTTP. */
let sim: EspoSimulator
let url = ''
const clients: EspoClient[] = []

t.before(async () => {
  sim = await createEspoSimulator()
  url = await sim.listen()
  sim.addUser({ id: 'api-key-user', apiKey: 'key-1', authMethod: 'ApiKey' })
  sim.addUser({ id: 'api-hmac-user', apiKey: 'hmac-1', secretKey: 'secret-1', authMethod: 'Hmac' })
})
t.afterEach(async () => {
  sim.faults.reset()
  sim.resetLockout()
  sim.resetRequestCounts()
})
t.teardown(async () => {
  await Promise.all(clients.map(async c => { await c.close() }))
  await sim.close()
})

function connect (options: Partial<EspoClientOptions> = {}): EspoClient {
  const client = new EspoClient({
    baseUrl: url,
    auth: { kind: 'apiKey', apiKey: 'key-1' },
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    ...options
  })
  clients.push(client)
  return client
}

const bytes = (n: number, seed = 3): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + seed) % 256))

async function readAll (stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const part of stream) parts.push(part as Buffer)
  return Buffer.concat(parts)
}

t.test('both auth schemes reach the same Akte', async t => {
  const akte = sim.seed('CAkte', { name: 'Müller ./. Schmidt', aktennummer: '2026/0017', status: 'Aktiv' })
  for (const auth of [{ kind: 'apiKey', apiKey: 'key-1' }, { kind: 'hmac', apiKey: 'hmac-1', secretKey: 'secret-1' }] as const) {
    const client = connect({ auth })
    const found = await client.findAkteByAktennummer('2026/0017')
    t.equal(found?.id, akte.id, auth.kind)
    t.equal(found?.status, 'Aktiv')
    t.equal(await client.findAkteByAktennummer('nope'), null)
    const updated = await client.updateAkte(String(akte.id), { syncStatus: 'synced', lastSync: '2026-03-24 10:00:00' })
    t.equal(updated.syncStatus, 'synced')
  }
})

t.test('paging over 450 Documents: 3 requests of at most 200', async t => {
  const akte = sim.seed('CAkte', { name: 'Gross', aktennummer: '450' })
  for (let i = 0; i < 450; i++) sim.seed('Document', { name: `d${i}.pdf`, akteId: akte.id, windowsPath: `d${i}.pdf`, sync_usn: String(2n ** 60n + BigInt(i)) })
  const client = connect({ auth: { kind: 'hmac', apiKey: 'hmac-1', secretKey: 'secret-1' } })
  sim.resetRequestCounts()
  const docs = await client.listDocumentsOfAkte(String(akte.id))
  t.equal(docs.length, 450)
  t.equal(new Set(docs.map(d => d.id)).size, 450)
  t.ok(docs.every(d => d.akteId === akte.id))
  t.ok(docs.some(d => d.syncUsn === String(2n ** 60n + 449n)), 'USN beyond 2^53 intact')
  t.equal(sim.countRequests('GET /api/v1/Document'), 3)
})

t.test('single upload -> Document -> download, byte for byte', async t => {
  const client = connect({ chunkThresholdBytes: 64 * 1024 })
  const data = bytes(20_000)
  const attachment = await client.uploadAttachment({ name: 'Klageschrift.pdf', mimeType: 'application/pdf', body: data, computeBlake3: true })
  t.equal(attachment.chunked, false)
  t.equal(attachment.blake3Hash, await blake3Hex(data))
  const akte = sim.seed('CAkte', { name: 'A', aktennummer: 'single' })
  const doc = await client.createDocument({ name: 'Klageschrift', fileId: attachment.id, publishDate: '2026-03-24', akteId: String(akte.id), windowsPath: 'Schriftsatz/Klageschrift.pdf', blake3Hash: attachment.blake3Hash ?? null, fileStatus: 'synced', historyArt: 'Schriftsatz' })
  t.equal(doc.fileId, attachment.id)
  t.equal(doc.windowsPath, 'Schriftsatz/Klageschrift.pdf')
  t.equal((await client.getDocument(doc.id))?.historyArt, 'Schriftsatz')
  const download = await client.downloadAttachment(attachment.id)
  t.equal(download.size, data.length)
  t.equal(download.fileName, 'Klageschrift.pdf')
  t.same(await readAll(download.body), data)
})

t.test('chunked upload of a file above the threshold, streamed, verified after download', async t => {
  const client = connect({ chunkThresholdBytes: 64 * 1024, chunkSizeBytes: 16 * 1024 })
  const data = bytes(200 * 1024 + 17, 9)
  const parts = [data.subarray(0, 50_000), data.subarray(50_000, 150_001), data.subarray(150_001)]
  const attachment = await client.uploadAttachment({ name: 'Gutachten.pdf', mimeType: 'application/pdf', size: data.length, body: Readable.from(parts), computeBlake3: true })
  t.equal(attachment.chunked, true)
  t.equal(attachment.blake3Hash, await blake3Hex(data))
  t.equal(sim.countRequests('/chunk/'), Math.ceil(data.length / (16 * 1024)))
  t.same(await sim.readAttachment(attachment.id), data)
  const download = await client.downloadAttachment(attachment.id)
  t.same(await readAll(download.body), data)
})

t.test('a chunk failing mid-way: restart on a new attachment from a re-readable source', async t => {
  const client = connect({ chunkThresholdBytes: 1024, chunkSizeBytes: 1024 })
  const data = bytes(5 * 1024 + 5, 11)
  let opened = 0
  const source = (): Readable => {
    const first = ++opened === 1
    let offset = 0
    return new Readable({
      highWaterMark: 1,
      read () {
        const push = (): void => {
          this.push(offset < data.length ? data.subarray(offset, offset + 1024) : null)
          offset += 1024
        }
        if (!first || offset !== 3072) { push(); return }
        // Hold the fourth piece until the first chunk has landed, then arm the fault: a later chunk fails.
        const armWhenUnderWay = (): void => {
          if (!sim.faults.calls.some(c => c.url.includes('/chunk/') && c.status === 200)) { setTimeout(armWhenUnderWay, 2); return }
          sim.faults.failNext(1, 500, '/chunk/')
          push()
        }
        armWhenUnderWay()
      }
    })
  }
  const attachment = await client.uploadAttachment({ name: 'x.pdf', mimeType: 'application/pdf', size: data.length, body: source })
  t.same(await sim.readAttachment(attachment.id), data)
  t.equal(opened, 2)
  // The fault log sees requests a fault answered; the route counts do not.
  const posts = sim.faults.calls.filter(c => c.method === 'POST').map(c => `${c.url.includes('/chunk/') ? 'chunk' : 'create'} ${c.status ?? '?'}`)
  t.same(posts.filter(p => p.startsWith('create')), ['create 200', 'create 200'], 'two attachments')
  const chunks = posts.filter(p => p.startsWith('chunk'))
  const failed = chunks.indexOf('chunk 500')
  t.ok(failed >= 1, 'a chunk after the first failed')
  t.same(chunks.slice(failed + 1), Array<string>(6).fill('chunk 200'), 'then all six chunks again from byte 0, none repeated alone')
  t.same(chunks.slice(0, failed), Array<string>(failed).fill('chunk 200'))
})

t.test('a refused file type is a permanent refusal', async t => {
  const client = connect()
  const error = await client.uploadAttachment({ name: 'Mail.msg', mimeType: 'application/vnd.ms-outlook', body: bytes(100) }).catch((e: unknown) => e)
  t.type(error, ExternalError)
  t.equal((error as ExternalError).status, 403)
  t.ok(isPermanentFileRefusal(error))
  t.ok((error as ExternalError).permanent)
})

t.test('a bad key never loops, and the guard keeps clear of the lockout', async t => {
  const guarded = connect({ auth: { kind: 'apiKey', apiKey: 'wrong' } })
  for (let i = 0; i < 20; i++) {
    const error = await guarded.getAkte('x').catch((e: unknown) => e)
    t.equal((error as ExternalError).kind, 'auth')
  }
  t.equal(sim.countRequests(), 1, '20 calls, one request')
  const good = connect()
  t.equal(await good.getAkte('missing'), null, 'the valid key still works: no lockout')

  // Without the guard: every call is still exactly one request, and EspoCRM's lockout shows as 403.
  sim.resetRequestCounts()
  const unguarded = connect({ auth: { kind: 'apiKey', apiKey: 'wrong' }, authCooldownMs: 0 })
  const kinds: string[] = []
  for (let i = 0; i < 13; i++) {
    const error = await unguarded.getAkte('x').catch((e: unknown) => e)
    kinds.push((error as ExternalError).kind)
  }
  t.equal(sim.countRequests(), 13)
  t.equal(kinds.filter(k => k === 'auth').length, 10)
  t.equal(kinds.at(-1), 'forbidden', 'locked out')
  const locked = await good.getAkte('missing').catch((e: unknown) => e)
  t.equal((locked as ExternalError).status, 403, 'the lockout hits valid credentials too')
})

t.test('maintenance 503 is retried; a hanging request times out and is retried', async t => {
  const client = connect({ timeouts: { headersMs: 300 } })
  const akte = sim.seed('CAkte', { name: 'M', aktennummer: 'maint' })
  sim.faults.failNext(1, 503, '/CAkte/')
  t.equal((await client.getAkte(String(akte.id)))?.aktennummer, 'maint')
  sim.faults.hangNext(1, '/CAkte/')
  t.equal((await client.getAkte(String(akte.id)))?.aktennummer, 'maint')
})

t.test('optimistic locking, delete, sweep', async t => {
  const client = connect()
  const data = bytes(10)
  const att = await client.uploadAttachment({ name: 'v.txt', mimeType: 'text/plain', body: data })
  const doc = await client.createDocument({ name: 'v', fileId: att.id, publishDate: '2026-03-24' })
  t.type(doc.versionNumber, 'number')
  const updated = await client.updateDocument(doc.id, { syncStatus: 'synced' }, { versionNumber: doc.versionNumber ?? 0 })
  t.equal(updated.syncStatus, 'synced')
  const stale = await client.updateDocument(doc.id, { syncStatus: 'failed' }, { versionNumber: doc.versionNumber ?? 0 }).catch((e: unknown) => e)
  t.equal((stale as ExternalError).kind, 'conflict')

  const since = new Date(Date.now() - 60_000)
  const refs = await client.listDocumentsModifiedSince(since)
  t.ok(refs.some(r => r.id === doc.id))
  t.same(await client.listDocumentsModifiedSince(new Date(Date.now() + 60_000)), [])

  t.equal(await client.deleteDocument(doc.id), true)
  t.equal(await client.getDocument(doc.id), null)
  t.equal(await client.deleteDocument(doc.id), false)
})

t.test('webhooks: create, list, delete', async t => {
  const client = connect()
  const hook = await client.createWebhook({ event: 'Document.update', url: 'http://127.0.0.1:9/hook' })
  t.match(hook, { event: 'Document.update', url: 'http://127.0.0.1:9/hook', skipOwn: true })
  t.ok(hook.secretKey.length > 0)
  t.ok((await client.listWebhooks()).some(w => w.id === hook.id))
  t.equal(await client.deleteWebhook(hook.id), true)
  t.notOk((await client.listWebhooks()).some(w => w.id === hook.id))
})
