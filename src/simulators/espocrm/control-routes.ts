import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { NewUser } from './auth.js'
import type { SimContext } from './context.js'
import { badRequest, isObject } from './format.js'
import type { Attrs } from './store.js'

/**
 * `/__sim/*` control routes, so a service under test in another process can
 * be driven like the in-process API (`/__sim/faults` and `/__sim/calls` come
 * from Faults). Writes through `records` act as a UI user: validation and
 * webhooks apply; `seed` inserts raw rows without either.
 */
interface RecordBody {
  attrs?: Attrs
  userId?: string
  seed?: boolean
}

function body<T> (request: FastifyRequest): T {
  return (isObject(request.body) ? request.body : {}) as T
}

export function controlRoutes (ctx: SimContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/__sim/users', async (request) => ctx.users.add(body<NewUser>(request)))
    app.get('/__sim/users', async () => ctx.users.list())

    app.post('/__sim/maintenance', async (request) => {
      ctx.state.maintenance = body<{ enabled?: boolean }>(request).enabled !== false
      return { maintenance: ctx.state.maintenance }
    })

    app.post('/__sim/lockout/reset', async () => {
      ctx.users.resetLockout()
      return { ok: true }
    })

    app.get('/__sim/counts', async () => Object.fromEntries(ctx.counts))
    app.delete('/__sim/counts', async () => {
      ctx.counts.clear()
      return {}
    })

    app.post('/__sim/webhooks/deliver', async (request) => {
      const all = body<{ all?: boolean }>(request).all === true
      return { batches: all ? await ctx.sender.deliverAll() : await ctx.sender.deliverNow() }
    })
    app.get('/__sim/webhooks/log', async () => ctx.sender.log)
    app.get('/__sim/webhooks/queue', async () => ctx.queue.pending())

    app.get('/__sim/records/:entityType', async (request) => {
      const { entityType } = request.params as { entityType: string }
      const withDeleted = (request.query as Record<string, unknown>).withDeleted === 'true'
      return ctx.records.all(entityType, withDeleted)
    })
    app.get('/__sim/records/:entityType/:id', async (request, reply) => {
      const { entityType, id } = request.params as { entityType: string, id: string }
      const record = ctx.records.find(entityType, id, true)
      return record === undefined ? reply.code(404).send() : record
    })
    app.post('/__sim/records/:entityType', async (request) => {
      const { entityType } = request.params as { entityType: string }
      const b = body<RecordBody>(request)
      if (b.seed === true) return ctx.records.seed(entityType, b.attrs ?? {})
      return ctx.records.create(entityType, b.attrs ?? {}, { userId: b.userId ?? '1' })
    })
    app.patch('/__sim/records/:entityType/:id', async (request) => {
      const { entityType, id } = request.params as { entityType: string, id: string }
      const b = body<RecordBody>(request)
      return ctx.records.update(entityType, id, b.attrs ?? {}, { userId: b.userId ?? '1' })
    })
    app.delete('/__sim/records/:entityType/:id', async (request) => {
      const { entityType, id } = request.params as { entityType: string, id: string }
      ctx.records.remove(entityType, id, { userId: body<RecordBody>(request).userId ?? '1' })
      return { ok: true }
    })

    app.post('/__sim/attachments', async (request) => {
      const { contentBase64, path, ...attrs } = body<Attrs & { contentBase64?: string, path?: string }>(request)
      if (typeof attrs.name !== 'string') throw badRequest('name required')
      const data = typeof contentBase64 === 'string' ? Buffer.from(contentBase64, 'base64') : undefined
      return await ctx.attachments.seed({ ...attrs, name: attrs.name, data, path })
    })
  }
}
