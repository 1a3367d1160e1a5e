import fc from 'fast-check'
import { createHmac } from 'node:crypto'
import type { InjectOptions } from 'fastify'
import { espoSignature } from '../../helpers/espo-webhook.js'

/*
 * Generated webhook requests: hostile bodies (malformed JSON, deep nesting,
 * prototype keys, non-string ids, 51 items, more than the body limit, bytes
 * that are not UTF-8) under every kind of credential, good and forged.
 */

export const HOOK_ID = '6621a7b3c9d0e1f23'
export const HOOK_SECRET = 'fuzz-webhook-secret-0001'
export const PUSH_TOKEN = 'fuzz-push-token-0001'
export const BODY_LIMIT = 1024 * 1024

export interface FuzzCase {
  route: 'espocrm' | 'watcher'
  /** Credentials that do not prove the sender (no, wrong or replayed signature or token). */
  forged: boolean
  credential: string
  body: Buffer
  contentType: string | null
  event: string | null
}

const id = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[0-9a-f]{17}$/) },
  fc.constantFrom<unknown>(123, -1, 1e308, null, true, {}, [], '', 'a'.repeat(65), '../x', '__proto__', 'x y', 'ü', '6621a7b3c9d0e1f2\u0000')
)
const aktennummer = fc.oneof(
  fc.stringMatching(/^[0-9]{1,5}\/20[0-9]{2}$/),
  fc.constantFrom<unknown>('../etc', '..', '/abs', ' lead', 'x'.repeat(65), 'a\u0000b', 'Akte\u202e', 7, null, { $ne: 1 }, ['1'])
)
const protoKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__')

/** One event item, as raw JSON text (so that `__proto__` can be an own key, as a sender can make it). */
const itemText: fc.Arbitrary<string> = fc.record({
  id,
  extras: fc.array(fc.tuple(fc.oneof(protoKey, fc.constantFrom('akteId', 'aktennummer', 'name', 'fileId', 'windowsPath', 'modifiedAt'), fc.string({ maxLength: 8 })),
    fc.oneof(id, aktennummer, fc.constant({ polluted: 'yes', prototype: { polluted: 'yes' } }), fc.string())), { maxLength: 6 })
}).map(({ id, extras }) => `{${[`"id":${JSON.stringify(id)}`, ...extras.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)].join(',')}}`)

const nested = (depth: number, open: string, close: string, inner = '1'): string => open.repeat(depth) + inner + close.repeat(depth)

export const bodyArb: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 6, arbitrary: fc.array(itemText, { maxLength: 8 }).map(items => `[${items.join(',')}]`) },
  { weight: 1, arbitrary: fc.integer({ min: 49, max: 52 }).map(n => `[${Array.from({ length: n }, (_, i) => `{"id":"6621a7b3c9d0e1${String(i).padStart(3, '0')}"}`).join(',')}]`) },
  { weight: 2, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom('', 'null', '{}', '"x"', '1', 'true', '[', '[{', '[{"id":', '[{"id":"6621a7b3c9d0e1f99"}', '{"akte":', '\ufeff[]') },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 200_000 }).map(d => nested(d, '[', ']')) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 50_000 }).map(d => `[{"id":"6621a7b3c9d0e1f99","x":${nested(d, '{"a":', '}')}}]`) },
  { weight: 1, arbitrary: fc.record({ akte: aktennummer, paths: fc.option(fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 })) }).map(b => JSON.stringify(b)) },
  { weight: 1, arbitrary: fc.constantFrom('{"akte":"1","__proto__":{"polluted":"yes"}}', '{"akte":"1","constructor":{"prototype":{"polluted":"yes"}}}', `{"akte":"1","paths":[${'"p",'.repeat(10_000)}"p"]}`) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map(bytes => Buffer.from(bytes)) },
  // Past the 1 MiB body limit, or just below it.
  { weight: 1, arbitrary: fc.constantFrom(BODY_LIMIT - 64, BODY_LIMIT + 1, 3 * BODY_LIMIT).map(n => `[${'"x",'.repeat(Math.floor(n / 4))}"x"]`) }
).map(body => (Buffer.isBuffer(body) ? body : Buffer.from(body)))

/** Push bodies close to the real shape, so that the accepted path is fuzzed too. */
const pushBodyArb: fc.Arbitrary<Buffer> = fc.record({
  akte: fc.oneof({ weight: 3, arbitrary: fc.stringMatching(/^[0-9]{1,5}\/20[0-9]{2}$/) }, aktennummer),
  paths: fc.option(fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('../x', 'C:\\x', '', 'a'.repeat(1025))), { maxLength: 4 }))
}, { requiredKeys: ['akte'] }).map(b => Buffer.from(JSON.stringify(b)))

// Mostly JSON, so that most requests get as far as the signature and the parser.
const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<string | null>('application/json', 'application/json; charset=utf-8') },
  fc.constantFrom<string | null>('Application/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json, text/plain', null)
)
const event = fc.constantFrom<string | null>(null, 'Document.create', 'Document.update', 'Document.delete', 'Document.fieldUpdate.file',
  'CAkte.update', 'Foo.bar', '', '__proto__.create', 'constructor.update', 'Document.', '.create', 'x'.repeat(101))

type EspoCredential = 'valid' | 'legacy' | 'none' | 'wrong-secret' | 'unknown-id' | 'replayed' | 'garbage' | 'empty' | 'truncated' | 'bad-id'
const espoCredential = fc.constantFrom<EspoCredential>('valid', 'valid', 'legacy', 'none', 'wrong-secret', 'unknown-id', 'replayed', 'garbage', 'empty', 'truncated', 'bad-id')
type PushCredential = 'valid' | 'lowercase' | 'none' | 'wrong' | 'prefix' | 'suffix' | 'basic' | 'bare' | 'espo-key'
const pushCredential = fc.constantFrom<PushCredential>('valid', 'valid', 'lowercase', 'none', 'wrong', 'prefix', 'suffix', 'basic', 'bare', 'espo-key')

export const caseArb: fc.Arbitrary<FuzzCase> = fc.oneof(
  fc.record({ route: fc.constant('espocrm' as const), credential: espoCredential, body: bodyArb, contentType, event }),
  fc.record({ route: fc.constant('watcher' as const), credential: pushCredential, body: fc.oneof(bodyArb, pushBodyArb), contentType, event: fc.constant(null) })
).map(c => ({ ...c, forged: !['valid', 'legacy', 'lowercase'].includes(c.credential) }))

/** EspoCRM's legacy `X-Signature`: the raw HMAC bytes instead of hex. */
function legacySignature (raw: Buffer, secret: string): string {
  return Buffer.concat([Buffer.from(`${HOOK_ID}:`), createHmac('sha256', secret).update(raw).digest()]).toString('base64')
}

function espoHeaders (c: FuzzCase): Record<string, string> {
  const other = Buffer.from('[{"id":"6621a7b3c9d0e1f99","aktennummer":"1/2026"}]')
  switch (c.credential) {
    case 'valid': return { signature: espoSignature(HOOK_ID, HOOK_SECRET, c.body) }
    case 'legacy': return { 'x-signature': legacySignature(c.body, HOOK_SECRET) }
    case 'wrong-secret': return { signature: espoSignature(HOOK_ID, 'not-the-secret', c.body) }
    case 'unknown-id': return { signature: espoSignature('00000000000000000', HOOK_SECRET, c.body) }
    // A signature that EspoCRM really made, taken from another delivery.
    case 'replayed': return { signature: espoSignature(HOOK_ID, HOOK_SECRET, Buffer.compare(other, c.body) === 0 ? Buffer.from('[]') : other) }
    case 'garbage': return { signature: 'bm90IGEgc2lnbmF0dXJl!!' }
    case 'empty': return { signature: '' }
    case 'truncated': return { signature: espoSignature(HOOK_ID, HOOK_SECRET, c.body).slice(0, 30) }
    case 'bad-id': return { signature: Buffer.from(`../${HOOK_ID}:${'0'.repeat(64)}`).toString('base64') }
    default: return {}
  }
}

function pushHeaders (c: FuzzCase): Record<string, string> {
  switch (c.credential) {
    case 'valid': return { authorization: `Bearer ${PUSH_TOKEN}` }
    case 'lowercase': return { authorization: `bearer ${PUSH_TOKEN}` }
    case 'wrong': return { authorization: 'Bearer wrong-token-0001' }
    case 'prefix': return { authorization: `Bearer ${PUSH_TOKEN.slice(0, -1)}` }
    case 'suffix': return { authorization: `Bearer ${PUSH_TOKEN}x` }
    case 'basic': return { authorization: `Basic ${Buffer.from(`x:${PUSH_TOKEN}`).toString('base64')}` }
    case 'bare': return { authorization: PUSH_TOKEN }
    case 'espo-key': return { 'x-api-key': PUSH_TOKEN }
    default: return {}
  }
}

export function toInject (c: FuzzCase): InjectOptions {
  const headers = { ...(c.route === 'espocrm' ? espoHeaders(c) : pushHeaders(c)), ...(c.contentType === null ? {} : { 'content-type': c.contentType }) }
  const query = c.event === null ? '' : `?event=${encodeURIComponent(c.event)}`
  return { method: 'POST', url: `/webhooks/${c.route}${query}`, headers, payload: c.body }
}

export function describeCase (c: FuzzCase): string {
  const preview = c.body.subarray(0, 80).toString('utf8').replace(/[\u0000-\u001f]/g, '.')
  return `${c.route} ${c.credential} ${c.contentType ?? '(no type)'} event=${c.event ?? '-'} ${c.body.length} bytes: ${preview}`
}
