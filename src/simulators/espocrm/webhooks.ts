import { randomBytes } from 'node:crypto'
import type { EntityDefs } from './entity-defs.js'
import { badRequest } from './format.js'
import type { EntityHooks, WriteContext } from './records.js'
import type { Attrs, RecordStore } from './store.js'
import { copy } from './store.js'

/**
 * Webhook subscriptions (the `Webhook` entity) and the queue of events
 * waiting for delivery. Events are matched to webhooks when they happen;
 * `skipOwn` drops events caused by the webhook's own user, which is how an
 * API user avoids hearing its own writes echoed back.
 */
export interface QueueItem {
  number: number
  webhookId: string
  event: string
  targetType: string
  targetId: string
  data: Attrs
  attempts: number
  /** Not before this time (ms); set after a failed attempt. */
  processAt: number
  status: 'Pending' | 'Success' | 'Failed'
}

const EVENT = /^([A-Za-z][A-Za-z0-9_]*)\.(create|update|delete|fieldUpdate\.([A-Za-z][A-Za-z0-9_]*))$/

export class WebhookQueue {
  readonly items: QueueItem[] = []
  private counter = 0

  constructor (private readonly store: RecordStore, private readonly defs: EntityDefs) {}

  /** Hooks for the `Webhook` entity: event check, owner and secret. */
  entityHooks (): EntityHooks {
    return {
      readOnly: ['secretKey', 'userId', 'entityType', 'type', 'field'],
      beforeCreate: (attrs: Attrs, ctx: WriteContext) => {
        const match = EVENT.exec(String(attrs.event ?? ''))
        if (match === null || this.defs[match[1] ?? ''] === undefined) throw badRequest('Not supported event.')
        if (typeof attrs.url !== 'string' || !/^https?:\/\//.test(attrs.url)) throw badRequest('Bad URL.')
        attrs.entityType = match[1]
        attrs.type = match[3] === undefined ? match[2] : 'fieldUpdate'
        attrs.field = match[3] ?? null
        attrs.userId = ctx.userId
        attrs.skipOwn = attrs.skipOwn === true
        attrs.isActive = attrs.isActive !== false
        attrs.secretKey = randomBytes(16).toString('hex')
      }
    }
  }

  /** Called for every record event; queues one item per matching webhook. */
  emit (event: string, entityType: string, targetId: string, data: Attrs, userId: string): void {
    for (const row of this.store.rows('Webhook')) {
      const hook = row.attrs
      if (hook.event !== event || hook.isActive !== true) continue
      if (hook.skipOwn === true && hook.userId === userId) continue
      this.items.push({
        number: ++this.counter,
        webhookId: String(hook.id),
        event,
        targetType: entityType,
        targetId,
        data: copy(data),
        attempts: 0,
        processAt: 0,
        status: 'Pending'
      })
    }
  }

  pending (): QueueItem[] {
    return this.items.filter(i => i.status === 'Pending').map(i => copy(i))
  }

  /** Forgets items of a webhook that is gone (410 or deleted). */
  dropFor (webhookId: string): void {
    for (let i = this.items.length - 1; i >= 0; i--) {
      const item = this.items[i]
      if (item?.webhookId === webhookId && item.status === 'Pending') this.items.splice(i, 1)
    }
  }
}
