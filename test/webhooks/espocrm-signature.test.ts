import { createHmac } from 'node:crypto'
import t from 'tap'
import { verifyEspoSignature } from '../../src/webhooks/espocrm-signature.js'

const secrets: Record<string, string> = { '6621a7b3c9d0e1f23': 'first-secret', '7731b8c4d0e1f2a34': 'second-secret' }
const lookup = async (id: string): Promise<string | undefined> => secrets[id]
// PHP's json_encode escapes '/' and non-ASCII: the signature covers exactly these bytes.
const raw = Buffer.from('[{"id":"6621a7b3c9d0e1f99","name":"Klage M\\u00fcller 12\\/2026.pdf"}]', 'latin1')

function modern (id: string, secret: string, body: Buffer): string {
  return Buffer.from(`${id}:${createHmac('sha256', secret).update(body).digest('hex')}`).toString('base64')
}
function legacy (id: string, secret: string, body: Buffer): string {
  return Buffer.concat([Buffer.from(`${id}:`), createHmac('sha256', secret).update(body).digest()]).toString('base64')
}

t.test('accepts a valid Signature and a valid legacy X-Signature', async t => {
  t.same(await verifyEspoSignature(raw, { signature: modern('6621a7b3c9d0e1f23', 'first-secret', raw) }, lookup),
    { ok: true, webhookId: '6621a7b3c9d0e1f23', scheme: 'Signature' })
  t.same(await verifyEspoSignature(raw, { 'x-signature': legacy('7731b8c4d0e1f2a34', 'second-secret', raw) }, lookup),
    { ok: true, webhookId: '7731b8c4d0e1f2a34', scheme: 'X-Signature' })
})

t.test('prefers Signature over X-Signature', async t => {
  const result = await verifyEspoSignature(raw, { signature: modern('6621a7b3c9d0e1f23', 'first-secret', raw), 'x-signature': 'garbage' }, lookup)
  t.equal(result.ok, true)
})

t.test('refuses what does not verify', async t => {
  const cases: Array<[string, Record<string, string>, Buffer, string]> = [
    ['no header', {}, raw, 'no Signature header'],
    ['empty header', { signature: ' ' }, raw, 'no Signature header'],
    ['not base64 of id:mac', { signature: Buffer.from('nocolon').toString('base64') }, raw, 'malformed signature'],
    ['hostile id', { signature: Buffer.from('../../etc:abc').toString('base64') }, raw, 'malformed signature'],
    ['unknown webhook', { signature: modern('0000000000000000f', 'first-secret', raw) }, raw, 'unknown webhook'],
    ['other webhook\'s secret', { signature: modern('6621a7b3c9d0e1f23', 'second-secret', raw) }, raw, 'signature mismatch'],
    ['body changed by one byte', { signature: modern('6621a7b3c9d0e1f23', 'first-secret', raw) }, Buffer.from(raw.toString('latin1').replace('\\/', '/'), 'latin1'), 'signature mismatch'],
    ['legacy mac in the modern header', { signature: legacy('6621a7b3c9d0e1f23', 'first-secret', raw) }, raw, 'signature mismatch'],
    ['truncated mac', { signature: Buffer.from('6621a7b3c9d0e1f23:abcd').toString('base64') }, raw, 'signature mismatch']
  ]
  for (const [name, headers, body, reason] of cases) {
    t.same(await verifyEspoSignature(body, headers, lookup), { ok: false, reason }, name)
  }
})
