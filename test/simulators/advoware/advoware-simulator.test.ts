import t from 'tap'
import type { Test } from 'tap'
import { createHmac, randomUUID } from 'node:crypto'
import { request } from 'undici'
import { createAdvowareSimulator, DEFAULT_ADVOWARE_CREDENTIALS } from '../../../src/simulators/advoware/index.js'
import type { AdvowareSimulatorOptions, TokenResponse } from '../../../src/simulators/advoware/index.js'

const cred = DEFAULT_ADVOWARE_CREDENTIALS

interface Discovery { relayUrl: string, connectorUrl: string | null, securityGateway: string }

// Computed here independently of the simulator, straight from contracts.md.
function tokenBody (overrides: Record<string, unknown> = {}, signWith = cred.apiKey): Record<string, unknown> {
  const nonce = (overrides.Nonce as string | undefined) ?? randomUUID()
  const ts = (overrides.RequestTimeStamp as string | undefined) ?? new Date().toISOString()
  const signature = createHmac('sha512', Buffer.from(signWith, 'base64')).update(`64:${cred.appId}:${nonce}:${ts}`).digest('base64')
  return {
    AppID: cred.appId, Kanzlei: cred.kanzlei, Database: cred.database, User: cred.user, Role: 2, Product: 64,
    Password: cred.password, Nonce: nonce, HMAC512Signature: signature, RequestTimeStamp: ts, ...overrides
  }
}

async function json<T = any> (url: string, init: { method?: 'GET' | 'POST', body?: unknown, token?: string } = {}): Promise<{ status: number, body: T }> {
  const res = await request(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.token !== undefined ? { authorization: `Bearer ${init.token}` } : {})
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined
  })
  const text = await res.body.text()
  return { status: res.statusCode, body: (text === '' ? undefined : JSON.parse(text)) as T }
}

async function start (t: Test, options: AdvowareSimulatorOptions = {}) {
  const sim = createAdvowareSimulator({
    akten: [{ id: 4711, aktennummer: '12/2026', history: [{ datum: '2026-03-24T10:15:00', text: 'Klageschrift eingereicht', art: 'Schriftsatz', datei: 'Klageschrift.pdf' }] }],
    ...options
  })
  await sim.listen()
  t.teardown(() => sim.close())
  const discovery = (await json<Discovery>(sim.discoveryUrl())).body
  const token = async (): Promise<string> => {
    const res = await json<TokenResponse>(`${discovery.securityGateway}api/v1/Token`, { method: 'POST', body: tokenBody() })
    t.equal(res.status, 200)
    return res.body.access_token
  }
  return { sim, discovery, token, base: discovery.connectorUrl ?? discovery.relayUrl }
}

t.test('discovery with connector: connector is the base, relay refused', async t => {
  const { sim, discovery, token } = await start(t)
  t.equal(discovery.connectorUrl, `${sim.url}/connector/`)
  t.equal(discovery.relayUrl, `${sim.url}/relay/`)
  t.equal(discovery.securityGateway, `${sim.url}/gateway/`)
  const access = await token()
  t.equal((await json(`${discovery.connectorUrl!}api/v1/advonet/Akten/4711`, { token: access })).status, 200)
  t.equal((await json(`${discovery.relayUrl}api/v1/advonet/Akten/4711`, { token: access })).status, 403)
  t.equal((await json(sim.discoveryUrl('OTHER'))).status, 404)
  t.equal((await json(`${sim.url}/AdvonetConfigurator/api/Url`)).status, 400)
})

t.test('discovery without connector: relay is the base', async t => {
  const { discovery, token } = await start(t, { announceConnector: false })
  t.equal(discovery.connectorUrl, null)
  t.ok(discovery.relayUrl.endsWith('/relay/'))
  const res = await json(`${discovery.relayUrl}api/v1/advonet/Akten/4711`, { token: await token() })
  t.same(res.body, { id: 4711, aktennummer: '12/2026', ablage: 0, ablagedatum: null })
})

t.test('token: good signature, bad signature, wrong password, bad fields, nonce reuse, skew', async t => {
  const { sim, discovery } = await start(t)
  const url = `${discovery.securityGateway}api/v1/Token`
  const good = await json<TokenResponse>(url, { method: 'POST', body: tokenBody() })
  t.equal(good.status, 200)
  t.equal(good.body.token_type, 'bearer')
  t.equal(good.body.expires_in, 3600)
  t.match(good.body.expiration_utc, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  t.ok(Math.abs(Date.parse(good.body.expiration_utc) - Date.now() - 3600_000) < 5000)
  t.type(good.body.refresh_token, 'string')

  const refused = async (body: Record<string, unknown>, reason: RegExp): Promise<void> => {
    const res = await json(url, { method: 'POST', body })
    t.equal(res.status, 401, String(reason))
    t.match(res.body, { error_description: reason })
  }
  await refused(tokenBody({}, Buffer.from('wrong key').toString('base64')), /HMAC512Signature/)
  await refused(tokenBody({ Password: 'nope' }), /credentials/)
  await refused(tokenBody({ Role: '2' }), /Role/)
  await refused(tokenBody({ AppID: 'other' }), /AppID/)
  await refused(tokenBody({ RequestTimeStamp: new Date(Date.now() - 3600_000).toISOString() }), /window/)
  const once = tokenBody()
  t.equal((await json(url, { method: 'POST', body: once })).status, 200)
  await refused(once, /Nonce already used/)
  t.same(sim.counters, { tokenRequests: 8, tokensIssued: 2, tokensRefused: 6, apiCalls: 0, historyCreated: 0 })
  t.equal(sim.tokenRequestCount, 8)
})

t.test('bearer required; expiry; expireAllTokens', async t => {
  const { sim, base, token } = await start(t, { tokenLifetimeSeconds: 60 })
  const akte = `${base}api/v1/advonet/Akten/4711`
  t.equal((await json(akte)).status, 401)
  t.equal((await json(akte, { token: 'made-up' })).status, 401)
  const access = await token()
  t.equal((await json(akte, { token: access })).status, 200)
  sim.advanceClock(61_000)
  t.match(await json(akte, { token: access }), { status: 401, body: { message: 'token expired' } })
  sim.advanceClock(-61_000)
  const fresh = await token()
  t.equal((await json(akte, { token: fresh })).status, 200)
  sim.expireAllTokens()
  t.equal((await json(akte, { token: fresh })).status, 401)
  t.equal((await json(akte, { token: await token() })).status, 200)
})

t.test('Akte, archive, History list and create', async t => {
  const { sim, base, token } = await start(t)
  const access = await token()
  const history = `${base}api/v1/advonet/Akten/4711/History`
  t.equal((await json(`${base}api/v1/advonet/Akten/999`, { token: access })).status, 404)
  t.equal((await json(`${base}api/v1/advonet/Akten/abc/History`, { token: access })).status, 404)

  const list = await json<any[]>(history, { token: access })
  t.match(list.body, [{ datum: '2026-03-24T10:15:00', text: 'Klageschrift eingereicht', art: 'Schriftsatz', datei: 'Klageschrift.pdf' }])
  t.type(list.body[0].id, 'number')

  const entry = { datum: '2026-03-25T09:00:00', text: 'Vollmacht', art: 'Dokument', datei: 'Unterlagen/Vollmacht.pdf' }
  const created = await json(history, { method: 'POST', body: entry, token: access })
  t.equal(created.status, 201)
  t.match(created.body, { ...entry, id: Number })
  t.equal((await json<any[]>(history, { token: access })).body.length, 2)
  t.same(sim.history(4711).at(-1), created.body)
  t.equal(sim.counters.historyCreated, 1)

  t.equal((await json(history, { method: 'POST', body: { ...entry, datum: '2026-03-25T09:00:00Z' }, token: access })).status, 400)
  t.equal((await json(history, { method: 'POST', body: { datum: '2026-03-25T09:00:00' }, token: access })).status, 400)

  sim.addHistory(4711, { datum: '2026-03-26T00:30:00', text: 'Notiz', art: 'Notiz' })
  t.equal(sim.history(4711).at(-1)!.datei, null)
  t.equal(sim.counters.historyCreated, 1, 'seeding is not a client write')

  sim.archiveAkte(4711, '2026-04-01T00:00:00')
  t.match((await json(`${base}api/v1/advonet/Akten/4711`, { token: access })).body, { ablage: 1, ablagedatum: '2026-04-01T00:00:00' })
})

t.test('/__sim control routes and faults', async t => {
  const { sim, base, token } = await start(t)
  const seeded = await json(`${sim.url}/__sim/akten`, { method: 'POST', body: { id: 5, aktennummer: '5/26' } })
  t.equal(seeded.status, 201)
  t.equal((await json(`${sim.url}/__sim/akten/5/history`, { method: 'POST', body: { datum: '2026-01-01T00:00:00', text: 'x', art: 'y', datei: 'a.pdf' } })).status, 201)
  t.match((await json(`${sim.url}/__sim/akten/5/history`)).body, [{ datei: 'a.pdf' }])
  t.match((await json(`${sim.url}/__sim/akten/5/archive`, { method: 'POST', body: {} })).body, { ablage: 1 })
  t.equal((await json(`${sim.url}/__sim/akten/6/archive`, { method: 'POST', body: {} })).status, 404)

  const access = await token()
  await json(`${sim.url}/__sim/tokens/expire`, { method: 'POST', body: {} })
  t.equal((await json(`${base}api/v1/advonet/Akten/5`, { token: access })).status, 401)

  await json(`${sim.url}/__sim/connector`, { method: 'POST', body: { announce: false } })
  t.equal((await json<Discovery>(sim.discoveryUrl())).body.connectorUrl, null)

  await json(`${sim.url}/__sim/faults`, { method: 'POST', body: { kind: 'status', status: 503, match: '/History' } })
  const fresh = await token()
  t.equal((await json(`${base}api/v1/advonet/Akten/5/History`, { token: fresh })).status, 503)
  t.equal((await json(`${base}api/v1/advonet/Akten/5/History`, { token: fresh })).status, 200)
  t.match((await json(`${sim.url}/__sim/counters`)).body, { tokenRequests: 2, tokensIssued: 2 })
  await json(`${sim.url}/__sim/clock`, { method: 'POST', body: { advanceMs: 7_200_000 } })
  t.equal((await json(`${base}api/v1/advonet/Akten/5`, { token: fresh })).status, 401)
})
