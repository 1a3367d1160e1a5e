import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { resolveExistingFile } from './fs-lookup.js'
import { splitRelativePath } from './names.js'
import type { WatcherSimulator } from './simulator.js'

/** How much a 'reset' fault sends before dropping the connection (at most). */
const RESET_AFTER_BYTES = 64 * 1024

export function watcherTokenProblem (authorization: string | undefined, token: string): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')
  if (match === null) return 'missing bearer token'
  return match[1] === token ? undefined : 'invalid token'
}

/** Flips one byte at `offset` of the stream: a 'corrupt' fault. */
function flipByteAt (offset: number): Transform {
  let seen = 0
  return new Transform({
    transform (chunk: Buffer, _encoding, callback) {
      if (offset >= seen && offset < seen + chunk.length) {
        chunk = Buffer.from(chunk)
        chunk[offset - seen] = chunk[offset - seen]! ^ 0xff
      }
      seen += chunk.length
      callback(null, chunk)
    }
  })
}

/** Sends the headers and part of the body, then destroys the socket: a 'reset' fault. */
async function sendPartThenReset (reply: FastifyReply, file: string, size: number, headers: Record<string, string>): Promise<void> {
  const part = Buffer.alloc(Math.min(Math.floor(size / 2), RESET_AFTER_BYTES))
  if (part.length > 0) {
    const handle = await open(file, 'r')
    try { await handle.read(part, 0, part.length, 0) } finally { await handle.close() }
  }
  reply.hijack()
  const raw = reply.raw
  raw.writeHead(200, headers)
  raw.write(part, () => raw.socket?.destroy())
}

function query (request: FastifyRequest): Record<string, string | undefined> {
  return request.query as Record<string, string | undefined>
}

export function registerWatcherRoutes (app: FastifyInstance, sim: WatcherSimulator): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/__sim/')) return
    const problem = watcherTokenProblem(request.headers.authorization, sim.options.token)
    if (problem !== undefined) return await reply.code(401).header('WWW-Authenticate', 'Bearer').send({ error: 'unauthorized', reason: problem })
  })

  app.get('/akte-details', async (request, reply) => {
    const akte = query(request).akte
    if (akte === undefined || akte === '') return await reply.code(400).send({ error: 'bad request', reason: 'akte is required' })
    sim.counters.listings += 1
    const listing = await sim.listing(akte)
    if (listing === undefined) return await reply.code(404).send({ error: 'not found', reason: `Akte folder for '${akte}' does not exist` })
    return listing
  })

  app.get('/file', async (request, reply) => {
    const { akte, path } = query(request)
    if (akte === undefined || path === undefined) return await reply.code(400).send({ error: 'bad request', reason: 'akte and path are required' })
    const split = splitRelativePath(path, false)
    if ('problem' in split) return await reply.code(400).send({ error: 'bad request', reason: split.problem })
    const found = await sim.resolveAkte(akte)
    if (found === undefined) return await reply.code(404).send({ error: 'not found', reason: `Akte folder for '${akte}' does not exist` })
    const actual = await resolveExistingFile(found.dir, split.segments)
    const rel = actual?.join('/')
    const entry = rel === undefined ? undefined : await sim.index.withLock(found.folder, async () => await sim.index.record(found.folder, rel))
    if (rel === undefined || entry === undefined) return await reply.code(404).send({ error: 'not found', reason: `no file '${path}'` })
    sim.counters.downloads += 1

    const file = join(found.dir, rel)
    const headers = {
      'content-type': 'application/octet-stream',
      'content-length': String(entry.size),
      'x-blake3-hash': entry.hash
    }
    if (sim.faults.take('reset', request.method, request.url) !== undefined) {
      await sendPartThenReset(reply, file, entry.size, headers)
      return reply
    }
    const stream = createReadStream(file, { highWaterMark: 1024 * 1024 })
    const body = sim.faults.take('corrupt', request.method, request.url) !== undefined && entry.size > 0
      ? stream.pipe(flipByteAt(Math.floor(entry.size / 2)))
      : stream
    return await reply.headers(headers).send(body)
  })
}
