import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorBody } from '../../http/schemas.js'
import { FORCE_NAMESPACE } from '../../sync/run-options.js'
import { AkteParams, EnqueueBody, EnqueueResult, ForceResult, QueueOverviewSchema, RetryResult } from './schemas.js'

/** The queue as operators see it: overview, enqueue, retry a failed Akte, force past the mass-delete guard. */
const adminQueue: FastifyPluginAsyncTypebox = async (app) => {
  const security = [{ adminToken: [] }]
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 503: ErrorBody }

  app.get('/admin/api/queue', {
    schema: { summary: 'Pending, processing (with lease age), delayed and failed Akten', tags: ['admin'], security, response: { 200: QueueOverviewSchema, ...errors } }
  }, async () => {
    const overview = await app.store.overview()
    const now = Date.now()
    return {
      ...overview,
      processing: overview.processing.map(p => ({ ...p, leaseAgeMs: Math.max(0, now - (p.leaseExpiresAt - app.config.SYNC_LEASE_MS)) }))
    }
  })

  app.post('/admin/api/akten', {
    schema: { summary: 'Enqueue one or more Akten', tags: ['admin'], security, body: EnqueueBody, response: { 202: EnqueueResult, ...errors } }
  }, async (request, reply) => {
    const enqueued = await app.queue.enqueue(request.body.aktennummern)
    return await reply.code(202).send({ enqueued })
  })

  app.post('/admin/api/akten/:aktennummer/retry', {
    schema: { summary: 'Retry a failed (or backing-off) Akte now', tags: ['admin'], security, params: AkteParams, response: { 202: RetryResult, 404: ErrorBody, ...errors } }
  }, async (request, reply) => {
    const { aktennummer } = request.params
    if (!await app.store.retryNow(aktennummer)) return await reply.notFound(`Akte ${aktennummer} is neither failed nor waiting for a retry`)
    app.queue.wake()
    return await reply.code(202).send({ aktennummer, retried: true as const })
  })

  app.post('/admin/api/akten/:aktennummer/force', {
    schema: { summary: 'Sync once past the mass-delete guard (for an Akte marked blocked)', tags: ['admin'], security, params: AkteParams, response: { 202: ForceResult, ...errors } }
  }, async (request, reply) => {
    const { aktennummer } = request.params
    await app.store.setState(FORCE_NAMESPACE, aktennummer, { requestedAt: new Date().toISOString() })
    await app.store.retryNow(aktennummer)
    await app.queue.enqueue([aktennummer])
    return await reply.code(202).send({ aktennummer, forced: true as const })
  })
}

export default adminQueue
