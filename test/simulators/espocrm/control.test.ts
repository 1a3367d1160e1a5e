import t from 'tap'
import { request } from 'undici'
import { startSim } from './helpers.js'

async function sim (origin: string, method: string, path: string, body?: unknown): Promise<{ status: number, json: any }> {
  const res = await request(origin + path, {
    method: method as 'GET',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.body.text()
  return { status: res.statusCode, json: text === '' ? undefined : JSON.parse(text) }
}

t.test('control routes drive users, records, attachments and counts over HTTP', async t => {
  const { sim: s, api } = await startSim(t)
  const o = s.origin
  t.equal((await sim(o, 'POST', '/__sim/users', { id: 'u9', apiKey: 'k9' })).json.id, 'u9')
  t.equal((await api('GET', 'CAkte', { headers: { 'x-api-key': 'k9' } })).status, 200)
  const seeded = await sim(o, 'POST', '/__sim/records/CAkte', { seed: true, attrs: { name: 'Old', modifiedAt: '2020-01-01 00:00:00' } })
  t.equal(seeded.json.modifiedAt, '2020-01-01 00:00:00')
  const id = String(seeded.json.id)
  const edited = await sim(o, 'PATCH', `/__sim/records/CAkte/${id}`, { attrs: { name: 'New' } })
  t.equal(edited.json.modifiedById, '1')
  t.equal((await sim(o, 'POST', '/__sim/records/CAkte', { attrs: {} })).status, 400, 'UI writes are validated')
  await sim(o, 'DELETE', `/__sim/records/CAkte/${id}`)
  t.equal((await sim(o, 'GET', `/__sim/records/CAkte/${id}`)).json.deleted, true)
  t.equal((await sim(o, 'GET', '/__sim/records/CAkte')).json.length, 0)
  t.equal((await sim(o, 'GET', '/__sim/records/CAkte?withDeleted=true')).json.length, 1)
  const att = await sim(o, 'POST', '/__sim/attachments', { name: 'a.pdf', type: 'application/pdf', contentBase64: Buffer.from('hi').toString('base64') })
  t.equal(att.json.size, 2)
  t.equal((await api('GET', `Attachment/file/${String(att.json.id)}`)).text, 'hi')
  const counts = (await sim(o, 'GET', '/__sim/counts')).json
  t.equal(counts['GET /api/v1/CAkte'], 1)
  t.equal(counts['GET /api/v1/Attachment/file/:id'], 1)
  t.equal(s.countRequests('CAkte'), 1)
  await sim(o, 'DELETE', '/__sim/counts')
  t.same(s.requestCounts(), {})
  await sim(o, 'POST', '/__sim/faults', { kind: 'status', status: 500, count: 1, match: 'CAkte' })
  t.equal((await api('GET', 'CAkte')).status, 500)
  t.equal((await api('GET', 'CAkte')).status, 200)
  t.equal((await sim(o, 'POST', '/__sim/lockout/reset')).json.ok, true)
})

t.test('request counts are per route pattern, including refused requests', async t => {
  const { sim: s, api } = await startSim(t)
  const akte = s.seed('CAkte', { name: 'A' })
  await api('GET', `CAkte/${String(akte.id)}`)
  await api('GET', `CAkte/${String(akte.id)}`)
  await api('GET', 'CAkte', { headers: { 'x-api-key': 'wrong' } })
  t.same(s.requestCounts(), { 'GET /api/v1/CAkte/:id': 2, 'GET /api/v1/CAkte': 1 })
  t.equal((await api('GET', 'nothing/here/at/all')).status, 404)
})
