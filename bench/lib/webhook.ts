import { phpJsonEncode, signatures } from '../../src/simulators/espocrm/index.js'

/* EspoCRM webhook deliveries as EspoCRM signs them, sent straight to the service. */

export const WEBHOOK_ID = 'benchhook0000001'
export const WEBHOOK_SECRET = 'bench-webhook-secret-0001'
/** For the service's ESPOCRM_WEBHOOK_SECRETS. */
export const WEBHOOK_SECRETS = `${WEBHOOK_ID}:${WEBHOOK_SECRET}`

export interface SignedDelivery { path: string, body: string, headers: Record<string, string> }

/**
 * A user's edit of an Akte's name: EspoCRM sends the changed attributes and
 * the id, not the Aktennummer, so the service resolves the Akte through its
 * webhook index (the inbox), the path most deliveries take.
 */
export function akteEdited (akteId: string, name: string): SignedDelivery {
  const body = phpJsonEncode([{ id: akteId, name, modifiedAt: '2026-12-04 10:00:00' }])
  const { signature, legacy } = signatures(WEBHOOK_ID, WEBHOOK_SECRET, body)
  return {
    path: '/webhooks/espocrm?event=CAkte.update',
    body,
    headers: { 'content-type': 'application/json', signature, 'x-signature': legacy }
  }
}

export async function deliver (serviceUrl: string, delivery: SignedDelivery): Promise<void> {
  const res = await fetch(`${serviceUrl}${delivery.path}`, { method: 'POST', headers: delivery.headers, body: delivery.body })
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`)
  await res.arrayBuffer()
}
