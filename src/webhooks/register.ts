import type { EspoClient } from '../clients/espocrm/index.js'
import type { WebhookSecrets } from './secrets.js'

export interface RegistrationPlan {
  publicUrl: string
  akteEntity: string
  documentEntity: string
}

export interface RegistrationResult {
  event: string
  webhookId: string
  outcome: 'created' | 'kept' | 'replaced'
}

const ACTIONS = ['create', 'update', 'delete'] as const

/** The events this service listens to: Document changes (incl. a new file) and Akte changes. */
export function webhookEvents (plan: RegistrationPlan): string[] {
  return [
    ...ACTIONS.map(a => `${plan.documentEntity}.${a}`),
    `${plan.documentEntity}.fieldUpdate.file`,
    ...ACTIONS.map(a => `${plan.akteEntity}.${a}`)
  ]
}

export function webhookUrl (publicUrl: string, event: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/webhooks/espocrm?event=${encodeURIComponent(event)}`
}

/**
 * Creates the EspoCRM webhooks this service needs, idempotently: one per
 * event with skipOwn, so our own writes do not echo back. EspoCRM shows a
 * webhook's secret only once, at creation; a webhook whose secret we do not
 * hold is replaced, and duplicates are removed.
 */
export async function registerWebhooks (espo: EspoClient, secrets: WebhookSecrets, plan: RegistrationPlan): Promise<RegistrationResult[]> {
  const existing = await espo.listWebhooks()
  const results: RegistrationResult[] = []
  for (const event of webhookEvents(plan)) {
    const url = webhookUrl(plan.publicUrl, event)
    const matching = existing.filter(w => w.event === event && w.url === url)
    let keep: string | undefined
    for (const webhook of matching) {
      if (keep === undefined && webhook.isActive !== false && webhook.skipOwn !== false && await secrets.secretOf(webhook.id) !== undefined) keep = webhook.id
      else await espo.deleteWebhook(webhook.id)
    }
    if (keep !== undefined) {
      results.push({ event, webhookId: keep, outcome: 'kept' })
      continue
    }
    const created = await espo.createWebhook({ event, url, skipOwn: true })
    await secrets.register(created.id, { secret: created.secretKey, event, url, createdAt: new Date().toISOString() })
    results.push({ event, webhookId: created.id, outcome: matching.length > 0 ? 'replaced' : 'created' })
  }
  return results
}
