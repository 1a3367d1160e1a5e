import t from 'tap'
import type { Test } from 'tap'
import { AdvowareClient, type AdvowareClientOptions } from '../../../src/clients/advoware/index.js'
import { createAdvowareSimulator, DEFAULT_ADVOWARE_CREDENTIALS, type AdvowareSimulator, type AdvowareSimulatorOptions } from '../../../src/simulators/advoware/index.js'

const cred = DEFAULT_ADVOWARE_CREDENTIALS

async function start (t: Test, simOptions: AdvowareSimulatorOptions = {}, clientOptions: Partial<AdvowareClientOptions> = {}): Promise<{ sim: AdvowareSimulator, client: AdvowareClient }> {
  const sim = createAdvowareSimulator({
    akten: [
      { id: 4711, aktennummer: '12/2026', history: [{ datum: '2026-03-24T10:15:00', text: 'Klageschrift eingereicht', art: 'Schriftsatz', datei: 'Klageschrift.pdf' }, { datum: '2026-03-25T09:00:00', text: 'Anruf', art: 'Notiz' }] },
      { id: 4712, aktennummer: '13/2026', ablage: 1, ablagedatum: '2026-02-01T00:00:00' }
    ],
    ...simOptions
  })
  const url = await sim.listen()
  const client = new AdvowareClient({
    kanzlei: cred.kanzlei,
    database: cred.database,
    user: cred.user,
    appId: cred.appId,
    password: cred.password,
    apiKey: cred.apiKey,
    discoveryUrl: `${url}/AdvonetConfigurator/api/Url`,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    clock: () => sim.now(),
    ...clientOptions
  })
  t.teardown(async () => {
    await client.close()
    await sim.close()
  })
  return { sim, client }
}

t.test('full token flow: discovery, HMAC-verified token, connector used, token reused', async t => {
  const { sim, client } = await start(t)
  t.same(await client.getAkte('4711'), { id: '4711', aktennummer: '12/2026', archived: false, archivedAt: null })
  t.same((await client.listHistory('4711')).map(h => h.datei), ['Klageschrift.pdf', null])
  await client.getAkte('4711')
  t.match(sim.counters, { tokenRequests: 1, tokensIssued: 1, tokensRefused: 0, apiCalls: 3 })
  t.notOk(sim.faults.calls.some(c => c.url.startsWith('/relay/')), 'relay never called while a connector is announced')
  t.equal((await client.resolveEndpoints()).apiBase, `${sim.url}/connector/`)
})

t.test('relay is the base when no connector is announced', async t => {
  const { sim, client } = await start(t, { announceConnector: false })
  await client.getAkte('4711')
  t.ok(sim.faults.calls.some(c => c.url === '/relay/api/v1/advonet/Akten/4711'))
})

t.test('relay refuses once a connector is announced: the client rediscovers and moves', async t => {
  const { sim, client } = await start(t, { announceConnector: false })
  await client.getAkte('4711')
  sim.setConnectorAnnounced(true)
  t.equal((await client.getAkte('4711')).id, '4711')
  t.equal((await client.resolveEndpoints()).apiBase, `${sim.url}/connector/`)
  t.equal(sim.faults.calls.filter(c => c.status === 403).length, 1)
  t.equal(sim.counters.tokenRequests, 1, 'the token stays valid at the new base')
})

t.test('archived Akte', async t => {
  const { client } = await start(t)
  t.same(await client.getAkte('4712'), { id: '4712', aktennummer: '13/2026', archived: true, archivedAt: '2026-02-01T00:00:00' })
})

t.test('History: create then list', async t => {
  const { sim, client } = await start(t)
  const entry = { datum: '2026-03-26T14:30:00', text: 'Schriftsatz hochgeladen', art: 'Dokument', datei: 'Schriftsätze/Übersicht.pdf' }
  const created = await client.createHistoryEntry('4711', entry)
  t.match(created, { ...entry, id: /^\d+$/ })
  const listed = await client.listHistory('4711')
  t.equal(listed.length, 3)
  t.same(listed.find(h => h.id === created.id), created)
  t.equal(sim.counters.historyCreated, 1)
})

t.test('History: 400 from the server is a validation error, not retried', async t => {
  const { sim, client } = await start(t)
  await t.rejects(client.createHistoryEntry('4711', { datum: '26.03.2026', text: 't', art: 'a', datei: 'f.pdf' }), { name: 'ExternalError', kind: 'validation', status: 400, reason: /datum/ })
  t.equal(sim.faults.calls.filter(c => c.method === 'POST' && c.url.endsWith('/History')).length, 1)
})

t.test('unknown Akte is not-found', async t => {
  const { client } = await start(t)
  await t.rejects(client.getAkte('999'), { name: 'ExternalError', kind: 'not-found', status: 404 })
})

t.test('tokens revoked on the server: one refresh and one retry', async t => {
  const { sim, client } = await start(t)
  await client.getAkte('4711')
  sim.expireAllTokens()
  t.same((await client.getAkte('4711')).id, '4711')
  t.match(sim.counters, { tokenRequests: 2, tokensRefused: 0 })
  t.equal(sim.faults.calls.filter(c => c.status === 401).length, 1)
})

t.test('token expiry: refreshed before it runs out, without a 401', async t => {
  const { sim, client } = await start(t, { tokenLifetimeSeconds: 600 })
  await client.getAkte('4711')
  sim.advanceClock(600_000 - 30_000)
  await client.getAkte('4711')
  t.equal(sim.counters.tokenRequests, 2)
  t.notOk(sim.faults.calls.some(c => c.status === 401), 'no call was refused')
})

t.test('wrong API key: the gateway refuses, kind auth, password not in the message', async t => {
  const { sim, client } = await start(t, {}, { apiKey: Buffer.from('some other key').toString('base64') })
  const error = await client.getAkte('4711').then(() => new Error('resolved'), (e: unknown) => e as Error)
  t.match(error, { kind: 'auth', operation: 'token', status: 401 })
  t.notOk(error.message.includes(cred.password))
  t.equal(sim.counters.tokenRequests, 1, 'a refused token is not retried')
})

t.test('transient 503 from the connector is retried', async t => {
  const { sim, client } = await start(t)
  sim.faults.failNext(2, 503, '/connector/')
  t.equal((await client.getAkte('4711')).aktennummer, '12/2026')
})

t.test('401 on both attempts: fails with kind auth after one refresh', async t => {
  const { sim, client } = await start(t)
  sim.faults.failNext(2, 401, '/connector/')
  await t.rejects(client.getAkte('4711'), { name: 'ExternalError', kind: 'auth', status: 401 })
  t.equal(sim.counters.tokenRequests, 2)
})
