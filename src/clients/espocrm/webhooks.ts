import { listRecords } from './list.js'
import { protocolError } from './transport.js'
import type { EspoTransport } from './transport.js'

export interface NewWebhook {
  /** e.g. `Document.update`, `CAkte.create`, `Document.fieldUpdate.file`. */
  event: string
  url: string
  /** Suppresses the echo of our own writes (API users only). */
  skipOwn?: boolean
}

export interface EspoWebhook {
  id: string
  event: string
  url: string
  isActive: boolean | null
  skipOwn: boolean | null
}

/** The secret is only in the create answer: keep it, EspoCRM never shows it again through the API. */
export interface CreatedWebhook extends EspoWebhook {
  secretKey: string
}

export async function createWebhook (transport: EspoTransport, webhook: NewWebhook): Promise<CreatedWebhook> {
  const answer = await transport.json<Record<string, unknown> | undefined>({
    operation: 'create webhook',
    method: 'POST',
    path: 'Webhook',
    body: { event: webhook.event, url: webhook.url, skipOwn: webhook.skipOwn ?? true }
  })
  if (typeof answer?.secretKey !== 'string' || answer.secretKey === '') throw protocolError('create webhook', 'answer has no secretKey')
  return { ...toWebhook(answer, 'create webhook'), secretKey: answer.secretKey }
}

export async function listWebhooks (transport: EspoTransport): Promise<EspoWebhook[]> {
  const raw = await listRecords(transport, 'Webhook', { orderBy: 'createdAt', order: 'asc' })
  return raw.map(r => toWebhook(r, 'list Webhook'))
}

/** False when it was already gone. */
export async function deleteWebhook (transport: EspoTransport, id: string): Promise<boolean> {
  const response = await transport.request({ operation: 'delete webhook', method: 'DELETE', path: `Webhook/${encodeURIComponent(id)}`, accept: [404] })
  await response.body.dump()
  return response.status !== 404
}

function toWebhook (raw: Record<string, unknown> | undefined, operation: string): EspoWebhook {
  if (typeof raw?.id !== 'string') throw protocolError(operation, 'webhook without id')
  return {
    id: raw.id,
    event: typeof raw.event === 'string' ? raw.event : '',
    url: typeof raw.url === 'string' ? raw.url : '',
    isActive: typeof raw.isActive === 'boolean' ? raw.isActive : null,
    skipOwn: typeof raw.skipOwn === 'boolean' ? raw.skipOwn : null
  }
}
