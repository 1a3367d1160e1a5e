import fp from 'fastify-plugin'
import type { FastifyError } from 'fastify'

/**
 * One error shape for every route: `{ statusCode, error, message }`. 4xx say
 * what was wrong; 5xx never leak internals (the details go to the log).
 */
export default fp(async (app) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed')
      const message = status === 503 ? 'Service temporarily unavailable' : 'Internal Server Error'
      return reply.code(status).send({ statusCode: status, error: status === 503 ? 'Service Unavailable' : 'Internal Server Error', message })
    }
    request.log.info({ code: error.code, message: error.message }, 'request refused')
    const message = error.validation !== undefined ? `Invalid ${error.validationContext ?? 'request'}: ${error.message.replace(/^(body|querystring|params|headers)\/?/, '')}` : error.message
    return reply.code(status).send({ statusCode: status, error: reasonPhrase(status), message })
  })

  app.setNotFoundHandler((request, reply) => {
    return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `No route ${request.method} ${request.url.split('?')[0] ?? ''}` })
  })
}, { name: 'error-handler' })

function reasonPhrase (status: number): string {
  const phrases: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests' }
  return phrases[status] ?? 'Error'
}
