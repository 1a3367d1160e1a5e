import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import { isExternalError } from '../clients/errors.js'
import type { Store } from '../store/types.js'
import type { RoutedItem } from './espocrm-events.js'

/** Items whose Akte is not known yet; kept in the store until resolved, so no event is lost. */
export type PendingItem = Extract<RoutedItem, { kind: 'akte-id' | 'document' }>

interface InboxBatch {
  receivedAt: number
  items: PendingItem[]
}

/** How the inbox finds Aktennummern; EspoCRM answers what the local indexes do not know. */
export interface AkteLookup {
  aktennummerOfAkteId: (akteId: string) => Promise<string | null>
  akteIdOfDocument: (documentId: string) => Promise<string | null>
}

export const INBOX = 'webhook-inbox'
export const AKTE_BY_ID = 'akte-by-id'
export const AKTE_OF_DOCUMENT = 'akte-of-document'

/**
 * The webhook route answers EspoCRM at once; lookups that need EspoCRM run
 * here, from the store, so a slow or failing EspoCRM delays an event but
 * never drops it.
 */
export class WebhookInbox {
  private running: Promise<number> | undefined

  constructor (
    private readonly store: Store,
    private readonly lookup: AkteLookup,
    private readonly enqueue: (aktennummern: string[]) => Promise<unknown>,
    private readonly log: FastifyBaseLogger
  ) {}

  async add (items: PendingItem[]): Promise<void> {
    if (items.length === 0) return
    await this.store.setState(INBOX, `${Date.now()}-${randomUUID()}`, { receivedAt: Date.now(), items } satisfies InboxBatch)
  }

  /** Resolves what it can; batches with items EspoCRM could not answer for stay. Returns batches left. */
  async process (): Promise<number> {
    this.running ??= this.processAll().finally(() => { this.running = undefined })
    return await this.running
  }

  private async processAll (): Promise<number> {
    let left = 0
    for (const id of await this.store.listStateIds(INBOX)) {
      const batch = await this.store.getState<InboxBatch>(INBOX, id)
      if (batch === undefined) continue
      const unresolved: PendingItem[] = []
      const found = new Set<string>()
      for (const item of batch.items) {
        try {
          const nr = await this.resolve(item)
          if (nr !== null) found.add(nr)
          else this.log.warn({ item }, 'webhook event names no known Akte; dropped')
        } catch (error) {
          if (isExternalError(error) && !error.transient) {
            this.log.warn({ item, err: error }, 'webhook event cannot be resolved; dropped')
          } else {
            unresolved.push(item)
          }
        }
      }
      if (found.size > 0) await this.enqueue([...found])
      if (unresolved.length === 0) await this.store.deleteState(INBOX, id)
      else {
        left++
        if (unresolved.length < batch.items.length) await this.store.setState(INBOX, id, { ...batch, items: unresolved })
      }
    }
    return left
  }

  private async resolve (item: PendingItem): Promise<string | null> {
    if (item.kind === 'akte-id') return await this.aktennummerOf(item.akteId)
    const known = await this.store.getState<string>(AKTE_OF_DOCUMENT, item.documentId)
    if (known !== undefined) return known
    if (item.deleted) return null
    const akteId = await this.lookup.akteIdOfDocument(item.documentId)
    return akteId === null ? null : await this.aktennummerOf(akteId)
  }

  private async aktennummerOf (akteId: string): Promise<string | null> {
    const cached = await this.store.getState<string>(AKTE_BY_ID, akteId)
    if (cached !== undefined) return cached
    const nr = await this.lookup.aktennummerOfAkteId(akteId)
    if (nr !== null) await this.store.setState(AKTE_BY_ID, akteId, nr)
    return nr
  }
}
