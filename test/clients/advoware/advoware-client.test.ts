import t from 'tap'
import nock from 'nock'
import { ExternalError } from '../../../src/clients/errors.js'
import { CONNECTOR, DISCOVERY_ORIGIN, DISCOVERY_PATH, expectedSignature, GATEWAY, makeClient, PASSWORD, RELAY, tokenAnswer, type TokenBody } from './fixtures.js'

nock.disableNetConnect()
t.afterEach(() => { nock.cleanAll() })

const AKTE = { id: 4711, aktennummer: '12345/26', ablage: 0, ablagedatum: null }
const HOUR = 3_600_000

function discovery (answer: Record<string, unknown> = { relayUrl: RELAY, connectorUrl: CONNECTOR, securityGateway: GATEWAY }): nock.Scope {
  return nock(DISCOVERY_ORIGIN).get(DISCOVERY_PATH).query({ Kanzlei: 'KANZLEI1' }).reply(200, answer)
}

function gateway (tokens: string[], expiresAtMs = Date.now() + HOUR, bodies: TokenBody[] = []): nock.Scope {
  const scope = nock(GATEWAY)
  for (const token of tokens) {
    scope.post('/api/v1/Token', (body: TokenBody) => { bodies.push(body); return true }).reply(200, tokenAnswer(token, expiresAtMs))
  }
  return scope
}

t.test('discovery: the connector wins over the relay when announced', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  discovery()
  gateway(['tok-1'])
  const api = nock(CONNECTOR).matchHeader('authorization', 'Bearer tok-1').get('/api/v1/advonet/Akten/4711').reply(200, AKTE)
  t.same(await client.getAkte('4711'), { id: '4711', aktennummer: '12345/26', archived: false, archivedAt: null })
  t.ok(api.isDone())
  t.same(await client.resolveEndpoints(), { apiBase: CONNECTOR, securityGateway: GATEWAY })
})

t.test('discovery: the relay is used when no connector is set, and discovery is cached', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  const disco = discovery({ relayUrl: 'http://relay.test:9001', connectorUrl: '', securityGateway: GATEWAY })
  gateway(['tok-1'])
  nock(RELAY).get('/api/v1/advonet/Akten/1').reply(200, { ...AKTE, id: 1 }).get('/api/v1/advonet/Akten/2').reply(200, { ...AKTE, id: 2 })
  await Promise.all([client.getAkte('1'), client.getAkte('2')])
  t.ok(disco.isDone())
  t.equal((await client.resolveEndpoints()).apiBase, RELAY, 'trailing slash added')
})

t.test('discovery: an answer without a usable base is a protocol error', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  discovery({ relayUrl: null, connectorUrl: null, securityGateway: GATEWAY })
  await t.rejects(client.getAkte('1'), { kind: 'protocol', operation: 'discovery' })
})

t.test('configured baseUrl and securityGatewayUrl skip discovery', async t => {
  const client = makeClient({ baseUrl: 'http://base.test/prefix/', securityGatewayUrl: GATEWAY })
  t.teardown(async () => { await client.close() })
  gateway(['tok-1'])
  const api = nock('http://base.test').get('/prefix/api/v1/advonet/Akten/7').reply(200, { ...AKTE, id: 7 })
  await client.getAkte('7')
  t.ok(api.isDone(), 'no discovery request was made (nock would refuse it)')
})

t.test('configured baseUrl alone still asks discovery for the gateway but keeps the base', async t => {
  const client = makeClient({ baseUrl: 'http://base.test/' })
  t.teardown(async () => { await client.close() })
  discovery()
  gateway(['tok-1'])
  const api = nock('http://base.test').get('/api/v1/advonet/Akten/7').reply(200, { ...AKTE, id: 7 })
  await client.getAkte('7')
  t.ok(api.isDone())
})

t.test('token request: body shape and HMAC-SHA512 signature', async t => {
  const now = Date.parse('2026-03-24T10:15:00.123Z')
  const client = makeClient({ clock: () => now })
  t.teardown(async () => { await client.close() })
  const bodies: TokenBody[] = []
  discovery()
  gateway(['tok-1'], now + HOUR, bodies)
  nock(CONNECTOR).get('/api/v1/advonet/Akten/4711').reply(200, AKTE)
  await client.getAkte('4711')
  const body = bodies[0]
  if (body === undefined) return t.fail('no token request')
  t.same(Object.keys(body).sort(), ['AppID', 'Database', 'HMAC512Signature', 'Kanzlei', 'Nonce', 'Password', 'Product', 'RequestTimeStamp', 'Role', 'User'])
  t.match(body, { AppID: 'app-42', Kanzlei: 'KANZLEI1', Database: 'ADVO', User: 'sync', Role: 2, Product: 64, Password: PASSWORD })
  t.equal(body.RequestTimeStamp, '2026-03-24T10:15:00.123Z')
  t.match(body.Nonce, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  t.equal(body.HMAC512Signature, expectedSignature(body))
})

t.test('token: every request gets a fresh nonce', async t => {
  let now = Date.parse('2026-03-24T10:00:00Z')
  const client = makeClient({ clock: () => now })
  t.teardown(async () => { await client.close() })
  const bodies: TokenBody[] = []
  discovery()
  gateway(['tok-1'], now + 10 * 60_000, bodies)
  nock(CONNECTOR).get('/api/v1/advonet/Akten/4711').times(2).reply(200, AKTE)
  await client.getAkte('4711')
  now += 10 * 60_000
  gateway(['tok-2'], now + HOUR, bodies)
  await client.getAkte('4711')
  t.equal(bodies.length, 2)
  t.not(bodies[0]?.Nonce, bodies[1]?.Nonce)
  t.equal(bodies[1]?.HMAC512Signature, expectedSignature(bodies[1]!))
})

t.test('token: cached across calls, one request for concurrent callers', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  discovery()
  const token = gateway(['tok-1'])
  nock(CONNECTOR).matchHeader('authorization', 'Bearer tok-1').get('/api/v1/advonet/Akten/4711').times(5).reply(200, AKTE)
    .get('/api/v1/advonet/Akten/4711/History').reply(200, [])
  await Promise.all([client.getAkte('4711'), client.getAkte('4711'), client.getAkte('4711')])
  await client.getAkte('4711')
  await client.listHistory('4711')
  await client.getAkte('4711')
  t.ok(token.isDone())
  t.equal(nock.pendingMocks().length, 0)
})

t.test('token: refreshed shortly before expiration_utc', async t => {
  let now = Date.parse('2026-03-24T10:00:00Z')
  const expiresAt = now + 30 * 60_000
  const client = makeClient({ clock: () => now })
  t.teardown(async () => { await client.close() })
  discovery()
  gateway(['tok-1'], expiresAt)
  const api = nock(CONNECTOR)
  api.get('/api/v1/advonet/Akten/4711').matchHeader('authorization', 'Bearer tok-1').times(2).reply(200, AKTE)
  await client.getAkte('4711')
  now = expiresAt - 61_000
  await client.getAkte('4711')
  now = expiresAt - 59_000
  gateway(['tok-2'], now + HOUR)
  api.get('/api/v1/advonet/Akten/4711').matchHeader('authorization', 'Bearer tok-2').reply(200, AKTE)
  await client.getAkte('4711')
  t.equal(nock.pendingMocks().length, 0, 'exactly one token per period')
})

t.test('401: one fresh token and one retry', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  discovery()
  gateway(['tok-1', 'tok-2'])
  nock(CONNECTOR)
    .get('/api/v1/advonet/Akten/4711/History').matchHeader('authorization', 'Bearer tok-1').reply(401, { message: 'token expired' })
    .get('/api/v1/advonet/Akten/4711/History').matchHeader('authorization', 'Bearer tok-2').reply(200, [{ id: 17, datum: '2026-03-24T10:15:00', text: 'Klage', art: 'Schriftsatz', datei: 'Klage.pdf' }])
  const history = await client.listHistory('4711')
  t.same(history, [{ id: '17', datum: '2026-03-24T10:15:00', text: 'Klage', art: 'Schriftsatz', datei: 'Klage.pdf' }])
  t.equal(nock.pendingMocks().length, 0)
})

t.test('401 twice: fails with kind auth after exactly one refresh, secrets not in the message', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  discovery()
  gateway(['tok-1', 'tok-2'])
  nock(CONNECTOR).get('/api/v1/advonet/Akten/4711').times(2).reply(401, '')
  const error = await client.getAkte('4711').catch((e: unknown) => e)
  t.ok(error instanceof ExternalError)
  t.match(error, { kind: 'auth', status: 401, system: 'advoware' })
  const text = `${String((error as Error).message)} ${JSON.stringify(error)}`
  for (const secret of [PASSWORD, 'tok-1', 'tok-2']) t.notOk(text.includes(secret), `no ${secret} in the error`)
  t.equal(nock.pendingMocks().length, 0, 'no third call, no third token')
})

t.test('token refused: kind auth, no retry', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  discovery()
  nock(GATEWAY).post('/api/v1/Token').reply(401, { message: 'invalid signature' })
  await t.rejects(client.getAkte('4711'), { kind: 'auth', operation: 'token' })
  t.equal(nock.pendingMocks().length, 0)
})

t.test('token answer without access_token is a protocol error', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  discovery()
  nock(GATEWAY).post('/api/v1/Token').reply(200, { token_type: 'bearer' })
  await t.rejects(client.getAkte('4711'), { kind: 'protocol', operation: 'token' })
})

t.test('no retry on 400 and 404', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  discovery()
  gateway(['tok-1'])
  nock(CONNECTOR)
    .get('/api/v1/advonet/Akten/404').once().reply(404, { message: 'Akte not found' })
    .post('/api/v1/advonet/Akten/4711/History').once().reply(400, { message: 'datum invalid' })
  await t.rejects(client.getAkte('404'), { kind: 'not-found', status: 404, reason: 'Akte not found' })
  await t.rejects(client.createHistoryEntry('4711', { datum: 'x', text: 't', art: 'a', datei: 'f.pdf' }), { kind: 'validation', status: 400, reason: 'datum invalid' })
  t.equal(nock.pendingMocks().length, 0)
})

t.test('retry on 503', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  discovery()
  gateway(['tok-1'])
  nock(CONNECTOR)
    .get('/api/v1/advonet/Akten/4711').reply(503)
    .get('/api/v1/advonet/Akten/4711').reply(503)
    .get('/api/v1/advonet/Akten/4711').reply(200, { ...AKTE, ablage: 1, ablagedatum: '2026-01-02T00:00:00' })
  t.same(await client.getAkte('4711'), { id: '4711', aktennummer: '12345/26', archived: true, archivedAt: '2026-01-02T00:00:00' })
})

t.test('createHistoryEntry posts the wire shape and maps the answer', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  discovery()
  gateway(['tok-1'])
  const entry = { datum: '2026-03-24T10:15:00', text: 'Hochgeladen', art: 'Dokument', datei: 'Unterordner/Übersicht.pdf' }
  let sent: unknown
  nock(CONNECTOR)
    .matchHeader('content-type', 'application/json')
    .post('/api/v1/advonet/Akten/4711/History', (body: unknown) => { sent = body; return true })
    .reply(201, { id: 99, ...entry })
  t.same(await client.createHistoryEntry('4711', entry), { id: '99', ...entry })
  t.same(sent, entry)
})

t.test('akte ids are URL-encoded into the path', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  discovery()
  gateway(['tok-1'])
  const api = nock(CONNECTOR).get('/api/v1/advonet/Akten/a%2Fb%20c').reply(200, AKTE)
  await client.getAkte('a/b c')
  t.ok(api.isDone())
})

t.test('configurable paths', async t => {
  const client = makeClient({ paths: { akte: 'custom/akte/{akteId}', history: 'custom/akte/{akteId}/hist' } })
  t.teardown(async () => { await client.close() })
  discovery()
  gateway(['tok-1'])
  nock(CONNECTOR).get('/custom/akte/5').reply(200, AKTE).get('/custom/akte/5/hist').reply(200, [{ id: 1, datum: 'd', text: 't', art: 'a' }])
  await client.getAkte('5')
  t.same(await client.listHistory('5'), [{ id: '1', datum: 'd', text: 't', art: 'a', datei: null }])
})

t.test('an unreachable connector makes the next call ask discovery again', async t => {
  const client = makeClient({ retry: { attempts: 1 } })
  t.teardown(async () => { await client.close() })
  discovery()
  gateway(['tok-1'])
  nock(CONNECTOR).get('/api/v1/advonet/Akten/4711').replyWithError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))
  await t.rejects(client.getAkte('4711'), { kind: 'network' })
  discovery({ relayUrl: RELAY, connectorUrl: 'http://connector2.test/', securityGateway: GATEWAY })
  nock('http://connector2.test').get('/api/v1/advonet/Akten/4711').reply(200, AKTE)
  await client.getAkte('4711')
  t.equal(nock.pendingMocks().length, 0)
})

t.test('a non-base64 apiKey is refused at construction without echoing it', async t => {
  const error = (() => { try { makeClient({ apiKey: 'not base64 !!' }) } catch (e) { return e as Error } })()
  t.match(error, { message: /not base64/ })
  t.notOk(error?.message.includes('!!'))
})
