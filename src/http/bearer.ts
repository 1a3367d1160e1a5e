import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'

/** Constant-time comparison of a presented bearer token with the configured one. */
export function bearerMatches (header: string | undefined, expected: string | undefined): boolean {
  if (expected === undefined || header === undefined) return false
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (match === null) return false
  // Hashing first makes both sides the same length, so the length leaks nothing.
  const given = createHash('sha256').update(match[1] as string).digest()
  const wanted = createHash('sha256').update(expected).digest()
  return timingSafeEqual(given, wanted)
}

/** A preHandler that answers 401 unless the request carries the token. */
export function requireBearer (token: () => string | undefined, realm: string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (token() === undefined) {
      await reply.code(401).header('WWW-Authenticate', `Bearer realm="${realm}"`).send({ statusCode: 401, error: 'Unauthorized', message: `${realm} is disabled: no token is configured` })
      return
    }
    if (!bearerMatches(request.headers.authorization, token())) {
      await reply.code(401).header('WWW-Authenticate', `Bearer realm="${realm}"`).send({ statusCode: 401, error: 'Unauthorized', message: 'missing or wrong bearer token' })
    }
  }
}
