import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorBody } from '../../../http/schemas.js'
import { loadResults } from '../../../dashboard/load.js'
import { AktenList, AktenQuery } from './schemas.js'

const DEFAULT_LIMIT = 500

/** Akten with their last sync result, for the CLI and scripts (the dashboard renders the same data). */
const aktenList: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/admin/api/akten', {
    schema: {
      summary: 'Akten with their last sync result, newest first',
      tags: ['admin'],
      security: [{ adminToken: [] }],
      querystring: AktenQuery,
      response: { 200: AktenList, 400: ErrorBody, 401: ErrorBody, 503: ErrorBody }
    }
  }, async (request) => {
    const { status, limit } = request.query
    const results = (await loadResults(app.store)).filter(r => status === undefined || r.status === status)
    return { total: results.length, akten: results.slice(0, limit === undefined ? DEFAULT_LIMIT : Number(limit)) }
  })
}

export default aktenList
