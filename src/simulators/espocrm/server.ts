import Fastify from 'fastify'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { apiRoutes } from './api-routes.js'
import type { SimContext } from './context.js'
import { controlRoutes } from './control-routes.js'
import { EspoError } from './format.js'
import { parseQueryString } from './querystring.js'

/**
 * The Fastify instance: faults first, then the API under `/api/v1`, the
 * control routes, and an error handler that answers the way EspoCRM's
 * ErrorOutput does (status from its allowed list, reason header, body
 * usually empty).
 */
const ALLOWED = new Set([200, 201, 400, 401, 403, 404, 409, 500, 503])

/** EspoCRM replaces characters a header may not carry with spaces. */
function headerSafe (value: string): string {
  return value.replace(/[^ \t\x21-\x7E\x80-\xFF]/g, ' ')
}

function sendError (error: FastifyError | EspoError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof EspoError) {
    reply.code(error.status)
    if (error.reason !== '') reply.header('X-Status-Reason', headerSafe(error.reason))
    if (error.body !== undefined) {
      reply.type('application/json').send(error.body)
      return
    }
    reply.send()
    return
  }
  // a body over the limit: what PHP's post_max_size or a proxy would refuse
  const status = error.statusCode === 413 ? 413 : ALLOWED.has(error.statusCode ?? 500) ? (error.statusCode ?? 500) : 500
  reply.code(status).header('X-Status-Reason', headerSafe(error.message)).send()
}

export async function buildServer (ctx: SimContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger: ctx.options.logger,
    bodyLimit: ctx.options.bodyLimit,
    // a response still finishing (a streamed download) must not hold close() for the keep-alive timeout
    forceCloseConnections: true,
    routerOptions: { querystringParser: parseQueryString }
  })
  ctx.faults.install(app)
  app.setErrorHandler(sendError)
  app.setNotFoundHandler((_request, reply) => { reply.code(404).send() })
  await app.register(apiRoutes(ctx), { prefix: '/api/v1' })
  await app.register(controlRoutes(ctx))
  return app
}
