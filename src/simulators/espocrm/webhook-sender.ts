import { createHmac } from 'node:crypto'
import { Agent, request } from 'undici'
import type { ResolvedOptions } from './options.js'
import { phpJsonEncode } from './php-json.js'
import type { Attrs, RecordStore } from './store.js'
import type { QueueItem, WebhookQueue } from './webhooks.js'

/**
 * EspoCRM's webhook sender: per run, up to `portionSize` webhooks each get
 * one POST of up to `batchSize` due items, signed over the PHP-encoded raw
 * body. The answer decides the items' fate exactly as EspoCRM's queue does.
 */
export type DeliveryOutcome = 'success' | 'retry' | 'failed' | 'dropped'

export interface DeliveryLogEntry {
  at: number
  webhookId: string
  url: string
  events: string[]
  items: number
  /** The highest attempt number among the batch's items (1 = first try). */
  attempt: number
  /** HTTP status; 408 for a timeout, 0 when no answer came. */
  status: number
  outcome: DeliveryOutcome
  error?: string
  body: string
}

const RETRY_CODES = new Set([401, 403, 404, 405, 408, 500, 503])
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

export function signatures (webhookId: string, secretKey: string, body: string): { signature: string, legacy: string } {
  const mac = createHmac('sha256', secretKey).update(body).digest()
  return {
    signature: Buffer.from(`${webhookId}:${mac.toString('hex')}`).toString('base64'),
    legacy: Buffer.concat([Buffer.from(`${webhookId}:`), mac]).toString('base64')
  }
}

export class WebhookSender {
  readonly log: DeliveryLogEntry[] = []
  private readonly agent: Agent
  private chain: Promise<unknown> = Promise.resolve()
  private busy = 0
  private timer: NodeJS.Timeout | undefined

  constructor (
    private readonly queue: WebhookQueue,
    private readonly store: RecordStore,
    private readonly options: ResolvedOptions
  ) {
    this.agent = new Agent({ connect: { timeout: options.webhooks.connectTimeoutMs } })
  }

  start (): void {
    const interval = this.options.webhooks.intervalMs
    if (interval === undefined || this.timer !== undefined) return
    this.timer = setInterval(() => { if (this.busy === 0) void this.deliverNow().catch(() => {}) }, interval)
    this.timer.unref()
  }

  /** One delivery run (what EspoCRM's cron job does); resolves to batches sent. */
  deliverNow (): Promise<number> {
    this.busy++
    const run = this.chain.then(async () => await this.run()).finally(() => { this.busy-- })
    this.chain = run.catch(() => {})
    return run
  }

  /** Runs until nothing is due; retries with a zero delay are included. */
  async deliverAll (): Promise<number> {
    let total = 0
    for (let i = 0; i < 10_000; i++) {
      const sent = await this.deliverNow()
      if (sent === 0) break
      total += sent
    }
    return total
  }

  async close (): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
    // abort a delivery in flight rather than wait up to the webhook timeout
    await this.agent.destroy()
    await this.chain
  }

  private async run (): Promise<number> {
    const now = this.options.clock()
    const due = this.queue.items.filter(i => i.status === 'Pending' && i.processAt <= now).sort((a, b) => a.number - b.number)
    const webhookIds = [...new Set(due.map(i => i.webhookId))].slice(0, this.options.webhooks.portionSize)
    let sent = 0
    for (const webhookId of webhookIds) {
      const items = due.filter(i => i.webhookId === webhookId).slice(0, this.options.webhooks.batchSize)
      const webhook = this.store.row('Webhook', webhookId)?.attrs
      if (webhook === undefined || webhook.isActive !== true) {
        this.queue.dropFor(webhookId)
        continue
      }
      await this.sendBatch(webhook, items)
      sent++
    }
    return sent
  }

  private async sendBatch (webhook: Attrs, items: QueueItem[]): Promise<void> {
    const webhookId = String(webhook.id)
    const body = phpJsonEncode(items.map(i => i.data))
    const { status, error } = await this.post(webhookId, String(webhook.url), String(webhook.secretKey ?? ''), body)
    const attempt = Math.max(...items.map(i => i.attempts)) + 1
    let outcome: DeliveryOutcome
    if (status >= 200 && status < 400) {
      outcome = 'success'
      for (const item of items) Object.assign(item, { attempts: item.attempts + 1, status: 'Success' })
    } else if (status === 410) {
      outcome = 'dropped'
      this.queue.dropFor(webhookId)
      const row = this.store.row('Webhook', webhookId)
      if (row !== undefined) row.deleted = true
    } else {
      const retry = RETRY_CODES.has(status)
      outcome = 'failed'
      for (const item of items) {
        item.attempts++
        if (retry && item.attempts < this.options.webhooks.maxAttempts) {
          item.processAt = this.options.clock() + this.options.webhooks.retryDelayMs
          outcome = 'retry'
        } else {
          item.status = 'Failed'
        }
      }
    }
    const entry: DeliveryLogEntry = {
      at: this.options.clock(), webhookId, url: String(webhook.url), events: items.map(i => i.event),
      items: items.length, attempt, status, outcome, body
    }
    if (error !== undefined) entry.error = error
    this.log.push(entry)
    if (this.log.length > 10_000) this.log.splice(0, 5_000)
  }

  private async post (webhookId: string, url: string, secretKey: string, body: string): Promise<{ status: number, error?: string }> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' }
    if (secretKey !== '') {
      const { signature, legacy } = signatures(webhookId, secretKey, body)
      headers.Signature = signature
      if (this.options.webhooks.legacySignature) headers['X-Signature'] = legacy
    }
    try {
      const res = await request(url, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.options.webhooks.timeoutMs)
      })
      await res.body.dump({ limit: 1024 * 1024 })
      return { status: res.statusCode }
    } catch (e) {
      const err = e as { name?: string, code?: string, message?: string }
      // curl's CURLE_OPERATION_TIMEDOUT (connect or total) becomes 408
      if (err.name === 'TimeoutError' || err.name === 'AbortError' || TIMEOUT_CODES.has(err.code ?? '')) {
        return { status: 408, error: err.code ?? err.name }
      }
      return { status: 0, error: err.code ?? err.message }
    }
  }
}
