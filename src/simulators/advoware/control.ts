import type { FastifyInstance, FastifyReply } from 'fastify'
import type { AdvowareSimulator } from './simulator.js'
import type { NewHistoryWire, SeedAkte } from './state.js'
import type { AdvowareCredentials } from './tokens.js'

/**
 * `/__sim/*` routes so a service under test in another process can be driven
 * the same way tests drive the simulator in-process.
 */
export function registerAdvowareControl (app: FastifyInstance, sim: AdvowareSimulator): void {
  const withAkte = <T>(raw: string, reply: FastifyReply, fn: (id: number) => T): T | FastifyReply => {
    const id = Number(raw)
    if (sim.state.getAkte(id) === undefined) return reply.code(404).send({ message: `Akte ${raw} not found` })
    return fn(id)
  }

  app.get('/__sim/state', async () => ({
    akten: sim.state.listAkten(),
    counters: sim.counters,
    activeTokens: sim.tokens.activeTokens,
    announceConnector: sim.settings.announceConnector,
    clockOffsetMs: sim.clockOffsetMs
  }))
  app.get('/__sim/counters', async () => sim.counters)
  app.post('/__sim/akten', async (request, reply) => reply.code(201).send(sim.seedAkte(request.body as SeedAkte)))
  app.post('/__sim/akten/:id/archive', async (request, reply) => {
    const body = (request.body ?? {}) as { ablagedatum?: string }
    return withAkte((request.params as { id: string }).id, reply, id => sim.archiveAkte(id, body.ablagedatum))
  })
  app.post('/__sim/akten/:id/unarchive', async (request, reply) =>
    withAkte((request.params as { id: string }).id, reply, id => sim.state.unarchiveAkte(id)))
  app.get('/__sim/akten/:id/history', async (request, reply) =>
    withAkte((request.params as { id: string }).id, reply, id => sim.history(id)))
  app.post('/__sim/akten/:id/history', async (request, reply) =>
    withAkte((request.params as { id: string }).id, reply, id => reply.code(201).send(sim.addHistory(id, request.body as NewHistoryWire))))
  app.post('/__sim/tokens/expire', async () => {
    sim.expireAllTokens()
    return { activeTokens: 0 }
  })
  app.post('/__sim/credentials', async (request, reply) => {
    sim.tokens.addCredentials(request.body as AdvowareCredentials)
    return reply.code(201).send({ ok: true })
  })
  app.post('/__sim/clock', async (request) => {
    const body = request.body as { advanceMs?: number }
    sim.advanceClock(body.advanceMs ?? 0)
    return { clockOffsetMs: sim.clockOffsetMs }
  })
  app.post('/__sim/connector', async (request) => {
    const body = request.body as { announce?: boolean, relayRefuses?: boolean }
    if (typeof body.announce === 'boolean') sim.settings.announceConnector = body.announce
    if (typeof body.relayRefuses === 'boolean') sim.settings.relayRefusesWhenConnector = body.relayRefuses
    return sim.settings
  })
  app.post('/__sim/reset', async () => {
    sim.reset()
    return { ok: true }
  })
}
