import t from 'tap'
import { createHash, randomBytes } from 'node:crypto'
import { request } from 'undici'
import { USER, dataUri, startSim, upload } from './helpers.js'

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

const meta = { type: 'application/pdf', role: 'Attachment', relatedType: 'Document', field: 'file' }

t.test('single upload stores the bytes on disk; download streams them with headers', async t => {
  const { sim, api } = await startSim(t)
  const bytes = randomBytes(3 * 1024 * 1024 + 7)
  const id = await upload(api, 'Schriftsatz Müller.pdf', bytes)
  const att = await api('GET', `Attachment/${id}`)
  t.equal(att.json.size, bytes.length)
  t.equal(att.json.isBeingUploaded, false)
  t.equal(sha(await sim.readAttachment(id)), sha(bytes))
  t.ok(sim.attachmentPath(id).startsWith(sim.dataDir))
  const res = await request(`${sim.url}Attachment/file/${id}`, { headers: { 'x-api-key': USER.apiKey } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-length'], String(bytes.length))
  t.equal(res.headers['content-type'], 'application/pdf')
  // UTF-8 bytes on the wire, as PHP sends them; undici reads header values as UTF-8
  t.equal(res.headers['content-disposition'], 'attachment; filename="Schriftsatz Müller.pdf"')
  t.equal(sha(Buffer.from(await res.body.arrayBuffer())), sha(bytes))
})

t.test('a PHP-style escaped data URI (\\/) decodes too', async t => {
  const { sim, api } = await startSim(t)
  const bytes = Buffer.from([0xfb, 0xff, 0xfe, 0x3f, 0x00])
  const json = JSON.stringify({ name: 'x.txt', ...meta, file: dataUri(bytes, 'text/plain') }).replace(/\//g, '\\/')
  const res = await api('POST', 'Attachment', { body: json })
  t.equal(res.status, 200)
  t.same(await sim.readAttachment(res.json.id), bytes)
  t.equal(res.json.type, 'application/pdf', 'the declared type wins over the data URI mime')
})

t.test('file-type allow-list at POST Attachment, by extension', async t => {
  const { api } = await startSim(t)
  for (const name of ['mail.msg', 'scan.TIF', 'noextension', 'archive.zip']) {
    const res = await api('POST', 'Attachment', { body: { name, ...meta, file: dataUri(Buffer.from('x')) } })
    t.equal(res.status, 403, name)
    t.equal(res.headers['x-status-reason'], 'Not allowed file type.')
  }
  t.equal((await api('POST', 'Attachment', { body: { name: 'UPPER.PDF', ...meta, file: dataUri(Buffer.from('x')) } })).status, 200)
  t.equal((await api('POST', 'Attachment', { body: { name: 'x.msg', ...meta, relatedType: undefined, file: dataUri(Buffer.from('x')) } })).status, 200,
    'no related entity, no field rules')
})

t.test('extraFileExtensions widens the allow-list', async t => {
  const { api } = await startSim(t, { extraFileExtensions: ['msg'] })
  t.equal((await api('POST', 'Attachment', { body: { name: 'mail.msg', ...meta, file: dataUri(Buffer.from('x')) } })).status, 200)
})

t.test('chunked upload: declared size, chunks appended in order, any content type', async t => {
  const { sim, api } = await startSim(t)
  const bytes = randomBytes(10_000)
  const created = await api('POST', 'Attachment', { body: { name: 'big.pdf', ...meta, size: bytes.length, isBeingUploaded: true } })
  t.equal(created.status, 200)
  const id = String(created.json.id)
  t.equal(created.json.isBeingUploaded, true)
  const parts = [bytes.subarray(0, 4000), bytes.subarray(4000, 8000), bytes.subarray(8000)]
  for (const [i, part] of parts.entries()) {
    const headers = { 'content-type': i === 0 ? 'application/json' : i === 1 ? 'text/plain' : 'application/octet-stream' }
    const res = await api('POST', `Attachment/chunk/${id}`, { body: dataUri(part), headers })
    t.equal(res.status, 200)
    t.equal(res.json, true)
    if (i === 0) {
      const partial = await request(`${sim.url}Attachment/file/${id}`, { headers: { 'x-api-key': USER.apiKey } })
      t.equal(partial.statusCode, 200, 'download works while still being uploaded')
      t.equal((await partial.body.arrayBuffer()).byteLength, 4000)
    }
  }
  t.equal((await api('GET', `Attachment/${id}`)).json.isBeingUploaded, false)
  t.equal(sha(await sim.readAttachment(id)), sha(bytes))
  const late = await api('POST', `Attachment/chunk/${id}`, { body: dataUri(Buffer.from('x')) })
  t.equal(late.status, 403)
  t.equal(late.headers['x-status-reason'], 'Attachment is not being-uploaded.')
})

t.test('a chunk past the declared size is appended, then answered 500 File size mismatch.', async t => {
  const { sim, api } = await startSim(t)
  const created = await api('POST', 'Attachment', { body: { name: 'a.pdf', ...meta, size: 10, isBeingUploaded: true } })
  const id = String(created.json.id)
  t.equal((await api('POST', `Attachment/chunk/${id}`, { body: dataUri(Buffer.alloc(6)) })).status, 200)
  const res = await api('POST', `Attachment/chunk/${id}`, { body: dataUri(Buffer.alloc(6)) })
  t.equal(res.status, 500)
  t.equal(res.headers['x-status-reason'], 'File size mismatch.')
  t.equal((await sim.readAttachment(id)).length, 12, 'appended before refusing')
  t.equal((await api('GET', `Attachment/${id}`)).json.isBeingUploaded, true)
  t.equal((await api('POST', `Attachment/chunk/${id}`, { body: 'not a data uri' })).status, 400)
})

t.test('attachmentUploadMaxSize: 403 for a chunked declaration or chunk, 400 for a single upload', async t => {
  const { sim, api } = await startSim(t, { attachmentUploadMaxSize: 1024 * 1024 })
  const declared = await api('POST', 'Attachment', { body: { name: 'a.pdf', ...meta, size: 1024 * 1024 + 1, isBeingUploaded: true } })
  t.equal(declared.status, 403)
  const single = await api('POST', 'Attachment', { body: { name: 'a.pdf', ...meta, file: dataUri(Buffer.alloc(1024 * 1024 + 1)) } })
  t.equal(single.status, 400)
  t.equal(single.headers['x-status-reason'], 'File size should not exceed 1 Mb.')
  t.equal((await api('POST', 'Attachment', { body: { name: 'a.pdf', ...meta, file: dataUri(Buffer.alloc(1024 * 1024)) } })).status, 200)
  // a declared size within the limit, but chunks that would pass it
  const created = await api('POST', 'Attachment', { body: { name: 'b.pdf', ...meta, size: 1024 * 1024, isBeingUploaded: true } })
  const id = String(created.json.id)
  t.equal((await api('POST', `Attachment/chunk/${id}`, { body: dataUri(Buffer.alloc(1024 * 1024 - 10)) })).status, 200)
  const over = await api('POST', `Attachment/chunk/${id}`, { body: dataUri(Buffer.alloc(20)) })
  t.equal(over.status, 403)
  t.equal((await sim.readAttachment(id)).length, 1024 * 1024 - 10, 'a refused chunk is not appended')
})

t.test('a new fileId on a Document deletes the previous attachment', async t => {
  const { sim, api } = await startSim(t)
  const first = await upload(api, 'v1.pdf', Buffer.from('one'))
  const second = await upload(api, 'v2.pdf', Buffer.from('two'))
  const doc = await api('POST', 'Document', { body: { name: 'D', fileId: first, publishDate: '2026-01-01' } })
  const updated = await api('PUT', `Document/${doc.json.id as string}`, { body: { fileId: second } })
  t.equal(updated.json.fileName, 'v2.pdf')
  t.equal((await api('GET', `Attachment/${first}`)).status, 404)
  t.equal((await api('GET', `Attachment/file/${first}`)).status, 404)
  t.notOk(sim.attachmentFileExists(first))
  t.ok(sim.attachmentFileExists(second))
})

t.test('download faults: corrupt flips a byte, reset drops the connection mid-body', async t => {
  const { sim } = await startSim(t)
  const bytes = randomBytes(200_000)
  const att = await sim.seedAttachment({ name: 'f.pdf', type: 'application/pdf', data: bytes })
  const url = `${sim.url}Attachment/file/${String(att.id)}`
  const headers = { 'x-api-key': USER.apiKey }
  sim.faults.corruptNext(1, 'Attachment/file')
  const corrupt = Buffer.from(await (await request(url, { headers })).body.arrayBuffer())
  t.equal(corrupt.length, bytes.length)
  t.not(sha(corrupt), sha(bytes))
  sim.faults.resetMidBody(1)
  const reset = await request(url, { headers })
  t.equal(reset.statusCode, 200)
  await t.rejects(reset.body.arrayBuffer())
  const fine = Buffer.from(await (await request(url, { headers })).body.arrayBuffer())
  t.equal(sha(fine), sha(bytes))
})

t.test('seedAttachment from a file path', async t => {
  const { sim, api } = await startSim(t)
  const source = await sim.seedAttachment({ name: 'src.pdf', data: Buffer.from('from disk') })
  const copy = await sim.seedAttachment({ name: 'copy.pdf', path: sim.attachmentPath(String(source.id)) })
  t.equal(copy.size, 9)
  t.equal((await api('GET', `Attachment/file/${String(copy.id)}`)).text, 'from disk')
})
