import t from 'tap'
import { request } from 'undici'
import { hmacHeader } from '../../../src/simulators/espocrm/index.js'
import { USER, startSim } from './helpers.js'

t.test('X-Api-Key authenticates an API user; a wrong key is 401 with an empty body', async t => {
  const { api } = await startSim(t)
  const ok = await api('GET', 'Document')
  t.equal(ok.status, 200)
  t.same(ok.json, { total: 0, list: [] })
  const bad = await api('GET', 'Document', { headers: { 'x-api-key': 'nope' } })
  t.equal(bad.status, 401)
  t.equal(bad.text, '')
})

t.test('HMAC signs METHOD and the resource path without query', async t => {
  const { sim, api } = await startSim(t)
  const headers = { 'x-api-key': '', 'x-hmac-authorization': hmacHeader(USER.apiKey, USER.secretKey, 'GET', 'Document') }
  const ok = await request(`${sim.url}Document?maxSize=5`, { headers: { 'x-hmac-authorization': headers['x-hmac-authorization'] } })
  t.equal(ok.statusCode, 200)
  await ok.body.dump()
  const wrongPath = await api('GET', 'CAkte', { headers: { 'x-hmac-authorization': headers['x-hmac-authorization'] } })
  t.equal(wrongPath.status, 401, 'signature over another path')
  const wrongSecret = hmacHeader(USER.apiKey, 'other', 'GET', 'Document')
  t.equal((await api('GET', 'Document', { headers: { 'x-hmac-authorization': wrongSecret } })).status, 401)
})

t.test('a user bound to one auth method refuses the other', async t => {
  const { sim, api } = await startSim(t)
  sim.addUser({ id: 'h1', apiKey: 'hk', secretKey: 'hs', authMethod: 'Hmac' })
  t.equal((await api('GET', 'Document', { headers: { 'x-api-key': 'hk' } })).status, 401)
  const sig = hmacHeader('hk', 'hs', 'GET', 'Document')
  t.equal((await api('GET', 'Document', { headers: { 'x-hmac-authorization': sig } })).status, 200)
})

t.test('missing credentials answer 401', async t => {
  const { sim } = await startSim(t)
  const res = await request(`${sim.url}Document`)
  t.equal(res.statusCode, 401)
  await res.body.dump()
})

t.test('more than 10 failures within the window lock the IP out, valid keys too, until it passes', async t => {
  const { api } = await startSim(t, { lockoutWindowMs: 400 })
  for (let i = 0; i < 11; i++) {
    t.equal((await api('GET', 'Document', { headers: { 'x-api-key': `bad-${i}` } })).status, 401)
  }
  const locked = await api('GET', 'Document')
  t.equal(locked.status, 403, 'valid key refused while locked')
  t.equal((await api('GET', 'Document', { headers: { 'x-api-key': 'bad' } })).status, 403)
  await new Promise(resolve => setTimeout(resolve, 450))
  t.equal((await api('GET', 'Document')).status, 200, 'window passed')
})

t.test('ten failures are still tolerated', async t => {
  const { api } = await startSim(t)
  for (let i = 0; i < 10; i++) await api('GET', 'Document', { headers: { 'x-api-key': 'bad' } })
  t.equal((await api('GET', 'Document')).status, 200)
})

t.test('maintenance mode answers 503, toggled in-process and over HTTP', async t => {
  const { sim, api } = await startSim(t)
  sim.setMaintenance(true)
  t.equal((await api('GET', 'Document')).status, 503)
  sim.setMaintenance(false)
  t.equal((await api('GET', 'Document')).status, 200)
  const res = await request(`${sim.origin}/__sim/maintenance`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: true })
  })
  t.same(await res.body.json(), { maintenance: true })
  t.equal((await api('GET', 'Document')).status, 503)
})
