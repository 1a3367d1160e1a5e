import t from 'tap'
import nock from 'nock'
import { ExternalError } from '../../../src/clients/errors.js'
import { AKTE, CONNECTOR, discovery, expectedSignature, GATEWAY, gateway, HOUR, makeClient, PASSWORD, type TokenBody } from './fixtures.js'

nock.disableNetConnect()
t.afterEach(() => { nock.cleanAll() })

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
  await t.rejects(client.getAkte('4711'), { name: 'ExternalError', kind: 'auth', operation: 'token' })
  t.equal(nock.pendingMocks().length, 0)
})

t.test('token answer without access_token is a protocol error', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  discovery()
  nock(GATEWAY).post('/api/v1/Token').reply(200, { token_type: 'bearer' })
  await t.rejects(client.getAkte('4711'), { name: 'ExternalError', kind: 'protocol', operation: 'token' })
})

