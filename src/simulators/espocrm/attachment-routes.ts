import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Readable } from 'node:stream'
import { createReadStream } from 'node:fs'
import { Transform } from 'node:stream'
import type { SimContext } from './context.js'
import { userOf } from './context.js'

/**
 * Attachment upload and download routes. Their bodies reach the handlers as
 * raw streams (any Content-Type, like EspoCRM's UI sending a chunk), so
 * large uploads go to disk without being buffered; downloads stream from
 * disk and honour the `reset` and `corrupt` faults.
 */

/** `attachment; filename="…"` with the name's UTF-8 bytes, as PHP sends them. */
function disposition (name: string): string {
  const safe = name.replace(/["\r\n]/g, '_')
  return `attachment; filename="${Buffer.from(safe, 'utf8').toString('latin1')}"`
}

/** Flips one byte at `position` of the stream. */
function flipByteAt (position: number): Transform {
  let seen = 0
  return new Transform({
    transform (chunk: Buffer, _encoding, done) {
      if (position >= seen && position < seen + chunk.length) {
        const copy = Buffer.from(chunk)
        copy[position - seen] = (copy[position - seen] ?? 0) ^ 0xff
        chunk = copy
      }
      seen += chunk.length
      done(null, chunk)
    }
  })
}

/** Writes headers and the first `limit` bytes, then destroys the socket. */
async function sendThenReset (reply: FastifyReply, headers: Record<string, string | number>, body: Readable, limit: number): Promise<void> {
  reply.hijack()
  const res = reply.raw
  res.writeHead(200, headers)
  let sent = 0
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const part = chunk.subarray(0, Math.max(0, limit - sent))
    sent += part.length
    if (part.length > 0) await new Promise<void>(resolve => res.write(part, () => resolve()))
    if (sent >= limit) break
  }
  body.destroy()
  res.socket?.destroy()
}

export function attachmentRoutes (ctx: SimContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('*', (_request, payload, done) => { done(null, payload) })

    app.post('/Attachment', async (request: FastifyRequest) => {
      return await ctx.attachments.create(request.body as Readable, { userId: userOf(ctx, request).id })
    })

    app.post('/Attachment/chunk/:id', async (request: FastifyRequest, reply: FastifyReply) => {
      const { id } = request.params as { id: string }
      const body = (request.body ?? undefined) as Readable | undefined
      if (body === undefined) return reply.code(400).send()
      await ctx.attachments.appendChunk(id, body)
      return reply.type('application/json').send('true')
    })

    app.get('/Attachment/file/:id', async (request: FastifyRequest, reply: FastifyReply) => {
      const { id } = request.params as { id: string }
      const file = await ctx.attachments.download(id)
      const headers: Record<string, string | number> = {
        'Content-Length': file.size,
        'Content-Disposition': disposition(file.name)
      }
      if (file.type !== undefined) headers['Content-Type'] = file.type
      let body: Readable = createReadStream(file.path)
      if (ctx.faults.take('corrupt', request.method, request.url) !== undefined && file.size > 0) {
        body = body.pipe(flipByteAt(Math.floor(file.size / 2)))
      }
      if (ctx.faults.take('reset', request.method, request.url) !== undefined) {
        await sendThenReset(reply, headers, body, Math.floor(file.size / 2))
        return reply
      }
      return reply.headers(headers).send(body)
    })
  }
}
