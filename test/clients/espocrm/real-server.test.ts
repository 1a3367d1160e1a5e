import t from 'tap'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { blake3OfStream, createBlake3Hasher } from '../../../src/hash/blake3.js'
import { ExternalError } from '../../../src/clients/errors.js'
import { EspoClient } from '../../../src/clients/espocrm/index.js'

/**
 * Behaviour nock cannot show: real timeouts (nock's delay does not trip
 * undici's headersTimeout), short bodies, and memory during a large upload.
 */
type Handler = (req: IncomingMessage, res: ServerResponse) => void

async function serve (handler: Handler): Promise<{ url: string, server: Server }> {
  const server = createServer(handler)
  server.keepAliveTimeout = 1000
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/api/v1/`, server }
}

async function stop (server: Server): Promise<void> {
  server.closeAllConnections()
  await new Promise<void>(resolve => server.close(() => resolve()))
}

function clientFor (url: string, extra: Partial<ConstructorParameters<typeof EspoClient>[0]> = {}): EspoClient {
  return new EspoClient({ baseUrl: url, auth: { kind: 'apiKey', apiKey: 'k' }, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, ...extra })
}

t.test('a server that never answers: headers timeout, GET retried once, then kind timeout', async t => {
  let requests = 0
  const { url, server } = await serve(() => { requests++ })
  const client = clientFor(url, { timeouts: { headersMs: 200 } })
  const started = performance.now()
  const error = await client.getDocument('d1').catch((e: unknown) => e)
  t.type(error, ExternalError)
  t.equal((error as ExternalError).kind, 'timeout')
  t.equal(requests, 2)
  t.ok(performance.now() - started < 5_000)
  await client.close()
  await stop(server)
})

t.test('a hanging chunk is not sent again', async t => {
  const seen: string[] = []
  const { url, server } = await serve((req, res) => {
    seen.push(`${req.method ?? ''} ${req.url ?? ''}`)
    req.resume()
    if (req.url === '/api/v1/Attachment') {
      req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"h1"}') })
    } else if (req.method === 'DELETE') {
      res.writeHead(200).end('true')
    }
    // chunks: never answered
  })
  const client = clientFor(url, { timeouts: { headersMs: 200 }, chunkThresholdBytes: 4, chunkSizeBytes: 4 })
  const error = await client.uploadAttachment({ name: 'a.pdf', mimeType: 'application/pdf', size: 10, body: Readable.from([Buffer.alloc(10, 1)]) }).catch((e: unknown) => e)
  t.equal((error as ExternalError).kind, 'timeout')
  t.same(seen, ['POST /api/v1/Attachment', 'POST /api/v1/Attachment/chunk/h1', 'DELETE /api/v1/Attachment/h1'])
  await client.close()
  await stop(server)
})

t.test('a download cut short surfaces as an ExternalError on the stream', async t => {
  const { url, server } = await serve((_req, res) => {
    res.writeHead(200, { 'content-length': '100000', 'content-type': 'application/pdf' })
    res.write(Buffer.alloc(40_000, 7), () => { res.socket?.destroy() })
  })
  const client = clientFor(url)
  const download = await client.downloadAttachment('a1')
  t.equal(download.size, 100_000)
  const error = await (async () => { for await (const _ of download.body) void _ })().then(() => undefined, (e: unknown) => e)
  t.type(error, ExternalError)
  t.ok(['network', 'integrity'].includes((error as ExternalError).kind), `kind ${(error as ExternalError).kind}`)
  await client.close()
  await stop(server)
})

/** Deterministic bytes generated on the fly: `mib` MiB that never exist in memory at once. */
function generated (mib: number): Readable {
  const block = Buffer.alloc(1024 * 1024)
  for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24
  let n = 0
  return new Readable({
    read () {
      if (n === mib) { this.push(null); return }
      const copy = Buffer.from(block)
      copy.writeUInt32LE(n++, 0)
      this.push(copy)
    }
  })
}

t.test('a 256 MiB stream uploads in chunks in constant memory, hash verified', async t => {
  const MIB = 256
  const chunkPrefix = 'data:application/pdf;base64,'
  let declared = 0
  let received = 0
  let chunks = 0
  const hasher = await createBlake3Hasher()
  const { url, server } = await serve((req, res) => {
    const parts: Buffer[] = []
    req.on('data', (d: Buffer) => parts.push(d))
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('latin1')
      if (req.url === '/api/v1/Attachment') {
        declared = (JSON.parse(body) as { size: number }).size
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"big"}')
        return
      }
      if (!body.startsWith(chunkPrefix)) { res.writeHead(400).end(); return }
      const bytes = Buffer.from(body.slice(chunkPrefix.length), 'base64')
      hasher.update(bytes)
      received += bytes.length
      chunks++
      res.writeHead(200, { 'content-type': 'application/json' }).end('true')
    })
  })
  const client = clientFor(url)
  // Garbage from finished chunks lingers until V8 gets round to it: measure what is still live.
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  const live = (): number => { gc(); const m = process.memoryUsage(); return m.arrayBuffers + m.heapUsed }
  const baseline = live()
  let peak = 0
  const sampler = setInterval(() => { peak = Math.max(peak, live() - baseline) }, 100)
  const result = await client.uploadAttachment({ name: 'big.pdf', mimeType: 'application/pdf', size: MIB * 1024 * 1024, body: generated(MIB), computeBlake3: true })
  clearInterval(sampler)
  const expected = await blake3OfStream(generated(MIB))
  t.equal(declared, MIB * 1024 * 1024)
  t.equal(received, MIB * 1024 * 1024)
  t.equal(chunks, MIB / 4)
  t.equal(result.blake3Hash, expected.hash, 'hash of what was sent')
  t.equal(hasher.digest('hex'), expected.hash, 'what the server decoded')
  // Alone this measures about 26 MiB (client and server together); next to other test processes
  // freed backing stores are released late. Buffering the file would need more than 256 MiB.
  t.ok(peak < 128 * 1024 * 1024, `live memory peaked at ${Math.round(peak / 1024 / 1024)} MiB`)
  t.comment(`live memory peak ${Math.round(peak / 1024 / 1024)} MiB`)
  await client.close()
  await stop(server)
})
