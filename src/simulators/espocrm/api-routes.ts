import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { attachmentRoutes } from './attachment-routes.js'
import type { SimContext } from './context.js'
import { userOf } from './context.js'
import { EspoError, badRequest, forbidden, isObject } from './format.js'
import { fetchSearchParams } from './search-params.js'
import type { Attrs } from './store.js'

/**
 * `/api/v1/*`: maintenance and authentication in front of everything, then
 * the generic record routes. Bodies are read as JSON whatever the
 * Content-Type says, as PHP reads `php://input`.
 */
const PREFIX = '/api/v1/'

function parseJson (text: string): Attrs {
  if (text.trim() === '') return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw badRequest('Bad JSON.')
  }
  if (!isObject(value)) throw badRequest('Bad JSON.')
  return value
}

function versionHeader (request: FastifyRequest): number | undefined {
  const raw = request.headers['x-version-number']
  if (typeof raw !== 'string' || raw.trim() === '') return undefined
  const n = Number(raw)
  return Number.isInteger(n) ? n : undefined
}

function header (request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return typeof value === 'string' ? value : undefined
}

export function apiRoutes (ctx: SimContext) {
  return async (api: FastifyInstance): Promise<void> => {
    api.removeAllContentTypeParsers()
    api.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, parseJson(String(body)))
      } catch (error) {
        done(error as Error, undefined)
      }
    })

    api.addHook('onRequest', async (request: FastifyRequest) => {
      const params = request.params as { entityType?: string }
      const pattern = request.routeOptions.url ?? request.url.split('?')[0] ?? ''
      const key = `${request.method} ${pattern.replace(':entityType', params.entityType ?? ':entityType')}`
      ctx.counts.set(key, (ctx.counts.get(key) ?? 0) + 1)
      if (ctx.state.maintenance) throw new EspoError(503, 'Application is in maintenance mode.')
      const path = (request.url.split('?')[0] ?? '').slice(PREFIX.length)
      const user = ctx.users.authenticate(
        { apiKey: header(request, 'x-api-key'), hmac: header(request, 'x-hmac-authorization') },
        request.method, path, request.ip
      )
      ctx.requestUser.set(request, user)
    })

    await api.register(attachmentRoutes(ctx))

    /** API users see only their own webhooks, as EspoCRM's ACL has it. */
    const ownWebhook = (request: FastifyRequest, entityType: string, id?: string): ((row: Attrs) => boolean) | undefined => {
      const user = userOf(ctx, request)
      if (entityType !== 'Webhook' || user.type !== 'api') return undefined
      if (id !== undefined) {
        const row = ctx.store.row('Webhook', id)
        if (row !== undefined && row.attrs.userId !== user.id) throw forbidden('No access.')
      }
      return (row: Attrs) => row.userId === user.id
    }

    api.get('/:entityType', async (request) => {
      const { entityType } = request.params as { entityType: string }
      ctx.records.def(entityType)
      const params = fetchSearchParams(request.query as Record<string, unknown>, ctx.options.maxSizeLimit)
      const noTotal = header(request, 'x-no-total') === 'true'
      return ctx.records.list(entityType, params, { noTotal, filter: ownWebhook(request, entityType) })
    })

    api.get('/:entityType/:id', async (request) => {
      const { entityType, id } = request.params as { entityType: string, id: string }
      ownWebhook(request, entityType, id)
      return ctx.records.read(entityType, id)
    })

    api.post('/:entityType', async (request) => {
      const { entityType } = request.params as { entityType: string }
      return ctx.records.create(entityType, (request.body ?? {}) as Attrs, { userId: userOf(ctx, request).id })
    })

    const update = async (request: FastifyRequest): Promise<Attrs> => {
      const { entityType, id } = request.params as { entityType: string, id: string }
      ownWebhook(request, entityType, id)
      const ctxWrite = { userId: userOf(ctx, request).id, versionNumber: versionHeader(request) }
      return ctx.records.update(entityType, id, (request.body ?? {}) as Attrs, ctxWrite)
    }
    api.put('/:entityType/:id', update)
    api.patch('/:entityType/:id', update)

    api.delete('/:entityType/:id', async (request, reply: FastifyReply) => {
      const { entityType, id } = request.params as { entityType: string, id: string }
      ownWebhook(request, entityType, id)
      ctx.records.remove(entityType, id, { userId: userOf(ctx, request).id })
      return reply.type('application/json').send('true')
    })
  }
}
