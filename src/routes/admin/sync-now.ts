import { PassThrough } from 'node:stream'
import type { FastifyReply } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ErrorBody } from '../../http/schemas.js'
import type { SyncProgressEvent } from '../../sync/progress.js'
import { AkteParams } from './schemas.js'

/**
 * One Akte synced now, inside the service (its store, its lock), with the
 * progress streamed as NDJSON: what `advoware-sync sync` draws its progress
 * bar from. The last line is `{"type":"result","summary":...}`.
 */
const adminSyncNow: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/admin/api/akten/:aktennummer/sync', {
    schema: {
      summary: 'Sync one Akte now; progress and the result stream back as NDJSON',
      tags: ['admin'],
      security: [{ adminToken: [] }],
      params: AkteParams,
      querystring: Type.Object({
        dryRun: Type.Optional(Type.Boolean()),
        force: Type.Optional(Type.Boolean({ description: 'past the mass-delete guard' }))
      }),
      produces: ['application/x-ndjson'],
      response: { 200: Type.String({ description: 'NDJSON: progress events, then the result' }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 503: ErrorBody }
    }
  }, async (request, reply) => {
    const service = app.syncService
    if (service === undefined) {
      return await reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: 'the sync engine needs EspoCRM, Advoware and the Watcher configured' })
    }
    const { aktennummer } = request.params
    const stream = new PassThrough()
    const send = (line: unknown): void => { stream.write(`${JSON.stringify(line)}\n`) }
    const abort = new AbortController()
    request.raw.once('close', () => { if (!stream.writableEnded) abort.abort(new Error('client went away')) })

    let started!: () => void
    const lockTaken = new Promise<void>(resolve => { started = resolve })
    const run = app.store.withLock({ kind: 'akte', aktennummer }, { ttlMs: app.config.SYNC_LOCK_TTL_MS }, async lockSignal => {
      started()
      return await service.syncNow({
        aktennummer,
        dryRun: request.query.dryRun === true,
        force: request.query.force === true,
        signal: AbortSignal.any([abort.signal, lockSignal]),
        onProgress: (event: SyncProgressEvent) => { send({ type: 'progress', event }) }
      })
    })
    const first = await Promise.race([lockTaken.then(() => 'running' as const), run.then(r => r)])
    if (first !== 'running' && !first.acquired) {
      return await reply.code(409).send({ statusCode: 409, error: 'Conflict', message: `Akte ${aktennummer} is syncing right now; try again when it is done` })
    }
    run.then(result => {
      if (result.acquired) send({ type: 'result', summary: result.value })
      stream.end()
    }, error => {
      request.log.error({ err: error }, 'foreground sync failed')
      send({ type: 'error', message: 'the sync failed; see the service log' })
      stream.end()
    })
    // The schema documents the NDJSON text; the body itself is a stream.
    return await (reply as FastifyReply).type('application/x-ndjson').send(stream)
  })
}

export default adminSyncNow
