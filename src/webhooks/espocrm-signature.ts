import { createHmac, timingSafeEqual } from 'node:crypto'

/** The secret of one EspoCRM webhook, by the webhook id named inside its signature. */
export type WebhookSecretLookup = (webhookId: string) => Promise<string | undefined>

export type SignatureCheck =
  | { ok: true, webhookId: string, scheme: 'Signature' | 'X-Signature' }
  | { ok: false, reason: string }

const WEBHOOK_ID = /^[A-Za-z0-9]{1,64}$/

/**
 * Verifies EspoCRM's webhook signature over the raw request bytes, before
 * anything is parsed. `Signature` is base64(id + ':' + hex HMAC-SHA256); the
 * legacy `X-Signature` (until EspoCRM 11) is base64(id + ':' + raw HMAC bytes).
 */
export async function verifyEspoSignature (
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
  lookup: WebhookSecretLookup
): Promise<SignatureCheck> {
  const modern = single(headers.signature)
  const legacy = single(headers['x-signature'])
  if (modern === undefined && legacy === undefined) return { ok: false, reason: 'no Signature header' }
  const scheme = modern !== undefined ? 'Signature' : 'X-Signature'
  const decoded = Buffer.from((modern ?? legacy) as string, 'base64')
  const colon = decoded.indexOf(0x3a)
  if (colon <= 0) return { ok: false, reason: 'malformed signature' }
  const webhookId = decoded.subarray(0, colon).toString('latin1')
  if (!WEBHOOK_ID.test(webhookId)) return { ok: false, reason: 'malformed signature' }
  const secret = await lookup(webhookId)
  if (secret === undefined) return { ok: false, reason: 'unknown webhook' }
  const digest = createHmac('sha256', secret).update(rawBody).digest()
  const expected = scheme === 'Signature' ? Buffer.from(digest.toString('hex'), 'latin1') : digest
  const given = decoded.subarray(colon + 1)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' }
  return { ok: true, webhookId, scheme }
}

function single (value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value
  return first === undefined || first.trim() === '' ? undefined : first.trim()
}
