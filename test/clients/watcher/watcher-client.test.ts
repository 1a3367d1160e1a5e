import t from 'tap'
import nock from 'nock'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { WatcherClient } from '../../../src/clients/watcher/index.js'
import { ExternalError } from '../../../src/clients/errors.js'
import { blake3Hex } from '../../../src/hash/blake3.js'

nock.disableNetConnect()
t.afterEach(() => { nock.cleanAll() })

const BASE = 'http://watcher.test:8765'
const TOKEN = 'watcher-token'

function makeClient (): WatcherClient {
  return new WatcherClient({ baseUrl: BASE, token: TOKEN, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 } })
}

async function collect (stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

const HASH = 'a'.repeat(64)

t.test('listFiles: bearer header, mapping, usn kept as an exact string', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  // Raw text: a JSON number would round 18446744073709551615 to 18446744073709552000.
  const raw = `{"akte":"12345/26","files":[{"path":"Schriftsätze/Klage.pdf","size":12,"usn":"18446744073709551615","blake3Hash":"${HASH.toUpperCase()}","modified":"2026-03-24T10:15:00+01:00"}]}`
  nock(BASE).matchHeader('authorization', `Bearer ${TOKEN}`).get('/akte-details').query({ akte: '12345/26' })
    .reply(200, raw, { 'content-type': 'application/json' })
  const listing = await client.listFiles('12345/26')
  t.same(listing, { akte: '12345/26', files: [{ path: 'Schriftsätze/Klage.pdf', size: 12, usn: '18446744073709551615', blake3Hash: HASH, modified: '2026-03-24T10:15:00+01:00' }] })
})

t.test('listFiles: a usn sent as a JSON number is refused, not rounded', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  const raw = `{"akte":"1","files":[{"path":"a.pdf","size":1,"usn":9007199254740993,"blake3Hash":"${HASH}","modified":"2026-03-24T10:15:00+01:00"}]}`
  nock(BASE).get('/akte-details').query(true).reply(200, raw)
  await t.rejects(client.listFiles('1'), { name: 'ExternalError', kind: 'protocol', message: /usn/ })
})

t.test('listFiles: usn that is not 64-bit digits is refused', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  for (const usn of ['"-1"', '"1e5"', '"18446744073709551616"', '""', 'null']) {
    nock(BASE).get('/akte-details').query(true).reply(200, `{"akte":"1","files":[{"path":"a","size":1,"usn":${usn},"blake3Hash":"${HASH}","modified":"x"}]}`)
    await t.rejects(client.listFiles('1'), { name: 'ExternalError', kind: 'protocol' }, usn)
  }
})

t.test('listFiles: 404 means the Akte folder does not exist', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  nock(BASE).get('/akte-details').query({ akte: 'missing' }).reply(404, { detail: 'Akte folder not found' })
  t.equal(await client.listFiles('missing'), null)
})

t.test('listFiles: retried on 503, not on 400 or 401', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  nock(BASE).get('/akte-details').query(true).reply(503).get('/akte-details').query(true).reply(200, { akte: '1', files: [] })
  t.same(await client.listFiles('1'), { akte: '1', files: [] })
  nock(BASE).get('/akte-details').query(true).once().reply(400, { detail: 'bad akte' })
  await t.rejects(client.listFiles('1'), { name: 'ExternalError', kind: 'validation', reason: 'bad akte' })
  nock(BASE).get('/akte-details').query(true).once().reply(401)
  await t.rejects(client.listFiles('1'), { name: 'ExternalError', kind: 'auth' })
  t.equal(nock.pendingMocks().length, 0)
})

t.test('download: query encoding, streamed bytes and verified hash', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  const bytes = Buffer.from('Inhalt der Klageschrift, äöü')
  const hash = await blake3Hex(bytes)
  nock(BASE).matchHeader('authorization', `Bearer ${TOKEN}`)
    .get('/file').query({ akte: '12345/26', path: 'Schriftsätze/Unter Ordner/Klage.pdf' })
    .reply(200, bytes, { 'content-length': String(bytes.length), 'x-blake3-hash': hash })
  const download = await client.download('12345/26', 'Schriftsätze/Unter Ordner/Klage.pdf')
  t.equal(download.size, bytes.length)
  t.same(await collect(download.body), bytes)
  t.equal(await download.hash, hash)
})

t.test('download: bytes not matching expectedHash fail the stream with kind integrity, last chunk withheld', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  const chunks = [Buffer.alloc(1000, 1), Buffer.alloc(1000, 2), Buffer.alloc(1000, 3)]
  nock(BASE).get('/file').query(true).reply(200, () => Readable.from(chunks))
  const download = await client.download('1', 'a.pdf', { expectedHash: HASH })
  let received = 0
  const error = await (async () => {
    try {
      for await (const chunk of download.body) received += (chunk as Buffer).length
    } catch (e) { return e }
  })()
  t.ok(error instanceof ExternalError)
  t.match(error, { kind: 'integrity', system: 'watcher' })
  t.ok(received < 3000, `withheld the final bytes (${received} of 3000 released)`)
  await t.rejects(download.hash, { name: 'ExternalError', kind: 'integrity' })
})

t.test('download: the X-Blake3-Hash header is checked when no hash is expected', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  nock(BASE).get('/file').query(true).reply(200, 'tampered', { 'x-blake3-hash': HASH })
  const download = await client.download('1', 'a.pdf')
  await t.rejects(collect(download.body), { name: 'ExternalError', kind: 'integrity' })
})

t.test('download: 404 is not-found', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  nock(BASE).get('/file').query(true).reply(404, { detail: 'no such file' })
  await t.rejects(client.download('1', 'gone.pdf'), { name: 'ExternalError', kind: 'not-found', reason: 'no such file' })
})

t.test('upload: path segments encoded (slash, umlauts, subfolder), hash header, result mapped', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  const bytes = Buffer.from('neue Datei')
  const hash = await blake3Hex(bytes)
  let received: unknown
  nock(BASE)
    .matchHeader('authorization', `Bearer ${TOKEN}`)
    .matchHeader('x-blake3-hash', hash)
    .put('/files/12345%2F26/Schrifts%C3%A4tze%2FKlage%20%C3%9Cbersicht.pdf', (body: unknown) => { received = body; return true })
    .reply(200, { path: 'Schriftsätze/Klage Übersicht.pdf', usn: '9007199254740993', blake3Hash: hash })
  const result = await client.upload('12345/26', 'Schriftsätze/Klage Übersicht.pdf', bytes, hash)
  t.same(result, { path: 'Schriftsätze/Klage Übersicht.pdf', usn: '9007199254740993', blake3Hash: hash })
  t.equal(received, 'neue Datei')
})

t.test('upload: a stream body with its size', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  const bytes = Buffer.alloc(100_000, 7)
  const hash = await blake3Hex(bytes)
  nock(BASE).matchHeader('content-length', '100000').put('/files/1/a.bin').reply(200, { path: 'a.bin', usn: '1', blake3Hash: hash })
  t.equal((await client.upload('1', 'a.bin', Readable.from([bytes.subarray(0, 50_000), bytes.subarray(50_000)]), hash, bytes.length)).usn, '1')
})

t.test('upload: 422 is integrity, 400 validation with the JSON reason, 404 not-found; none retried', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  nock(BASE)
    .put('/files/1/a.pdf').once().reply(422, { detail: 'hash mismatch' })
    .put('/files/1/b%3F.pdf').once().reply(400, { reason: 'invalid Windows name' })
    .put('/files/missing/a.pdf').once().reply(404, { reason: 'Akte folder missing' })
  await t.rejects(client.upload('1', 'a.pdf', Buffer.from('x'), HASH), { name: 'ExternalError', kind: 'integrity', status: 422, reason: 'hash mismatch' })
  await t.rejects(client.upload('1', 'b?.pdf', Buffer.from('x'), HASH), { name: 'ExternalError', kind: 'validation', status: 400, reason: 'invalid Windows name' })
  await t.rejects(client.upload('missing', 'a.pdf', Buffer.from('x'), HASH), { name: 'ExternalError', kind: 'not-found', status: 404 })
  t.equal(nock.pendingMocks().length, 0)
})

t.test('upload: a Buffer is retried on 503, a stream is not', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  nock(BASE).put('/files/1/a.pdf').reply(503).put('/files/1/a.pdf').reply(200, { path: 'a.pdf', usn: '2', blake3Hash: HASH })
  t.equal((await client.upload('1', 'a.pdf', Buffer.from('x'), HASH)).usn, '2')
  nock(BASE).put('/files/1/a.pdf').once().reply(503)
  await t.rejects(client.upload('1', 'a.pdf', Readable.from([Buffer.from('x')]), HASH), { name: 'ExternalError', kind: 'unavailable' })
  t.equal(nock.pendingMocks().length, 0)
})

t.test('upload: an invalid hash is refused before sending; a differing stored hash is integrity', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  await t.rejects(client.upload('1', 'a.pdf', Buffer.from('x'), 'nothex'), { name: 'ExternalError', kind: 'validation' })
  nock(BASE).put('/files/1/a.pdf').reply(200, { path: 'a.pdf', usn: '2', blake3Hash: 'b'.repeat(64) })
  await t.rejects(client.upload('1', 'a.pdf', Buffer.from('x'), HASH), { name: 'ExternalError', kind: 'integrity' })
})

t.test('download piped into upload: a hash mismatch fails the upload with kind integrity', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  const bytes = Buffer.alloc(200_000, 9)
  nock(BASE).get('/file').query(true).reply(200, () => Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]), { 'content-length': String(bytes.length) })
  nock(BASE).put('/files/2/a.bin').optionally().reply(200, { path: 'a.bin', usn: '5', blake3Hash: HASH })
  const download = await client.download('1', 'a.bin', { expectedHash: HASH })
  await t.rejects(client.upload('2', 'a.bin', download.body, HASH, download.size), { name: 'ExternalError', kind: 'integrity' })
})

t.test('pipeline consumer sees the typed error', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  nock(BASE).get('/file').query(true).reply(200, 'abc')
  const download = await client.download('1', 'a.txt', { expectedHash: HASH })
  const sink: Buffer[] = []
  await t.rejects(pipeline(download.body, async function (source: AsyncIterable<Buffer>) { for await (const c of source) sink.push(c) }), { name: 'ExternalError', kind: 'integrity' })
  t.equal(Buffer.concat(sink).length, 0, 'a single-chunk body releases nothing')
})
