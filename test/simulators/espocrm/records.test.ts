import t from 'tap'
import { startSim, upload } from './helpers.js'

t.test('Document validation: required fields, name rules, enums, dates, existing attachment', async t => {
  const { api } = await startSim(t)
  const fileId = await upload(api, 'a.pdf', Buffer.from('x'))
  const base = { name: 'Klage', fileId, publishDate: '2026-03-24' }
  const reason = async (body: Record<string, unknown>): Promise<string> => {
    const res = await api('POST', 'Document', { body })
    t.equal(res.status, 400)
    return String(res.headers['x-status-reason'])
  }
  t.match(await reason({ ...base, name: undefined }), /^Field validation failure; .*field: name, type: required/)
  t.match(await reason({ ...base, fileId: undefined }), /field: file, type: required/)
  t.match(await reason({ ...base, publishDate: undefined }), /field: publishDate, type: required/)
  t.match(await reason({ ...base, name: 'a'.repeat(256) }), /field: name, type: maxLength/)
  t.match(await reason({ ...base, name: 'a<b' }), /field: name, type: pattern/)
  t.match(await reason({ ...base, name: 'a=b' }), /type: pattern/)
  t.match(await reason({ ...base, fileId: 'ffffffffffffffff0' }), /field: file, type: valid/)
  t.match(await reason({ ...base, publishDate: '24.03.2026' }), /field: publishDate, type: valid/)
  t.match(await reason({ ...base, type: 'Schriftsatz' }), /field: type, type: valid/)
  const body = (await api('POST', 'Document', { body: { ...base, name: undefined } })).json
  t.same(body.messageTranslation.data, { field: 'name', type: 'required' })
  const ok = await api('POST', 'Document', { body: { ...base, name: 'a'.repeat(255) } })
  t.equal(ok.status, 200)
  t.equal(ok.json.fileName, 'a.pdf')
  t.equal(ok.json.status, 'Active')
})

t.test('records carry 17-hex ids, UTC timestamps, authors and versionNumber', async t => {
  let now = Date.parse('2026-03-24T09:15:00Z')
  const { sim, api } = await startSim(t, { clock: () => now })
  const created = await api('POST', 'CAkte', { body: { name: 'A', aktennummer: '1' } })
  t.match(created.json.id, /^[0-9a-f]{17}$/)
  t.equal(created.json.createdAt, '2026-03-24 09:15:00')
  t.equal(created.json.modifiedAt, '2026-03-24 09:15:00')
  t.equal(created.json.createdById, 'u1')
  t.equal(created.json.createdByName, 'sync')
  t.equal(created.json.versionNumber, 1)
  now += 61_000
  const updated = await api('PATCH', `CAkte/${created.json.id as string}`, { body: { syncStatus: 'synced', createdAt: '2000-01-01 00:00:00' } })
  t.equal(updated.json.modifiedAt, '2026-03-24 09:16:01')
  t.equal(updated.json.createdAt, '2026-03-24 09:15:00', 'read-only attributes are ignored')
  t.equal(updated.json.modifiedById, 'u1')
  t.equal(updated.json.versionNumber, 2)
  const same = await api('PUT', `CAkte/${created.json.id as string}`, { body: { syncStatus: 'synced' } })
  t.equal(same.json.versionNumber, 2, 'an update that changes nothing writes nothing')
  t.equal(sim.get('CAkte', String(created.json.id))?.syncStatus, 'synced')
})

t.test('PUT and PATCH are partial; the Akte name shows up as akteName', async t => {
  const { sim, api } = await startSim(t)
  const akte = sim.seed('CAkte', { name: 'Müller ./. Meier', aktennummer: '42' })
  const fileId = await upload(api, 'a.pdf', Buffer.from('x'))
  const doc = await api('POST', 'Document', { body: { name: 'D', fileId, publishDate: '2026-01-01', akteId: akte.id, description: 'keep' } })
  t.equal(doc.json.akteName, 'Müller ./. Meier')
  const put = await api('PUT', `Document/${doc.json.id as string}`, { body: { windowsPath: 'a/b.pdf' } })
  t.equal(put.json.description, 'keep')
  t.equal(put.json.windowsPath, 'a/b.pdf')
})

t.test('DELETE is soft: true, then 404 and gone from lists, still visible in-process', async t => {
  const { sim, api } = await startSim(t)
  const akte = sim.seed('CAkte', { name: 'A' })
  const id = String(akte.id)
  const del = await api('DELETE', `CAkte/${id}`)
  t.equal(del.status, 200)
  t.equal(del.json, true)
  t.equal((await api('GET', `CAkte/${id}`)).status, 404)
  t.equal((await api('PUT', `CAkte/${id}`, { body: { name: 'B' } })).status, 404)
  t.equal((await api('DELETE', `CAkte/${id}`)).status, 404)
  t.equal((await api('GET', 'CAkte')).json.total, 0)
  t.equal(sim.get('CAkte', id)?.deleted, true)
  t.equal(sim.list('CAkte', { withDeleted: true }).length, 1)
})

t.test('optimistic locking: a stale X-Version-Number answers 409 modified', async t => {
  const { sim, api } = await startSim(t)
  const akte = sim.seed('CAkte', { name: 'A' })
  const id = String(akte.id)
  const first = await api('PATCH', `CAkte/${id}`, { body: { name: 'B' }, headers: { 'x-version-number': '1' } })
  t.equal(first.status, 200)
  t.equal(first.json.versionNumber, 2)
  const stale = await api('PATCH', `CAkte/${id}`, { body: { name: 'C' }, headers: { 'x-version-number': '1' } })
  t.equal(stale.status, 409)
  t.equal(stale.headers['x-status-reason'], 'modified')
  t.same(stale.json, { values: { name: 'B' }, versionNumber: 2 })
  t.equal(sim.get('CAkte', id)?.name, 'B')
  sim.update('CAkte', id, { name: 'UI edit' })
  t.equal((await api('PATCH', `CAkte/${id}`, { body: { name: 'D' }, headers: { 'x-version-number': '2' } })).status, 409)
})

t.test('Attachment records have no versionNumber; a bad JSON body is 400', async t => {
  const { api } = await startSim(t)
  const id = await upload(api, 'a.pdf', Buffer.from('x'))
  t.equal((await api('GET', `Attachment/${id}`)).json.versionNumber, undefined)
  t.equal((await api('POST', 'CAkte', { body: '{broken' })).status, 400)
})

t.test('entityDefs.attributes drops unknown fields silently, like a real instance', async t => {
  const { api } = await startSim(t, { entityDefs: { CAkte: { attributes: ['name', 'aktennummer'] } } })
  const res = await api('POST', 'CAkte', { body: { name: 'A', aktennummer: '1', syncHash: 'x' } })
  t.equal(res.status, 200)
  t.equal(res.json.syncHash, undefined)
})
