import t from 'tap'
import nock from 'nock'
import { ExternalError } from '../../../src/clients/errors.js'
import { MAX_PAGE_SIZE, serializeWhere, where } from '../../../src/clients/espocrm/index.js'
import { API, ORIGIN, espoId, testClient, trackUnmatched } from './helpers.js'

nock.disableNetConnect()
const unmatched = trackUnmatched()
t.afterEach(() => { nock.cleanAll(); unmatched.length = 0 })
t.teardown(() => { nock.enableNetConnect() })

type Query = Record<string, string | string[]>

/** A fake EspoCRM list endpoint over `count` Documents, honouring maxSize/offset and X-No-Total. */
function pagedDocuments (count: number, queries: Query[], noTotal = true): nock.Scope {
  const docs = Array.from({ length: count }, (_, i) => ({ id: espoId(i + 1), name: `doc ${i + 1}.pdf`, akteId: 'akte1' }))
  return nock(ORIGIN)
    .persist()
    .get(`${API}/Document`)
    .query((q: Query) => { queries.push(q); return true })
    .reply(() => {
      // The reply callback gets no request on undici: read the query the matcher just saw.
      const q = queries[queries.length - 1] ?? {}
      const maxSize = Number(q.maxSize)
      if (maxSize > 200) return [403, '', { 'X-Status-Reason': 'Max size should not exceed 200.' }]
      const offset = Number(q.offset)
      const list = docs.slice(offset, offset + maxSize)
      const total = noTotal ? (offset + list.length < count ? -1 : -2) : count
      return [200, { total, list }]
    })
}

t.test('450 records come in 3 pages of at most 200, with X-No-Total', async t => {
  const queries: Query[] = []
  pagedDocuments(450, queries)
  const client = testClient()
  const docs = await client.listDocumentsOfAkte('akte1')
  t.equal(docs.length, 450)
  t.equal(new Set(docs.map(d => d.id)).size, 450)
  t.same(queries.map(q => [q.maxSize, q.offset]), [['200', '0'], ['200', '200'], ['200', '400']])
  t.ok(queries.every(q => Number(q.maxSize) <= MAX_PAGE_SIZE))
  t.match(queries[0], {
    'where[0][type]': 'equals',
    'where[0][attribute]': 'akteId',
    'where[0][value]': 'akte1',
    orderBy: 'createdAt',
    order: 'asc'
  })
  t.ok(String(queries[0]?.select).split(',').includes('sync_usn'), 'selects the configured attribute names')
  t.same(unmatched, [])
  await client.close()
})

t.test('1,000 records cost exactly 5 requests (total -2 ends the walk)', async t => {
  const queries: Query[] = []
  pagedDocuments(1000, queries)
  const client = testClient()
  t.equal((await client.listDocumentsOfAkte('akte1')).length, 1000)
  t.equal(queries.length, 5)
  await client.close()
})

t.test('a server that ignores X-No-Total still ends the walk by its total', async t => {
  const queries: Query[] = []
  pagedDocuments(400, queries, false)
  const client = testClient()
  t.equal((await client.listAll('Document')).length, 400)
  t.equal(queries.length, 2)
  await client.close()
})

t.test('pageSize is capped at 200 and the X-No-Total header is sent', async t => {
  const queries: Query[] = []
  const scope = nock(ORIGIN)
    .get(`${API}/CAkte`).query((q: Query) => { queries.push(q); return true })
    .matchHeader('x-no-total', 'true')
    .reply(200, { total: -2, list: [{ id: 'a1', name: 'A', aktennummer: '1' }] })
  const client = testClient()
  const rows = await client.listAll('CAkte', { pageSize: 1000 })
  t.equal(rows.length, 1)
  t.equal(queries[0]?.maxSize, '200')
  t.ok(scope.isDone())
  await client.close()
})

t.test('where serialisation: lists, flags, nesting', async t => {
  t.same(serializeWhere([
    where.in('status', ['Neu', 'Aktiv']),
    where.isNull('syncHash'),
    where.or(where.equals('fileStatus', 'new'), where.after('modifiedAt', '2026-01-01 00:00:00'))
  ]), {
    'where[0][type]': 'in',
    'where[0][attribute]': 'status',
    'where[0][value][0]': 'Neu',
    'where[0][value][1]': 'Aktiv',
    'where[1][type]': 'isNull',
    'where[1][attribute]': 'syncHash',
    'where[2][type]': 'or',
    'where[2][value][0][type]': 'equals',
    'where[2][value][0][attribute]': 'fileStatus',
    'where[2][value][0][value]': 'new',
    'where[2][value][1][type]': 'after',
    'where[2][value][1][attribute]': 'modifiedAt',
    'where[2][value][1][value]': '2026-01-01 00:00:00'
  })
  t.throws(() => serializeWhere([where.in('status', [])]), RangeError, 'an empty in-list would silently mean "no filter"')
})

t.test('listAktenByStatus filters with in; empty status list makes no request', async t => {
  const queries: Query[] = []
  nock(ORIGIN).get(`${API}/CAkte`).query((q: Query) => { queries.push(q); return true })
    .reply(200, { total: -2, list: [{ id: 'a1', name: 'Müller ./. Schmidt', aktennummer: '2026/0001', status: 'Aktiv' }] })
  const client = testClient()
  t.same(await client.listAktenByStatus([]), [])
  const akten = await client.listAktenByStatus(['Neu', 'Aktiv', 'Import'])
  t.equal(akten[0]?.aktennummer, '2026/0001')
  t.match(queries[0], { 'where[0][type]': 'in', 'where[0][attribute]': 'status', 'where[0][value][2]': 'Import' })
  t.equal(queries.length, 1)
  await client.close()
})

t.test('an answer without a list is a protocol error', async t => {
  nock(ORIGIN).get(`${API}/Document`).query(true).reply(200, { total: 3 })
  const client = testClient()
  const error = await client.listAll('Document').catch((e: unknown) => e)
  t.type(error, ExternalError)
  t.equal((error as ExternalError).kind, 'protocol')
  await client.close()
})

t.test('modified-since sweep uses after on modifiedAt and selects only what it needs', async t => {
  const queries: Query[] = []
  nock(ORIGIN).get(`${API}/Document`).query((q: Query) => { queries.push(q); return true })
    .reply(200, { total: -2, list: [{ id: 'd1', akteId: 'a1', modifiedAt: '2026-03-24 10:15:00' }] })
  const client = testClient()
  const refs = await client.listDocumentsModifiedSince(new Date('2026-03-24T09:00:00Z'))
  t.same(refs, [{ id: 'd1', akteId: 'a1', modifiedAt: '2026-03-24 10:15:00' }])
  t.match(queries[0], {
    'where[0][type]': 'after',
    'where[0][attribute]': 'modifiedAt',
    'where[0][value]': '2026-03-24 09:00:00',
    select: 'id,akteId,modifiedAt',
    orderBy: 'modifiedAt'
  })
  await client.close()
})
