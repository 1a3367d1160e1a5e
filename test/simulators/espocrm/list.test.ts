import t from 'tap'
import type { Test } from 'tap'
import { startSim } from './helpers.js'

/** Ten Akten with varied attributes, created one second apart. */
async function seeded (t: Test) {
  let now = Date.parse('2026-03-01T10:00:00Z')
  const ctx = await startSim(t, { clock: () => now })
  const ids: string[] = []
  for (let i = 0; i < 10; i++) {
    const akte = ctx.sim.create('CAkte', {
      name: `Akte ${i}`,
      aktennummer: String(1000 + i),
      status: i % 3 === 0 ? 'Neu' : i % 3 === 1 ? 'Aktiv' : 'Abgelegt',
      archived: i >= 8,
      syncError: i === 4 ? 'boom' : null,
      count: i
    })
    ids.push(String(akte.id))
    now += 1000
  }
  return { ...ctx, ids }
}

const q = (params: Record<string, string>): string => new URLSearchParams(params).toString()

t.test('maxSize above the limit is 403; default and limit are 200', async t => {
  const { api } = await startSim(t)
  const res = await api('GET', 'CAkte?maxSize=201')
  t.equal(res.status, 403)
  t.match(res.headers['x-status-reason'], /Max size should should not exceed 200/)
  t.equal((await api('GET', 'CAkte?maxSize=200')).status, 200)
})

t.test('paging with offset and maxSize over a stable order', async t => {
  const { api } = await seeded(t)
  const first = await api('GET', `CAkte?${q({ maxSize: '4', offset: '0', orderBy: 'aktennummer', order: 'asc' })}`)
  t.equal(first.json.total, 10)
  t.same(first.json.list.map((r: any) => r.aktennummer), ['1000', '1001', '1002', '1003'])
  const last = await api('GET', `CAkte?${q({ maxSize: '4', offset: '8', orderBy: 'aktennummer', order: 'desc' })}`)
  t.same(last.json.list.map((r: any) => r.aktennummer), ['1001', '1000'])
})

t.test('default order is createdAt desc', async t => {
  const { api, ids } = await seeded(t)
  const res = await api('GET', 'CAkte?maxSize=3')
  t.same(res.json.list.map((r: any) => r.id), [ids[9], ids[8], ids[7]])
})

t.test('select returns only the chosen attributes plus id', async t => {
  const { api } = await seeded(t)
  const res = await api('GET', 'CAkte?select=name,missingField&maxSize=1')
  t.same(Object.keys(res.json.list[0]).sort(), ['id', 'missingField', 'name'])
  t.equal(res.json.list[0].missingField, null)
})

t.test('where item types', async t => {
  const { api } = await seeded(t)
  const count = async (where: string): Promise<number> => (await api('GET', `CAkte?${where}`)).json.total
  const w = (type: string, attribute: string, value?: string): string =>
    `where[0][type]=${type}&where[0][attribute]=${attribute}` + (value === undefined ? '' : `&where[0][value]=${encodeURIComponent(value)}`)
  t.equal(await count(w('equals', 'status', 'neu')), 4, 'equals is case-insensitive like MySQL')
  t.equal(await count(w('notEquals', 'status', 'Neu')), 6)
  t.equal(await count('where[0][type]=in&where[0][attribute]=status&where[0][value][]=Neu&where[0][value][]=Aktiv'), 7)
  t.equal(await count('where[0][type]=notIn&where[0][attribute]=status&where[0][value][]=Neu'), 6)
  t.equal(await count(w('isNull', 'syncError')), 9)
  t.equal(await count(w('isNotNull', 'syncError')), 1)
  t.equal(await count(w('notEquals', 'syncError', 'boom')), 0, 'NULL never compares, as in SQL')
  t.equal(await count(w('isTrue', 'archived')), 2)
  t.equal(await count(w('isFalse', 'archived')), 8)
  t.equal(await count(w('after', 'createdAt', '2026-03-01 10:00:05')), 4)
  t.equal(await count(w('before', 'createdAt', '2026-03-01 10:00:02')), 2)
  t.equal(await count(w('greaterThan', 'count', '7')), 2)
  t.equal(await count(w('lessThan', 'count', '2')), 2)
  t.equal(await count(w('contains', 'name', 'KTE 1')), 1)
  t.equal(await count(w('startsWith', 'aktennummer', '100')), 10)
  const or = 'where[0][type]=or&where[0][value][0][type]=equals&where[0][value][0][attribute]=count&where[0][value][0][value]=1' +
    '&where[0][value][1][type]=equals&where[0][value][1][attribute]=count&where[0][value][1][value]=2'
  t.equal(await count(or), 2)
  const and = 'where[0][type]=and&where[0][value][0][type]=greaterThan&where[0][value][0][attribute]=count&where[0][value][0][value]=1' +
    '&where[0][value][1][type]=lessThan&where[0][value][1][attribute]=count&where[0][value][1][value]=4'
  t.equal(await count(and), 2)
  t.equal(await count(`${w('equals', 'status', 'Neu')}&where[1][type]=isTrue&where[1][attribute]=archived`), 1, 'items are ANDed')
  t.equal((await api('GET', `CAkte?${w('fancy', 'name', 'x')}`)).status, 400, 'unknown type')
})

t.test('searchParams carries the same parameters as one JSON value', async t => {
  const { api } = await seeded(t)
  const searchParams = JSON.stringify({
    maxSize: 2,
    offset: 1,
    orderBy: 'count',
    order: 'asc',
    select: ['aktennummer'],
    where: [{ type: 'in', attribute: 'status', value: ['Neu', 'Aktiv'] }]
  })
  const res = await api('GET', `CAkte?${q({ searchParams })}`)
  t.equal(res.json.total, 7)
  t.same(res.json.list.map((r: any) => r.aktennummer), ['1001', '1003'])
  t.same(Object.keys(res.json.list[0]).sort(), ['aktennummer', 'id'])
  t.equal((await api('GET', `CAkte?${q({ searchParams: JSON.stringify({ maxSize: 500 }) })}`)).status, 403)
  t.equal((await api('GET', `CAkte?${q({ searchParams: '{nope' })}`)).status, 400)
})

t.test('X-No-Total: -1 while more records follow, -2 on the last page', async t => {
  const { api } = await seeded(t)
  const headers = { 'x-no-total': 'true' }
  t.equal((await api('GET', 'CAkte?maxSize=4&offset=0', { headers })).json.total, -1)
  t.equal((await api('GET', 'CAkte?maxSize=4&offset=4', { headers })).json.total, -1)
  const last = await api('GET', 'CAkte?maxSize=4&offset=8', { headers })
  t.equal(last.json.total, -2)
  t.equal(last.json.list.length, 2)
  t.equal((await api('GET', 'CAkte?maxSize=5&offset=5', { headers })).json.total, -2, 'exactly full last page')
})

t.test('unknown entity types answer 404', async t => {
  const { api } = await startSim(t)
  t.equal((await api('GET', 'Nope')).status, 404)
})
