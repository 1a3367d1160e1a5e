import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AdvowareState, NewHistoryWire } from './state.js'
import type { TokenIssuer } from './tokens.js'

/** Path prefixes under which this one server plays relay, connector and security gateway. */
export const RELAY_PREFIX = '/relay/'
export const CONNECTOR_PREFIX = '/connector/'
export const GATEWAY_PREFIX = '/gateway/'

export interface AdvowareRouteContext {
  state: AdvowareState
  tokens: TokenIssuer
  /** Read per request: tests switch the connector on and off at run time. */
  settings: { announceConnector: boolean, relayRefusesWhenConnector: boolean, publicUrl?: string }
}

const LOCAL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/

function baseUrl (ctx: AdvowareRouteContext, request: FastifyRequest): string {
  const base = ctx.settings.publicUrl ?? `${request.protocol}://${request.host}`
  return base.replace(/\/+$/, '')
}

function parseAkteId (raw: string): number | undefined {
  return /^\d{1,15}$/.test(raw) ? Number(raw) : undefined
}

/** Why a History body is unacceptable, or undefined. */
function historyProblem (body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return 'body must be a JSON object'
  const b = body as Record<string, unknown>
  if (typeof b.datum !== 'string' || !LOCAL_DATETIME.test(b.datum)) return 'datum must be a local date-time without zone (YYYY-MM-DDTHH:mm:ss)'
  if (typeof b.text !== 'string') return 'text must be a string'
  if (typeof b.art !== 'string') return 'art must be a string'
  if (b.datei !== undefined && b.datei !== null && typeof b.datei !== 'string') return 'datei must be a string or null'
  return undefined
}

export function registerDiscoveryAndToken (app: FastifyInstance, ctx: AdvowareRouteContext): void {
  app.get('/AdvonetConfigurator/api/Url', async (request, reply) => {
    const kanzlei = (request.query as Record<string, string | undefined>).Kanzlei
    if (kanzlei === undefined || kanzlei === '') return await reply.code(400).send({ message: 'Kanzlei is required' })
    if (!ctx.tokens.knowsKanzlei(kanzlei)) return await reply.code(404).send({ message: `unknown Kanzlei ${kanzlei}` })
    const base = baseUrl(ctx, request)
    return {
      relayUrl: `${base}${RELAY_PREFIX}`,
      connectorUrl: ctx.settings.announceConnector ? `${base}${CONNECTOR_PREFIX}` : null,
      securityGateway: `${base}${GATEWAY_PREFIX}`
    }
  })

  app.post(`${GATEWAY_PREFIX}api/v1/Token`, async (request, reply) => {
    ctx.state.counters.tokenRequests += 1
    const outcome = ctx.tokens.issue(request.body)
    if (!outcome.ok) {
      ctx.state.counters.tokensRefused += 1
      return await reply.code(401).send({ error: 'invalid_request', error_description: outcome.reason })
    }
    ctx.state.counters.tokensIssued += 1
    return outcome.response
  })
}

/** The Akten API, mounted once under the relay prefix and once under the connector prefix. */
export function registerApi (app: FastifyInstance, ctx: AdvowareRouteContext, prefix: string): void {
  const viaRelay = prefix === RELAY_PREFIX
  const guard = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (viaRelay && ctx.settings.announceConnector && ctx.settings.relayRefusesWhenConnector) {
      return await reply.code(403).send({ message: 'Relay access refused: use the connector URL' })
    }
    const problem = ctx.tokens.check(request.headers.authorization)
    if (problem !== undefined) {
      return await reply.code(401).header('WWW-Authenticate', 'Bearer').send({ message: problem })
    }
    ctx.state.counters.apiCalls += 1
  }
  const akteOr404 = (raw: string, reply: FastifyReply): number | undefined => {
    const id = parseAkteId(raw)
    if (id !== undefined && ctx.state.getAkte(id) !== undefined) return id
    void reply.code(404).send({ message: `Akte ${raw} not found` })
    return undefined
  }
  const base = `${prefix}api/v1/advonet/Akten/:akteId`

  app.get(base, { preHandler: guard }, async (request, reply) => {
    const id = akteOr404((request.params as { akteId: string }).akteId, reply)
    if (id === undefined) return reply
    return ctx.state.getAkte(id)
  })

  app.get(`${base}/History`, { preHandler: guard }, async (request, reply) => {
    const id = akteOr404((request.params as { akteId: string }).akteId, reply)
    if (id === undefined) return reply
    return ctx.state.history(id)
  })

  app.post(`${base}/History`, { preHandler: guard }, async (request, reply) => {
    const id = akteOr404((request.params as { akteId: string }).akteId, reply)
    if (id === undefined) return reply
    const problem = historyProblem(request.body)
    if (problem !== undefined) return await reply.code(400).send({ message: problem })
    const created = ctx.state.createHistory(id, request.body as NewHistoryWire)
    return await reply.code(201).send(created)
  })
}
