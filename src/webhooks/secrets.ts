import type { Store } from '../store/types.js'
import type { EventNaming } from './espocrm-events.js'

export const WEBHOOK_REGISTRATIONS = 'espocrm-webhook'

export interface WebhookRegistration {
  secret: string
  event: string
  url: string
  createdAt: string
}

/**
 * Secrets of the EspoCRM webhooks, by webhook id: from ESPOCRM_WEBHOOK_SECRETS
 * and from what `register-webhooks` stored. Each webhook has its own secret.
 */
export class WebhookSecrets {
  private readonly configured: Map<string, string>

  constructor (private readonly store: Store, configured: string | undefined, readonly naming: EventNaming) {
    this.configured = new Map((configured ?? '').split(',').filter(Boolean).map(pair => {
      const colon = pair.indexOf(':')
      return [pair.slice(0, colon), pair.slice(colon + 1)] as [string, string]
    }))
  }

  async secretOf (webhookId: string): Promise<string | undefined> {
    return this.configured.get(webhookId) ?? (await this.store.getState<WebhookRegistration>(WEBHOOK_REGISTRATIONS, webhookId))?.secret
  }

  async eventOf (webhookId: string): Promise<string | undefined> {
    return (await this.store.getState<WebhookRegistration>(WEBHOOK_REGISTRATIONS, webhookId))?.event
  }

  async register (webhookId: string, registration: WebhookRegistration): Promise<void> {
    await this.store.setState(WEBHOOK_REGISTRATIONS, webhookId, registration)
  }
}
