import { createHmac } from 'node:crypto'

/** Signs a raw body the way EspoCRM does (`Signature`, 9.0+). */
export function espoSignature (webhookId: string, secret: string, raw: string | Buffer): string {
  return Buffer.from(`${webhookId}:${createHmac('sha256', secret).update(raw).digest('hex')}`).toString('base64')
}

/** PHP's json_encode: `/` and non-ASCII escaped, as EspoCRM sends it. */
export function phpJson (value: unknown): string {
  return JSON.stringify(value).replace(/\//g, '\\/').replace(/[\u0080-\uffff]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
