import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { WatcherUploadResult } from '../../domain/types.js'
import { normaliseBlake3 } from '../../hash/blake3.js'
import { hashingStream } from '../../hash/blake3-stream.js'
import { resolveWriteTarget, TEMP_PREFIX } from './fs-lookup.js'
import { MAX_WINDOWS_PATH, splitRelativePath, windowsFullPath } from './names.js'
import type { WatcherSimulator } from './simulator.js'

const bad = async (reply: FastifyReply, status: number, error: string, reason: string, extra: object = {}): Promise<FastifyReply> =>
  await reply.code(status).send({ error, reason, ...extra })

/** `/files/{akte}/{filename}` split on the RAW url, so an encoded '/' stays inside its segment. */
function parseTarget (rawUrl: string): { akte: string, filename: string } | string {
  const parts = rawUrl.split('?')[0]!.split('/')
  if (parts.length !== 4 || parts[3] === '') return 'expected /files/{akte}/{filename} with both segments URL-encoded'
  try {
    return { akte: decodeURIComponent(parts[2]!), filename: decodeURIComponent(parts[3]!) }
  } catch {
    return 'invalid URL encoding'
  }
}

async function handleUpload (sim: WatcherSimulator, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | WatcherUploadResult> {
  const target = parseTarget(request.raw.url ?? '')
  if (typeof target === 'string') return await bad(reply, 400, 'bad request', target)
  const header = request.headers['x-blake3-hash']
  if (header === undefined) return await bad(reply, 400, 'bad request', 'X-Blake3-Hash header is required')
  const expected = normaliseBlake3(Array.isArray(header) ? header[0] : header)
  if (expected === undefined) return await bad(reply, 400, 'bad request', 'X-Blake3-Hash must be 64 hex characters')
  const split = splitRelativePath(target.filename, true)
  if ('problem' in split) return await bad(reply, 400, 'invalid name', split.problem)
  const found = await sim.resolveAkte(target.akte)
  if (found === undefined) return await bad(reply, 404, 'not found', `Akte folder for '${target.akte}' does not exist`)
  const fullPath = windowsFullPath(sim.windowsBase, found.folder, split.segments)
  if (fullPath.length > MAX_WINDOWS_PATH) {
    return await bad(reply, 400, 'path too long', `full path has ${fullPath.length} characters, Windows allows ${MAX_WINDOWS_PATH}`, { fullPath })
  }

  // The temp file lives in the Akte folder: same file system, so the final rename is atomic.
  const temp = join(found.dir, `${TEMP_PREFIX}${randomUUID()}.part`)
  const hashing = hashingStream()
  try {
    await pipeline(request.raw, hashing.stream, createWriteStream(temp))
  } catch (err) {
    await rm(temp, { force: true })
    request.log.warn({ err }, 'upload interrupted')
    return await bad(reply, 400, 'upload interrupted', (err as Error).message)
  }
  const { hash, size } = await hashing.digest
  if (hash !== expected) {
    await rm(temp, { force: true })
    return await bad(reply, 422, 'hash mismatch', 'received bytes do not match X-Blake3-Hash', { expected, actual: hash, size })
  }

  const result = await sim.index.withLock(found.folder, async () => {
    const resolved = await resolveWriteTarget(found.dir, split.segments)
    if ('conflict' in resolved) return resolved
    const rel = resolved.segments.join('/')
    await mkdir(join(found.dir, ...resolved.segments.slice(0, -1)), { recursive: true })
    await rename(temp, join(found.dir, rel))
    const entry = (await sim.index.record(found.folder, rel, hash))!
    return { path: rel, usn: entry.usn.toString(), blake3Hash: hash }
  })
  if ('conflict' in result) {
    await rm(temp, { force: true })
    return await bad(reply, 409, 'conflict', result.conflict)
  }
  sim.counters.uploads += 1
  sim.push.notify(target.akte, [result.path])
  return result
}

export function registerUpload (app: FastifyInstance, sim: WatcherSimulator): void {
  // Own scope: no parser reads the body here (any content type), so uploads
  // stream from request.raw and bodyLimit never applies.
  void app.register(async scope => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', (_request, _payload, done) => { done(null) })
    scope.put('/files/*', async (request, reply) => await handleUpload(sim, request, reply))
  })
}
