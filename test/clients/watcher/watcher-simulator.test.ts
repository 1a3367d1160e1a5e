import t from 'tap'
import type { Test } from 'tap'
import { Readable } from 'node:stream'
import { WatcherClient } from '../../../src/clients/watcher/index.js'
import { blake3Hex } from '../../../src/hash/blake3.js'
import { createWatcherSimulator, DEFAULT_START_USN, type WatcherSimulator } from '../../../src/simulators/watcher/index.js'

const TOKEN = 'sim-watcher-token'
const AKTE = '12345/26'

async function start (t: Test, token = TOKEN): Promise<{ sim: WatcherSimulator, client: WatcherClient }> {
  const sim = createWatcherSimulator({ root: t.testdir(), token: TOKEN })
  const url = await sim.listen()
  const client = new WatcherClient({ baseUrl: url, token, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 } })
  t.teardown(async () => {
    await client.close()
    await sim.close()
  })
  return { sim, client }
}

async function collect (stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

t.test('missing Akte folder lists as null; a wrong token is auth', async t => {
  const { client } = await start(t)
  t.equal(await client.listFiles(AKTE), null)
  const { client: wrong } = await start(t, 'not-the-token')
  await t.rejects(wrong.listFiles(AKTE), { name: 'ExternalError', kind: 'auth', status: 401 })
})

t.test('listing: USNs past 2^53 stay exact, hashes are real BLAKE3', async t => {
  const { sim, client } = await start(t)
  const bytes = Buffer.from('Klageschrift Inhalt')
  const written = await sim.writeFile(AKTE, 'Schriftsätze/Klage.pdf', bytes)
  const listing = await client.listFiles(AKTE)
  t.equal(listing?.akte, AKTE)
  const file = listing?.files.find(f => f.path === 'Schriftsätze/Klage.pdf')
  t.ok(file)
  t.equal(file?.usn, written.usn)
  t.equal(file?.usn, sim.currentUsn())
  t.ok(BigInt(file!.usn) > DEFAULT_START_USN && BigInt(file!.usn) > 2n ** 53n)
  t.equal(file?.blake3Hash, await blake3Hex(bytes))
  t.equal(file?.size, bytes.length)
})

t.test('upload, list, download round trip with umlauts, subfolder and "/" in the Aktennummer', async t => {
  const { sim, client } = await start(t)
  await sim.createAkte(AKTE)
  const bytes = Buffer.alloc(3 * 1024 * 1024 + 17, 0x5a)
  bytes.write('Übersicht – äöüß', 1000)
  const hash = await blake3Hex(bytes)
  const path = 'Schriftsätze/Unter Ordner/Übersicht (final).pdf'
  const uploaded = await client.upload(AKTE, path, Readable.from([bytes.subarray(0, 1_000_000), bytes.subarray(1_000_000)]), hash, bytes.length)
  t.match(uploaded, { path, blake3Hash: hash, usn: /^\d+$/ })
  t.same(await sim.readFile(AKTE, path), bytes)
  const listed = (await client.listFiles(AKTE))?.files.find(f => f.path === path)
  t.equal(listed?.usn, uploaded.usn)
  const download = await client.download(AKTE, path, { expectedHash: listed?.blake3Hash })
  t.equal(download.size, bytes.length)
  t.same(await collect(download.body), bytes)
  t.equal(await download.hash, hash)
})

t.test('upload from a Buffer overwrites and gets a new USN', async t => {
  const { sim, client } = await start(t)
  const first = await sim.writeFile(AKTE, 'a.txt', 'v1')
  const v2 = Buffer.from('v2')
  const result = await client.upload(AKTE, 'a.txt', v2, await blake3Hex(v2))
  t.ok(BigInt(result.usn) > BigInt(first.usn))
  t.same(await sim.readFile(AKTE, 'a.txt'), v2)
})

t.test('upload with a wrong hash: 422 integrity, nothing stored', async t => {
  const { sim, client } = await start(t)
  await sim.createAkte(AKTE)
  const error = await client.upload(AKTE, 'x.pdf', Buffer.from('bytes'), await blake3Hex('other bytes')).catch((e: unknown) => e)
  t.match(error, { kind: 'integrity', status: 422, reason: /do not match/ })
  t.equal(await sim.readFile(AKTE, 'x.pdf'), undefined)
})

t.test('upload refusals: invalid Windows name is validation with the reason, missing Akte is not-found', async t => {
  const { sim, client } = await start(t)
  await sim.createAkte(AKTE)
  const bytes = Buffer.from('x')
  const hash = await blake3Hex(bytes)
  await t.rejects(client.upload(AKTE, 'CON.pdf', bytes, hash), { name: 'ExternalError', kind: 'validation', status: 400, reason: /./ })
  await t.rejects(client.upload(AKTE, 'a?.pdf', bytes, hash), { name: 'ExternalError', kind: 'validation', status: 400 })
  await t.rejects(client.upload('no-such-akte', 'a.pdf', bytes, hash), { name: 'ExternalError', kind: 'not-found', status: 404 })
})

t.test('download of a corrupted transfer: integrity error, and an upload fed from it commits nothing', async t => {
  const { sim, client } = await start(t)
  const bytes = Buffer.alloc(2 * 1024 * 1024, 0x41)
  const file = await sim.writeFile(AKTE, 'big.bin', bytes)
  await sim.createAkte('target')
  sim.faults.corruptNext(1, '/file')
  const download = await client.download(AKTE, 'big.bin', { expectedHash: file.blake3Hash })
  await t.rejects(client.upload('target', 'big.bin', download.body, file.blake3Hash, download.size), { name: 'ExternalError', kind: 'integrity' })
  await t.rejects(download.hash, { name: 'ExternalError', kind: 'integrity' })
  t.equal(await sim.readFile('target', 'big.bin'), undefined)
})

t.test('download verified against the X-Blake3-Hash header alone', async t => {
  const { sim, client } = await start(t)
  await sim.writeFile(AKTE, 'h.bin', Buffer.alloc(100_000, 1))
  sim.faults.corruptNext(1, '/file')
  const download = await client.download(AKTE, 'h.bin')
  await t.rejects(collect(download.body), { name: 'ExternalError', kind: 'integrity' })
})

t.test('connection dropped mid-body: a typed network error on the stream', async t => {
  const { sim, client } = await start(t)
  await sim.writeFile(AKTE, 'r.bin', Buffer.alloc(500_000, 2))
  sim.faults.resetMidBody(1, '/file')
  const download = await client.download(AKTE, 'r.bin')
  await t.rejects(collect(download.body), { name: 'ExternalError', system: 'watcher', kind: 'network' })
})

t.test('503 on the listing is retried', async t => {
  const { sim, client } = await start(t)
  await sim.writeFile(AKTE, 'a.txt', 'x')
  sim.faults.failNext(2, 503, '/akte-details')
  t.equal((await client.listFiles(AKTE))?.files.length, 1)
})
