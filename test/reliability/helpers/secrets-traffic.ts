import { request } from 'undici'
import { SANDBOX_PERSON } from '../../../src/sandbox/sandbox.js'
import { SANDBOX_SECRETS } from '../../../src/sandbox/systems.js'
import { espoSignature } from '../../helpers/espo-webhook.js'
import { waitFor } from '../../helpers/process.js'

/*
 * Traffic against a running sandbox that puts every credential in play:
 * admin calls with good and wrong bearers, a dashboard login, signed and
 * forged webhooks, pushes, and syncs while EspoCRM, Advoware and the
 * Watcher refuse the service's credentials (401s, expired tokens).
 */

export interface SandboxUrls {
  service: string
  espocrm: string
  espocrmOrigin: string
  advoware: string
  watcher: string
}

/** Wrong credentials sent on purpose: a log must not keep those either. */
export const WRONG = {
  admin: 'wrong-admin-token-0001',
  push: 'wrong-push-token-0001',
  signature: 'wrong-webhook-secret-0001'
}

export interface Http { status: number, body: string, headers: Record<string, string | string[] | undefined> }

export async function http (url: string, options: { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE', headers?: Record<string, string>, body?: string } = {}): Promise<Http> {
  const res = await request(url, { method: options.method ?? 'GET', headers: options.headers, body: options.body, headersTimeout: 30_000, bodyTimeout: 60_000 })
  return { status: res.statusCode, body: await res.body.text(), headers: res.headers }
}

const json = (value: unknown): { headers: Record<string, string>, body: string } => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) })
const admin = (token = SANDBOX_SECRETS.adminToken): Record<string, string> => ({ authorization: `Bearer ${token}` })

async function fault (origin: string, rule: Record<string, unknown>): Promise<void> {
  await http(`${origin}/__sim/faults`, { method: 'POST', ...json(rule) })
}

/**
 * A foreground sync through the admin API (its NDJSON progress read to the end). While the
 * worker syncs the Akte (webhooks enqueue it) the API answers 409: arm the faults and try again.
 */
async function syncNow (urls: SandboxUrls, aktennummer: string, arm: () => Promise<void> = async () => {}): Promise<Http> {
  const deadline = Date.now() + 20_000
  for (;;) {
    await arm()
    const res = await http(`${urls.service}/admin/api/akten/${encodeURIComponent(aktennummer)}/sync`, { method: 'POST', headers: admin() })
    if (res.status !== 409 || Date.now() > deadline) return res
    await new Promise(resolve => setTimeout(resolve, 200))
  }
}

export interface Collected {
  /** Secrets only known once the sandbox ran: webhook secrets, the session cookie. */
  secrets: string[]
  statuses: Record<string, number>
}

export async function driveSandbox (urls: SandboxUrls): Promise<Collected> {
  const statuses: Record<string, number> = {}
  const note = (what: string, res: Http): Http => { statuses[what] = res.status; return res }
  const secrets: string[] = []

  // The seeded Akten sync on their own; the EspoCRM-only Document reaching the share says so.
  await waitFor(async () => (await http(`${urls.watcher}/__sim/files?akte=12345&path=Vergleichsvorschlag.pdf`)).status === 200, 30_000, 'the seeded sync')

  note('admin queue', await http(`${urls.service}/admin/api/queue`, { headers: admin() }))
  note('admin queue, wrong bearer', await http(`${urls.service}/admin/api/queue`, { headers: admin(WRONG.admin) }))
  note('admin plan', await http(`${urls.service}/admin/api/akten/12345/plan`, { headers: admin() }))
  const login = note('dashboard login', await http(`${urls.service}/admin/login`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${encodeURIComponent(SANDBOX_SECRETS.adminToken)}`
  }))
  const cookie = String([login.headers['set-cookie']].flat()[0] ?? '').split(';')[0] ?? ''
  if (cookie.includes('=')) secrets.push(cookie.slice(cookie.indexOf('=') + 1))
  note('dashboard with session', await http(`${urls.service}/admin/`, { headers: { cookie } }))
  note('dashboard login, wrong token', await http(`${urls.service}/admin/login`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${WRONG.admin}`
  }))

  // A person's Document in EspoCRM: EspoCRM delivers the signed webhook itself.
  const attachment = await http(`${urls.espocrm}Attachment`, {
    method: 'POST',
    headers: { 'x-api-key': SANDBOX_PERSON.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Geheimnis.pdf', type: 'application/pdf', role: 'Attachment', relatedType: 'Document', field: 'file', file: `data:application/pdf;base64,${Buffer.from('%PDF-1.4 geheim').toString('base64')}` })
  })
  const akte = JSON.parse((await http(`${urls.espocrm}CAkte?where[0][type]=equals&where[0][attribute]=aktennummer&where[0][value]=12345`, { headers: { 'x-api-key': SANDBOX_PERSON.apiKey } })).body) as { list: Array<{ id: string }> }
  note('person creates a Document', await http(`${urls.espocrm}Document`, {
    method: 'POST',
    headers: { 'x-api-key': SANDBOX_PERSON.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Geheimnis', fileId: (JSON.parse(attachment.body) as { id: string }).id, publishDate: '2026-03-22', akteId: akte.list[0]?.id })
  }))
  await http(`${urls.espocrmOrigin}/__sim/webhooks/deliver`, { method: 'POST', ...json({ all: true }) })

  // Webhooks sent by hand with the registered secrets, and forged ones.
  const hooks = JSON.parse((await http(`${urls.espocrmOrigin}/__sim/records/Webhook`)).body) as Array<{ id: string, secretKey: string }>
  secrets.push(...hooks.map(h => h.secretKey))
  const raw = '[{"id":"6621a7b3c9d0e1f99","aktennummer":"12345"}]'
  const hook = hooks[0]
  if (hook !== undefined) {
    note('signed webhook', await http(`${urls.service}/webhooks/espocrm?event=CAkte.update`, { method: 'POST', headers: { 'content-type': 'application/json', signature: espoSignature(hook.id, hook.secretKey, raw) }, body: raw }))
    note('forged webhook', await http(`${urls.service}/webhooks/espocrm?event=CAkte.update`, { method: 'POST', headers: { 'content-type': 'application/json', signature: espoSignature(hook.id, WRONG.signature, raw) }, body: raw }))
  }
  await http(`${urls.watcher}/__sim/files`, { method: 'POST', ...json({ akte: '12345', path: 'Aktennotiz.txt', content: 'Rückruf erbeten' }) })
  note('push', await http(`${urls.service}/webhooks/watcher`, { method: 'POST', headers: { ...json({}).headers, authorization: `Bearer ${SANDBOX_SECRETS.watcherPushToken}` }, body: '{"akte":"12345"}' }))
  note('push, wrong token', await http(`${urls.service}/webhooks/watcher`, { method: 'POST', headers: { ...json({}).headers, authorization: `Bearer ${WRONG.push}` }, body: '{"akte":"12345"}' }))

  // Each system refuses the service's credentials in turn, while a sync runs.
  const clear = async (): Promise<void> => {
    for (const origin of [urls.espocrmOrigin, urls.advoware, urls.watcher]) await http(`${origin}/__sim/faults`, { method: 'DELETE' })
  }
  note('sync, Advoware refuses the token', await syncNow(urls, '2026/0815', async () => {
    await http(`${urls.advoware}/__sim/tokens/expire`, { method: 'POST', ...json({}) })
    await fault(urls.advoware, { kind: 'status', status: 401, count: 2, match: '/Token' })
  }))
  await clear()
  note('sync, the Watcher answers 401', await syncNow(urls, '12345', async () => { await fault(urls.watcher, { kind: 'status', status: 401, count: 1, match: 'GET /akte-details' }) }))
  await clear()
  note('sync, expired Advoware token renewed', await syncNow(urls, '2026/0815', async () => { await http(`${urls.advoware}/__sim/tokens/expire`, { method: 'POST', ...json({}) }) }))
  // A file deleted on the share: its Document is soft-deleted, and later runs skip it (a debug line).
  await http(`${urls.watcher}/__sim/files?akte=12345&path=Vollmacht.pdf`, { method: 'DELETE' })
  note('sync, a file deleted', await syncNow(urls, '12345'))
  note('sync, all well', await syncNow(urls, '12345'))
  // Last: after a 401 the EspoCRM client sends nothing for a minute (no lockout by retrying).
  note('sync, EspoCRM answers 401', await syncNow(urls, '12345', async () => { await fault(urls.espocrmOrigin, { kind: 'status', status: 401, count: 1, match: 'GET /api/v1/CAkte' }) }))
  await clear()
  return { secrets, statuses }
}
