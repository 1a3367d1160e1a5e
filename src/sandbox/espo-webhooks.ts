import type { FastifyInstance } from 'fastify'
import { registerWebhooks, type RegistrationResult } from '../webhooks/register.js'

/**
 * The EspoCRM webhooks a production install has, registered the way
 * production does it (`POST /admin/api/webhooks/register`): through the
 * service's EspoCRM client as its API user, with skipOwn, the secrets kept in
 * the store. So the sandbox exercises the real signature check, and a
 * person's change in EspoCRM reaches the service while the service's own
 * writes are not echoed back.
 */
export async function registerSandboxWebhooks (app: FastifyInstance, publicUrl: string): Promise<RegistrationResult[]> {
  const espo = app.clients.espocrm
  if (espo === undefined) throw new Error('sandbox: the EspoCRM client is not configured')
  return await registerWebhooks(espo, app.webhookSecrets, {
    publicUrl,
    akteEntity: app.config.ESPOCRM_AKTE_ENTITY,
    documentEntity: app.config.ESPOCRM_DOCUMENT_ENTITY
  })
}
