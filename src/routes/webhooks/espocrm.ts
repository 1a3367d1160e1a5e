import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { isValidAktennummer } from '../../domain/aktennummer.js'
import { ErrorBody } from '../../http/schemas.js'
import { parseEvent, parsePayload, routeItem } from '../../webhooks/espocrm-events.js'
import { verifyEspoSignature } from '../../webhooks/espocrm-signature.js'
import type { PendingItem } from '../../webhooks/inbox.js'

const Received = Type.Object({
  received: Type.Integer({ description: 'events in the batch' }),
  enqueued: Type.Array(Type.String(), { description: 'Aktennummern added to the queue now' }),
  deferred: Type.Integer({ description: 'events whose Akte is looked up in EspoCRM in the background' }),
  ignored: Type.Integer({ description: 'echoes of our own writes and events without changes' })
})

/**
 * EspoCRM's webhook deliveries. The signature is checked over the raw bytes
 * before anything is parsed. Status codes follow EspoCRM's retry rules: 401
 * and 503 are retried by EspoCRM, 400 is not; 410 (which would delete the
 * webhook), 502 and 504 are never answered.
 */
const espocrmWebhook: FastifyPluginAsyncTypebox = async (app) => {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => { done(null, body) })

  app.post('/webhooks/espocrm', {
    bodyLimit: 1024 * 1024,
    schema: {
      summary: 'EspoCRM webhook: enqueue the Akten of changed Documents and Akten',
      tags: ['webhooks'],
      querystring: Type.Object({ event: Type.Optional(Type.String({ maxLength: 100 })) }),
      headers: Type.Object({ signature: Type.Optional(Type.String()), 'x-signature': Type.Optional(Type.String()) }),
      response: { 200: Received, 400: ErrorBody, 401: ErrorBody, 503: ErrorBody }
    }
  }, async (request, reply) => {
    const outcome = (name: string): void => { app.metrics.webhooks.inc({ source: 'espocrm', outcome: name }) }
    // A request without a body (and so without a content type) reaches here with none: it is checked
    // as empty bytes, not handed to the HMAC as undefined (which threw and was answered as a store outage).
    const body = request.body as unknown
    const raw = Buffer.isBuffer(body) ? body : Buffer.alloc(0)
    let check
    try {
      check = await verifyEspoSignature(raw, request.headers, async id => await app.webhookSecrets.secretOf(id))
    } catch (error) {
      request.log.warn({ err: error }, 'store unavailable; webhook refused for a retry')
      outcome('unavailable')
      return await reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: 'try again later' })
    }
    if (!check.ok) {
      outcome('unauthorized')
      return await reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: check.reason })
    }
    const payload = parsePayload(raw)
    if (!payload.ok) {
      outcome('malformed')
      return await reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: payload.reason })
    }
    const naming = app.webhookSecrets.naming
    const event = parseEvent(request.query.event ?? await app.webhookSecrets.eventOf(check.webhookId).catch(() => undefined), naming)
    const enqueue = new Set<string>()
    const deferred: PendingItem[] = []
    let ignored = 0
    for (const item of payload.items) {
      const routed = routeItem(item, event, naming)
      if (routed.kind === 'ignore') ignored++
      else if (routed.kind === 'aktennummer') {
        if (isValidAktennummer(routed.aktennummer)) enqueue.add(routed.aktennummer)
        else { ignored++; request.log.warn({ id: item.id }, 'Akte event with an invalid Aktennummer ignored') }
      } else deferred.push(routed)
    }
    try {
      await app.webhookInbox.add(deferred)
      if (enqueue.size > 0) await app.queue.enqueue([...enqueue])
    } catch (error) {
      request.log.warn({ err: error }, 'store unavailable; webhook refused for a retry')
      outcome('unavailable')
      return await reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: 'try again later' })
    }
    if (deferred.length > 0) app.webhookInbox.kick()
    outcome('accepted')
    request.log.info({ webhookId: check.webhookId, received: payload.items.length, enqueued: [...enqueue], deferred: deferred.length, ignored }, 'EspoCRM webhook accepted')
    return { received: payload.items.length, enqueued: [...enqueue], deferred: deferred.length, ignored }
  })
}

export default espocrmWebhook
