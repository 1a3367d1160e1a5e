import t from 'tap'
import nock from 'nock'
import { Readable } from 'node:stream'
import { blake3Hex } from '../../../src/hash/blake3.js'
import { ExternalError } from '../../../src/clients/errors.js'
import { isPermanentFileRefusal } from '../../../src/clients/espocrm/index.js'
import { API, ORIGIN, testClient, trackUnmatched } from './helpers.js'

nock.disableNetConnect()
const unmatched = trackUnmatched()
t.afterEach(() => { nock.cleanAll(); unmatched.length = 0 })
t.teardown(() => { nock.enableNetConnect() })

const MIME = 'application/pdf'
const bytes = (n: number, seed = 7): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256))
const chunkBody = (b: Buffer): string => `data:${MIME};base64,${b.toString('base64')}`
/** Threshold 10 bytes, chunks of 4: an 11-byte file travels as 4 + 4 + 3. */
const small = { chunkThresholdBytes: 10, chunkSizeBytes: 4 }

/** Records each chunk body per attachment id; `fail` decides the answer. */
function chunkRecorder (log: Array<[string, string]>, fail: (id: string, index: number) => [number, Record<string, string>?] | undefined = () => undefined): (scope: nock.Scope) => nock.Scope {
  let index = 0
  let id = ''
  // On undici the reply callback gets neither the request nor a usable uri: the matchers see them.
  return scope => scope
    .persist()
    .post((path: string) => {
      const m = /\/api\/v1\/Attachment\/chunk\/(\w+)$/.exec(path)
      if (m?.[1] !== undefined) id = m[1]
      return m !== null
    }, (body: unknown) => { log.push([id, String(body)]); return true })
    .reply(() => {
      const answer = fail(id, index++)
      return answer === undefined ? [200, 'true'] : [answer[0], '', answer[1] ?? {}]
    })
}

t.test('small file: one POST with a data URI, hash returned', async t => {
  const data = bytes(10)
  let sent: Record<string, unknown> = {}
  const scope = nock(ORIGIN)
    .post(`${API}/Attachment`, (body: Record<string, unknown>) => { sent = body; return true })
    .reply(200, { id: 'att1' })
  const client = testClient(small)
  const result = await client.uploadAttachment({ name: 'Klage.pdf', mimeType: MIME, body: data, computeBlake3: true })
  t.same(result, { id: 'att1', size: 10, chunked: false, blake3Hash: await blake3Hex(data) })
  t.same(sent, { name: 'Klage.pdf', type: MIME, role: 'Attachment', relatedType: 'Document', field: 'file', size: 10, file: chunkBody(data) })
  t.ok(scope.isDone())
  await client.close()
})

t.test('small stream: buffered, must match the declared size', async t => {
  const scope = nock(ORIGIN).post(`${API}/Attachment`).reply(200, { id: 'att2' })
  const client = testClient(small)
  const ok = await client.uploadAttachment({ name: 'a.txt', mimeType: 'text/plain', size: 6, body: Readable.from([Buffer.from('abc'), Buffer.from('def')]) })
  t.equal(ok.id, 'att2')
  t.ok(scope.isDone())
  const short = await client.uploadAttachment({ name: 'a.txt', mimeType: 'text/plain', size: 7, body: Readable.from([Buffer.from('abc')]) }).catch((e: unknown) => e)
  t.equal((short as ExternalError).kind, 'integrity')
  const long = await client.uploadAttachment({ name: 'a.txt', mimeType: 'text/plain', size: 2, body: Readable.from([Buffer.from('abc')]) }).catch((e: unknown) => e)
  t.equal((long as ExternalError).kind, 'integrity')
  await t.rejects(client.uploadAttachment({ name: 'a.txt', mimeType: 'text/plain', body: Readable.from([]) }), TypeError)
  t.same(unmatched, [], 'refused sources never reach EspoCRM')
  await client.close()
})

t.test('large file: create with size and isBeingUploaded, then chunks in order', async t => {
  const data = bytes(11)
  const creates: Array<Record<string, unknown>> = []
  const chunks: Array<[string, string]> = []
  nock(ORIGIN).post(`${API}/Attachment`, (b: Record<string, unknown>) => { creates.push(b); return true }).reply(200, { id: 'big1' })
  chunkRecorder(chunks)(nock(ORIGIN))
  const client = testClient(small)
  const result = await client.uploadAttachment({ name: 'Akte.pdf', mimeType: MIME, size: 11, body: Readable.from([data.subarray(0, 5), data.subarray(5)]), computeBlake3: true })
  t.same(result, { id: 'big1', size: 11, chunked: true, blake3Hash: await blake3Hex(data) })
  t.same(creates, [{ name: 'Akte.pdf', type: MIME, role: 'Attachment', relatedType: 'Document', field: 'file', size: 11, isBeingUploaded: true }])
  t.same(chunks, [
    ['big1', chunkBody(data.subarray(0, 4))],
    ['big1', chunkBody(data.subarray(4, 8))],
    ['big1', chunkBody(data.subarray(8, 11))]
  ])
  t.same(unmatched, [])
  await client.close()
})

t.test('a failed chunk is never re-sent; a plain stream cannot restart', async t => {
  const data = bytes(11)
  const chunks: Array<[string, string]> = []
  let deletes = 0
  nock(ORIGIN)
    .post(`${API}/Attachment`).reply(200, { id: 'big2' })
    .delete(`${API}/Attachment/big2`).reply(() => { deletes++; return [200, 'true'] })
  // 503 would let HttpClient repeat a POST: a chunk must not be repeated even then.
  chunkRecorder(chunks, (_id, i) => i === 1 ? [503] : undefined)(nock(ORIGIN))
  const client = testClient(small)
  const error = await client.uploadAttachment({ name: 'a.pdf', mimeType: MIME, size: 11, body: Readable.from([data]) }).catch((e: unknown) => e)
  t.type(error, ExternalError)
  t.equal((error as ExternalError).kind, 'unavailable')
  t.same(chunks.map(c => c[1]), [chunkBody(data.subarray(0, 4)), chunkBody(data.subarray(4, 8))], 'chunk 2 went once, chunk 3 never')
  t.equal(deletes, 1, 'the half-filled attachment is cleaned up')
  t.same(unmatched, [])
  await client.close()
})

t.test('with a re-readable source the upload restarts once, on a new attachment from byte 0', async t => {
  const data = bytes(11)
  const chunks: Array<[string, string]> = []
  let created = 0
  let opened = 0
  nock(ORIGIN)
    .persist()
    .post(`${API}/Attachment`).reply(() => [200, { id: `try${++created}` }])
    .delete(/\/api\/v1\/Attachment\/try\d/).reply(200, 'true')
  chunkRecorder(chunks, (id, i) => id === 'try1' && i === 1 ? [500, { 'X-Status-Reason': 'Error' }] : undefined)(nock(ORIGIN))
  const client = testClient(small)
  const result = await client.uploadAttachment({
    name: 'a.pdf',
    mimeType: MIME,
    size: 11,
    body: () => { opened++; return Readable.from([data]) },
    computeBlake3: true
  })
  t.same(result, { id: 'try2', size: 11, chunked: true, blake3Hash: await blake3Hex(data) })
  t.equal(opened, 2)
  t.same(chunks.map(c => c[0]), ['try1', 'try1', 'try2', 'try2', 'try2'])
  t.same(chunks.slice(2).map(c => c[1]), [0, 4, 8].map(o => chunkBody(data.subarray(o, o + 4))))
  await client.close()
})

t.test('only one restart; and none for a size mismatch', async t => {
  const data = bytes(11)
  const chunks: Array<[string, string]> = []
  let created = 0
  nock(ORIGIN)
    .persist()
    .post(`${API}/Attachment`).reply(() => [200, { id: `r${++created}` }])
    .delete(/\/api\/v1\/Attachment\/r\d/).reply(200, 'true')
  chunkRecorder(chunks, () => [503])(nock(ORIGIN))
  const client = testClient(small)
  const error = await client.uploadAttachment({ name: 'a.pdf', mimeType: MIME, body: data }).catch((e: unknown) => e)
  t.equal((error as ExternalError).kind, 'unavailable')
  t.equal(created, 2)
  t.same(chunks.map(c => c[0]), ['r1', 'r2'])

  nock.cleanAll()
  chunks.length = 0
  created = 0
  nock(ORIGIN)
    .persist()
    .post(`${API}/Attachment`).reply(() => [200, { id: `m${++created}` }])
    .delete(/\/api\/v1\/Attachment\/m\d/).reply(200, 'true')
  chunkRecorder(chunks, () => [500, { 'X-Status-Reason': 'File size mismatch.' }])(nock(ORIGIN))
  const mismatch = await client.uploadAttachment({ name: 'a.pdf', mimeType: MIME, body: data }).catch((e: unknown) => e)
  t.equal((mismatch as ExternalError).reason, 'File size mismatch.')
  t.equal(created, 1)
  await client.close()
})

t.test('a source longer or shorter than declared never overfills the attachment', async t => {
  const chunks: Array<[string, string]> = []
  nock(ORIGIN)
    .persist()
    .post(`${API}/Attachment`).reply(200, { id: 'x1' })
    .delete(`${API}/Attachment/x1`).reply(200, 'true')
  chunkRecorder(chunks)(nock(ORIGIN))
  const client = testClient(small)
  const long = await client.uploadAttachment({ name: 'a.pdf', mimeType: MIME, size: 11, body: Readable.from([bytes(13)]) }).catch((e: unknown) => e)
  t.equal((long as ExternalError).kind, 'integrity')
  t.equal(chunks.length, 2, 'the third chunk would pass the declared size: not sent')
  chunks.length = 0
  const short = await client.uploadAttachment({ name: 'a.pdf', mimeType: MIME, size: 11, body: Readable.from([bytes(9)]) }).catch((e: unknown) => e)
  t.equal((short as ExternalError).kind, 'integrity')
  t.equal(chunks.length, 3)
  await client.close()
})

t.test('a refused file type is a permanent refusal and sends no chunk', async t => {
  const chunks: Array<[string, string]> = []
  nock(ORIGIN).post(`${API}/Attachment`).reply(403, '', { 'X-Status-Reason': 'Not allowed file type.' })
  chunkRecorder(chunks)(nock(ORIGIN))
  const client = testClient(small)
  const error = await client.uploadAttachment({ name: 'mail.msg', mimeType: 'application/vnd.ms-outlook', body: bytes(20) }).catch((e: unknown) => e)
  t.ok(isPermanentFileRefusal(error))
  t.equal((error as ExternalError).kind, 'forbidden')
  t.equal(chunks.length, 0)
  await client.close()
})

t.test('a source that fails before the first chunk leaves no attachment behind', async t => {
  const client = testClient(small)
  const broken = new Readable({ read () { this.destroy(new Error('share went away')) } })
  await t.rejects(client.uploadAttachment({ name: 'a.pdf', mimeType: MIME, size: 20, body: broken }), /share went away/)
  t.same(unmatched, [])
  await client.close()
})

t.test('download streams the bytes with name and size', async t => {
  const data = bytes(5000)
  nock(ORIGIN).get(`${API}/Attachment/file/att9`)
    .reply(200, data, { 'Content-Type': 'application/pdf', 'Content-Length': '5000', 'Content-Disposition': 'attachment; filename="Klage.pdf"' })
  const client = testClient()
  const download = await client.downloadAttachment('att9')
  t.equal(download.size, 5000)
  t.equal(download.fileName, 'Klage.pdf')
  t.equal(download.mimeType, 'application/pdf')
  const parts: Buffer[] = []
  for await (const part of download.body) parts.push(part as Buffer)
  t.same(Buffer.concat(parts), data)

  nock(ORIGIN).get(`${API}/Attachment/file/nope`).reply(404, '')
  const missing = await client.downloadAttachment('nope').catch((e: unknown) => e)
  t.equal((missing as ExternalError).kind, 'not-found')
  await client.close()
})
