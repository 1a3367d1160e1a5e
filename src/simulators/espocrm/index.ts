import type { FastifyInstance } from 'fastify'
import { readFile } from 'node:fs/promises'
import { Faults } from '../faults.js'
import { AttachmentFiles } from './attachment-files.js'
import type { SeedAttachment } from './attachments.js'
import { Attachments } from './attachments.js'
import type { NewUser, SimUser } from './auth.js'
import { Users } from './auth.js'
import type { SimContext } from './context.js'
import type { EspoSimulatorOptions } from './options.js'
import { resolveOptions } from './options.js'
import { Records } from './records.js'
import { buildServer } from './server.js'
import type { Attrs } from './store.js'
import { RecordStore } from './store.js'
import type { DeliveryLogEntry } from './webhook-sender.js'
import { WebhookSender } from './webhook-sender.js'
import type { QueueItem } from './webhooks.js'
import { WebhookQueue } from './webhooks.js'
import { makeCollation } from './where.js'

/**
 * A faithful EspoCRM REST simulator: a real HTTP server for the service
 * under test, plus an in-process API for tests to seed and inspect state.
 * In-process `create`/`update`/`remove` act like a person in the UI (admin
 * user `1` unless another `userId` is given): validation and webhooks apply.
 * `seed*` writes rows directly, without either.
 */
export type { EspoSimulatorOptions } from './options.js'
export type { SimUser, NewUser } from './auth.js'
export type { DeliveryLogEntry } from './webhook-sender.js'
export type { QueueItem } from './webhooks.js'
export type { SeedAttachment } from './attachments.js'
export { hmacHeader } from './auth.js'
export { signatures } from './webhook-sender.js'
export { phpJsonEncode } from './php-json.js'

export interface WriteOptions {
  /** The acting user (default `1`, the admin); matters for `skipOwn`. */
  userId?: string
}

export class EspoSimulator {
  readonly faults: Faults
  /** `http://127.0.0.1:PORT/api/v1/` once listening. */
  url = ''
  /** Origin for the `/__sim/` routes, e.g. `http://127.0.0.1:PORT`. */
  origin = ''

  private constructor (private readonly ctx: SimContext, readonly app: FastifyInstance) {
    this.faults = ctx.faults
  }

  static async create (options: EspoSimulatorOptions = {}): Promise<EspoSimulator> {
    const resolved = resolveOptions(options)
    const store = new RecordStore()
    const users = new Users(resolved.maxFailedLogins, resolved.lockoutWindowMs, resolved.clock)
    const files = await AttachmentFiles.open(resolved.dataDir)
    const queue = new WebhookQueue(store, resolved.entityDefs)
    const ctx = { options: resolved, store, users, files, queue, faults: new Faults() } as SimContext
    ctx.records = new Records({
      store,
      defs: resolved.entityDefs,
      clock: resolved.clock,
      collation: makeCollation(resolved.collation),
      userName: id => users.get(id)?.userName,
      attachmentExists: id => ctx.attachments.exists(id),
      removeAttachment: id => { ctx.attachments.remove(id) },
      emit: (event, entityType, id, data, userId) => { queue.emit(event, entityType, id, data, userId) },
      hooks: { Webhook: queue.entityHooks() }
    })
    ctx.attachments = new Attachments(ctx.records, store, files, resolved)
    ctx.sender = new WebhookSender(queue, store, resolved)
    ctx.state = { maintenance: false }
    ctx.counts = new Map()
    ctx.requestUser = new WeakMap()
    const app = await buildServer(ctx)
    return new EspoSimulator(ctx, app)
  }

  async listen (port = 0, host = '127.0.0.1'): Promise<string> {
    await this.app.listen({ port, host })
    const address = this.app.server.address()
    const actualPort = typeof address === 'object' && address !== null ? address.port : port
    this.origin = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`
    this.url = `${this.origin}/api/v1/`
    this.ctx.sender.start()
    return this.url
  }

  async close (): Promise<void> {
    await this.ctx.sender.close()
    await this.app.close()
    await this.ctx.files.close()
  }

  get dataDir (): string { return this.ctx.files.dir }

  addUser (user: NewUser): SimUser { return this.ctx.users.add(user) }
  setMaintenance (enabled: boolean): void { this.ctx.state.maintenance = enabled }
  resetLockout (): void { this.ctx.users.resetLockout() }

  seed (entityType: string, attrs: Attrs = {}): Attrs { return this.ctx.records.seed(entityType, attrs) }
  async seedAttachment (input: SeedAttachment): Promise<Attrs> { return await this.ctx.attachments.seed(input) }

  create (entityType: string, attrs: Attrs, options: WriteOptions = {}): Attrs {
    return this.ctx.records.create(entityType, attrs, { userId: options.userId ?? '1' })
  }

  update (entityType: string, id: string, attrs: Attrs, options: WriteOptions = {}): Attrs {
    return this.ctx.records.update(entityType, id, attrs, { userId: options.userId ?? '1' })
  }

  remove (entityType: string, id: string, options: WriteOptions = {}): void {
    this.ctx.records.remove(entityType, id, { userId: options.userId ?? '1' })
  }

  /** A record as the API would show it; deleted ones too (with `deleted: true`). */
  get (entityType: string, id: string): Attrs | undefined { return this.ctx.records.find(entityType, id, true) }
  list (entityType: string, options: { withDeleted?: boolean } = {}): Attrs[] {
    return this.ctx.records.all(entityType, options.withDeleted ?? false)
  }

  attachmentPath (id: string): string { return this.ctx.files.path(id) }
  attachmentFileExists (id: string): boolean { return this.ctx.attachments.fileExists(id) }
  async readAttachment (id: string): Promise<Buffer> { return await readFile(this.ctx.files.path(id)) }

  /** Requests per route, keyed like `GET /api/v1/Document/:id`. */
  requestCounts (): Record<string, number> { return Object.fromEntries(this.ctx.counts) }
  /** Total API requests, optionally only those whose key contains `match`. */
  countRequests (match?: string): number {
    let total = 0
    for (const [key, n] of this.ctx.counts) if (match === undefined || key.includes(match)) total += n
    return total
  }

  resetRequestCounts (): void { this.ctx.counts.clear() }

  /** One delivery run, as EspoCRM's cron does; resolves to batches sent. */
  async deliverWebhooks (): Promise<number> { return await this.ctx.sender.deliverNow() }
  /** Delivery runs until nothing is due. */
  async deliverAllWebhooks (): Promise<number> { return await this.ctx.sender.deliverAll() }
  get deliveryLog (): readonly DeliveryLogEntry[] { return this.ctx.sender.log }
  pendingWebhookItems (): QueueItem[] { return this.ctx.queue.pending() }
}

export async function createEspoSimulator (options: EspoSimulatorOptions = {}): Promise<EspoSimulator> {
  return await EspoSimulator.create(options)
}
