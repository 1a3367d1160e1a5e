import type { EspoSimulator } from '../simulators/espocrm/index.js'

/**
 * The EspoCRM webhooks a production install has (what `register-webhooks`
 * sets up), created directly in the simulator: the sandbox knows the
 * service's URL before the service runs, and the secrets travel through
 * ESPOCRM_WEBHOOK_SECRETS, so nothing depends on that command existing yet.
 */
export const SANDBOX_WEBHOOK_EVENTS = [
  'Document.create',
  'Document.update',
  'Document.delete',
  'Document.fieldUpdate.file',
  'CAkte.create',
  'CAkte.update'
] as const

export interface RegisteredWebhooks {
  /** `webhookId:secret,...` for ESPOCRM_WEBHOOK_SECRETS. */
  secrets: string
  ids: string[]
}

/**
 * Owned by the service's API user with `skipOwn`, as in production: the
 * service's own writes are not echoed back, a person's writes are. `?event=`
 * tells the service which event a delivery carries (EspoCRM does not say).
 */
export function registerEspoWebhooks (espo: EspoSimulator, serviceUrl: string, apiUserId: string): RegisteredWebhooks {
  const pairs: string[] = []
  const ids: string[] = []
  for (const event of SANDBOX_WEBHOOK_EVENTS) {
    const url = `${serviceUrl}/webhooks/espocrm?event=${encodeURIComponent(event)}`
    const hook = espo.create('Webhook', { event, url, skipOwn: true }, { userId: apiUserId })
    ids.push(String(hook.id))
    pairs.push(`${String(hook.id)}:${String(hook.secretKey)}`)
  }
  return { secrets: pairs.join(','), ids }
}
