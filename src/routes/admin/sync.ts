import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ErrorBody } from '../../http/schemas.js'
import { RESULT_NAMESPACE, type SyncSummary } from '../../sync/summary.js'
import { AkteParams } from './schemas.js'
import { SyncSummarySchema } from './sync-schemas.js'

/** The dry-run plan of an Akte, and the last result the engine recorded. */
const adminSync: FastifyPluginAsyncTypebox = async (app) => {
  const security = [{ adminToken: [] }]

  app.get('/admin/api/akten/:aktennummer/plan', {
    schema: {
      summary: 'What a sync of this Akte would do now (dry run: nothing is written)',
      tags: ['admin'],
      security,
      params: AkteParams,
      querystring: Type.Object({ force: Type.Optional(Type.Boolean({ description: 'plan as a forced sync would (past the mass-delete guard)' })) }),
      response: { 200: SyncSummarySchema, 400: ErrorBody, 401: ErrorBody, 503: ErrorBody }
    }
  }, async (request, reply) => {
    if (app.syncService === undefined) {
      return await reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: 'the sync engine needs EspoCRM, Advoware and the Watcher configured' })
    }
    return await app.syncService.syncNow({ aktennummer: request.params.aktennummer, dryRun: true, force: request.query.force === true })
  })

  app.get('/admin/api/akten/:aktennummer/result', {
    schema: {
      summary: 'The last sync result of this Akte',
      tags: ['admin'],
      security,
      params: AkteParams,
      response: { 200: SyncSummarySchema, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 503: ErrorBody }
    }
  }, async (request, reply) => {
    const result = await app.store.getState<SyncSummary>(RESULT_NAMESPACE, request.params.aktennummer)
    if (result === undefined) return await reply.notFound(`no sync of Akte ${request.params.aktennummer} has finished yet`)
    return result
  })
}

export default adminSync
