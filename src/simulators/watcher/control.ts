import type { FastifyInstance, FastifyReply } from 'fastify'
import type { WatcherSimulator } from './simulator.js'

interface FileBody {
  akte: string
  path: string
  /** UTF-8 content, or `contentBase64` for bytes. */
  content?: string
  contentBase64?: string
  mtime?: string
}

const q = (query: unknown): Record<string, string | undefined> => query as Record<string, string | undefined>

async function orError<T> (reply: FastifyReply, fn: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await fn()
  } catch (err) {
    return await reply.code(400).send({ error: 'bad request', reason: (err as Error).message })
  }
}

/** `/__sim/*` routes: the state API over HTTP, for a service under test in another process. */
export function registerWatcherControl (app: FastifyInstance, sim: WatcherSimulator): void {
  app.get('/__sim/usn', async () => ({ usn: sim.currentUsn() }))
  app.get('/__sim/stats', async () => sim.stats)
  app.get('/__sim/pushes', async () => sim.push.sent)
  app.post('/__sim/push', async (request) => {
    const body = request.body as { url?: string, token?: string }
    sim.push.configure(body.url, body.token)
    return { url: body.url ?? null }
  })
  app.post('/__sim/akten', async (request, reply) => {
    const { akte } = request.body as { akte: string }
    return await orError(reply, async () => ({ dir: await sim.createAkte(akte) }))
  })
  app.delete('/__sim/akten', async (request) => ({ removed: await sim.removeAkte(q(request.query).akte ?? '') }))
  app.post('/__sim/files', async (request, reply) => {
    const body = request.body as FileBody
    const data = body.contentBase64 !== undefined ? Buffer.from(body.contentBase64, 'base64') : Buffer.from(body.content ?? '')
    const mtime = body.mtime !== undefined ? new Date(body.mtime) : undefined
    return await orError(reply, async () => await sim.writeFile(body.akte, body.path, data, { mtime }))
  })
  app.get('/__sim/files', async (request, reply) => {
    const { akte, path } = q(request.query)
    const data = await orError(reply, async () => await sim.readFile(akte ?? '', path ?? ''))
    if (data === undefined) return await reply.code(404).send({ error: 'not found' })
    return await reply.type('application/octet-stream').send(data)
  })
  app.delete('/__sim/files', async (request, reply) => {
    const { akte, path } = q(request.query)
    return await orError(reply, async () => ({ deleted: await sim.deleteFile(akte ?? '', path ?? '') }))
  })
  app.post('/__sim/files/rename', async (request, reply) => {
    const { akte, from, to } = request.body as { akte: string, from: string, to: string }
    return await orError(reply, async () => await sim.renameFile(akte, from, to))
  })
  app.post('/__sim/touch', async (request, reply) => {
    const { akte, path, mtime } = request.body as { akte: string, path: string, mtime?: string }
    return await orError(reply, async () => await sim.touch(akte, path, mtime !== undefined ? new Date(mtime) : undefined))
  })
  app.post('/__sim/rescan', async (request) => ({ changed: await sim.rescan((request.body as { akte: string }).akte) }))
  app.post('/__sim/notify', async (request) => {
    const { akte, paths } = request.body as { akte: string, paths: string[] }
    sim.notifyChanged(akte, paths)
    return { ok: true }
  })
}
