import t from 'tap'
import nock from 'nock'
import { AKTE, CONNECTOR, DISCOVERY_ORIGIN, DISCOVERY_PATH, discovery, GATEWAY, gateway, makeClient, RELAY } from './fixtures.js'

nock.disableNetConnect()
t.afterEach(() => { nock.cleanAll() })

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
  await t.rejects(client.getAkte('1'), { name: 'ExternalError', kind: 'protocol', operation: 'discovery' })
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

t.test('no retry on 400 and 404', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  discovery()
  gateway(['tok-1'])
  nock(CONNECTOR)
    .get('/api/v1/advonet/Akten/404').once().reply(404, { message: 'Akte not found' })
    .post('/api/v1/advonet/Akten/4711/History').once().reply(400, { message: 'datum invalid' })
  await t.rejects(client.getAkte('404'), { name: 'ExternalError', kind: 'not-found', status: 404, reason: 'Akte not found' })
  await t.rejects(client.createHistoryEntry('4711', { datum: 'x', text: 't', art: 'a', datei: 'f.pdf' }), { name: 'ExternalError', kind: 'validation', status: 400, reason: 'datum invalid' })
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

t.test('an unreachable connector: discovery is asked again and a GET repeated at the new base', async t => {
  const client = makeClient({ retry: { attempts: 1 } })
  t.teardown(async () => { await client.close() })
  discovery()
  gateway(['tok-1'])
  nock(CONNECTOR).get('/api/v1/advonet/Akten/4711').replyWithError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))
  discovery({ relayUrl: RELAY, connectorUrl: 'http://connector2.test/', securityGateway: GATEWAY })
  nock('http://connector2.test').get('/api/v1/advonet/Akten/4711').reply(200, AKTE)
  t.equal((await client.getAkte('4711')).id, '4711')
  t.equal(nock.pendingMocks().length, 0)
})

t.test('a POST failing on the network is not repeated elsewhere; the next call uses the new base', async t => {
  const client = makeClient({ retry: { attempts: 1 } })
  t.teardown(async () => { await client.close() })
  discovery()
  gateway(['tok-1'])
  nock(CONNECTOR).post('/api/v1/advonet/Akten/4711/History').replyWithError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))
  discovery({ relayUrl: RELAY, connectorUrl: 'http://connector2.test/', securityGateway: GATEWAY })
  const entry = { datum: '2026-03-24T10:15:00', text: 't', art: 'a', datei: 'f.pdf' }
  await t.rejects(client.createHistoryEntry('4711', entry), { name: 'ExternalError', kind: 'network' })
  nock('http://connector2.test').post('/api/v1/advonet/Akten/4711/History').reply(201, { id: 1, ...entry })
  t.equal((await client.createHistoryEntry('4711', entry)).id, '1')
  t.equal(nock.pendingMocks().length, 0)
})

t.test('a refusing base with unchanged discovery: the 403 stands', async t => {
  const client = makeClient()
  t.teardown(async () => { await client.close() })
  discovery()
  discovery()
  gateway(['tok-1'])
  nock(CONNECTOR).get('/api/v1/advonet/Akten/4711').once().reply(403, { message: 'no' })
  await t.rejects(client.getAkte('4711'), { name: 'ExternalError', kind: 'forbidden', status: 403 })
  t.equal(nock.pendingMocks().length, 0)
})

t.test('rediscovery failing as well: the original error is reported', async t => {
  const client = makeClient({ retry: { attempts: 1 } })
  t.teardown(async () => { await client.close() })
  discovery()
  gateway(['tok-1'])
  nock(CONNECTOR).get('/api/v1/advonet/Akten/4711').replyWithError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))
  nock(DISCOVERY_ORIGIN).get(DISCOVERY_PATH).query(true).reply(500)
  await t.rejects(client.getAkte('4711'), { name: 'ExternalError', kind: 'network', operation: 'get Akte' })
  t.equal(nock.pendingMocks().length, 0)
})

t.test('a configured URL that is not http(s) is refused at construction', async t => {
  t.throws(() => makeClient({ baseUrl: 'ftp://x/' }), { message: /baseUrl is not an http\(s\) URL/ })
})

t.test('a non-base64 apiKey is refused at construction without echoing it', async t => {
  const error = (() => { try { makeClient({ apiKey: 'not base64 !!' }) } catch (e) { return e as Error } })()
  t.match(error, { message: /not base64/ })
  t.notOk(error?.message.includes('!!'))
})
