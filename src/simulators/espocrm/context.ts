import type { FastifyRequest } from 'fastify'
import type { Faults } from '../faults.js'
import type { AttachmentFiles } from './attachment-files.js'
import type { Attachments } from './attachments.js'
import type { SimUser, Users } from './auth.js'
import type { ResolvedOptions } from './options.js'
import type { Records } from './records.js'
import type { RecordStore } from './store.js'
import type { WebhookSender } from './webhook-sender.js'
import type { WebhookQueue } from './webhooks.js'

/** Everything the route modules share; built once per simulator. */
export interface SimContext {
  options: ResolvedOptions
  store: RecordStore
  records: Records
  users: Users
  files: AttachmentFiles
  attachments: Attachments
  queue: WebhookQueue
  sender: WebhookSender
  faults: Faults
  state: { maintenance: boolean }
  /** Requests per `METHOD /api/v1/{Entity}/...` route pattern. */
  counts: Map<string, number>
  /** The authenticated user of each API request. */
  requestUser: WeakMap<FastifyRequest, SimUser>
}

export function userOf (ctx: SimContext, request: FastifyRequest): SimUser {
  const user = ctx.requestUser.get(request)
  if (user === undefined) throw new Error('request was not authenticated')
  return user
}
