import t from 'tap'
import nock from 'nock'
import { createHmac } from 'node:crypto'
import { authHeaders } from '../../../src/clients/espocrm/index.js'
import { ExternalError } from '../../../src/clients/errors.js'
import { API, ORIGIN, testClient, trackUnmatched } from './helpers.js'

nock.disableNetConnect()
const unmatched = trackUnmatched()
t.afterEach(() => { nock.cleanAll(); unmatched.length = 0 })
t.teardown(() => { nock.enableNetConnect() })

const hmacAuth = { kind: 'hmac' as const, apiKey: 'my-api-key', secretKey: 'my-secret' }

t.test('X-Api-Key carries the key and nothing else', async t => {
  t.same(authHeaders({ kind: 'apiKey', apiKey: 'k1' }, 'GET', 'Document'), { 'x-api-key': 'k1' })
  const scope = nock(ORIGIN, { reqheaders: { 'x-api-key': 'test-key' }, badheaders: ['x-hmac-authorization'] })
    .get(`${API}/Document/abc`).reply(200, { id: 'abc', name: 'x' })
  const client = testClient()
  const doc = await client.getDocument('abc')
  t.equal(doc?.id, 'abc')
  t.ok(scope.isDone())
  await client.close()
})

t.test('HMAC signs METHOD /path in hex, without the query string', async t => {
  // Independent expectation: the formula spelled out in contracts.md.
  const expected = (method: string, path: string): string =>
    Buffer.from(`my-api-key:${createHmac('sha256', 'my-secret').update(`${method} /${path}`).digest('hex')}`).toString('base64')
  t.equal(authHeaders(hmacAuth, 'GET', 'Document?maxSize=200&offset=0')['x-hmac-authorization'], expected('GET', 'Document'))
  t.equal(authHeaders(hmacAuth, 'put', '/CAkte/123')['x-hmac-authorization'], expected('PUT', 'CAkte/123'))
  t.notOk('x-api-key' in authHeaders(hmacAuth, 'GET', 'Document'))

  // nock 15 on undici gives reply functions no request object: match the headers instead.
  const scope = nock(ORIGIN)
    .get(`${API}/Document`).query(q => q.maxSize === '200' && q.offset === '0')
    .matchHeader('x-hmac-authorization', expected('GET', 'Document'))
    .reply(200, { total: -2, list: [] })
    .put(`${API}/Document/abc`)
    .matchHeader('x-hmac-authorization', expected('PUT', 'Document/abc'))
    .reply(200, { id: 'abc', name: 'n' })
  const client = testClient({ auth: hmacAuth })
  await client.listDocumentsOfAkte('akte1')
  await client.updateDocument('abc', { syncStatus: 'synced' })
  t.ok(scope.isDone())
  t.same(unmatched, [])
  await client.close()
})

t.test('legacy HMAC digest is the raw binary HMAC (EspoCRM < 8.4.1)', async t => {
  const raw = createHmac('sha256', 'my-secret').update('GET /Document').digest()
  const expected = Buffer.concat([Buffer.from('my-api-key:'), raw]).toString('base64')
  t.equal(authHeaders({ ...hmacAuth, legacyBinaryDigest: true }, 'GET', 'Document')['x-hmac-authorization'], expected)
})

t.test('a 401 is never retried and blocks further calls for the cool-down', async t => {
  let calls = 0
  const scope = nock(ORIGIN).get(`${API}/CAkte/a1`).reply(() => { calls++; return [401, ''] })
  const client = testClient({ authCooldownMs: 60_000 })
  const error = await client.getAkte('a1').catch((e: unknown) => e)
  t.type(error, ExternalError)
  t.equal((error as ExternalError).kind, 'auth')
  t.equal((error as ExternalError).status, 401)
  t.equal(calls, 1)
  t.ok(scope.isDone())

  // Ten more Akten in the queue: none of them reaches EspoCRM's failed-login counter.
  for (let i = 0; i < 10; i++) {
    const again = await client.getAkte('a1').catch((e: unknown) => e)
    t.equal((again as ExternalError).kind, 'auth')
  }
  t.equal(calls, 1)
  t.same(unmatched, [])
  t.same(nock.pendingMocks(), [])
  await client.close()
})

t.test('with the cool-down disabled every call still makes exactly one request', async t => {
  let calls = 0
  nock(ORIGIN).get(`${API}/CAkte/a1`).times(3).reply(() => { calls++; return [401, ''] })
  const client = testClient({ authCooldownMs: 0 })
  for (let i = 0; i < 3; i++) {
    const error = await client.getAkte('a1').catch((e: unknown) => e)
    t.equal((error as ExternalError).kind, 'auth')
  }
  t.equal(calls, 3)
  t.same(nock.pendingMocks(), [])
  t.same(unmatched, [])
  await client.close()
})
