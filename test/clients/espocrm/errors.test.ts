import t from 'tap'
import nock from 'nock'
import { ExternalError } from '../../../src/clients/errors.js'
import type { CallEvent } from '../../../src/clients/http-client.js'
import { isPermanentFileRefusal } from '../../../src/clients/espocrm/index.js'
import { API, ORIGIN, testClient, trackUnmatched } from './helpers.js'

nock.disableNetConnect()
const unmatched = trackUnmatched()
t.afterEach(() => { nock.cleanAll(); unmatched.length = 0 })
t.teardown(() => { nock.enableNetConnect() })

async function failure (promise: Promise<unknown>): Promise<ExternalError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  if (!(error instanceof ExternalError)) throw new Error(`expected an ExternalError, got ${String(error)}`)
  return error
}

t.test('503 (maintenance) is retried, then the answer counts', async t => {
  const events: CallEvent[] = []
  const scope = nock(ORIGIN)
    .get(`${API}/Document/d1`).reply(503, '', { 'X-Status-Reason': 'Maintenance mode.' })
    .get(`${API}/Document/d1`).reply(200, { id: 'd1', name: 'a.pdf', sync_usn: '18446744073709551615' })
  const client = testClient({ observer: e => events.push(e) })
  const doc = await client.getDocument('d1')
  t.equal(doc?.syncUsn, '18446744073709551615', 'USN stays a string')
  t.ok(scope.isDone())
  t.same(events.map(e => [e.outcome, e.status, e.attempt]), [['unavailable', 503, 1], ['ok', 200, 2]])
  t.same(unmatched, [])
  await client.close()
})

for (const [status, kind, reason] of [
  [400, 'validation', 'Field validation failure; name.'],
  [403, 'forbidden', 'No read access.'],
  [401, 'auth', undefined],
  [404, 'not-found', undefined]
] as const) {
  t.test(`${status} is not retried and surfaces as '${kind}'`, async t => {
    let calls = 0
    const scope = nock(ORIGIN).put(`${API}/Document/d1`)
      .reply(() => { calls++; return [status, '', reason === undefined ? {} : { 'X-Status-Reason': reason }] })
    const client = testClient()
    const error = await failure(client.updateDocument('d1', { syncStatus: 'synced' }))
    t.equal(error.kind, kind)
    t.equal(error.status, status)
    t.equal(error.reason, reason)
    if (reason !== undefined) t.match(error.message, reason)
    t.equal(calls, 1)
    t.ok(scope.isDone())
    t.same(nock.pendingMocks(), [])
    t.same(unmatched, [])
    await client.close()
  })
}

t.test('429 honours Retry-After', async t => {
  const scope = nock(ORIGIN)
    .get(`${API}/CAkte/a1`).reply(429, '', { 'Retry-After': '1' })
    .get(`${API}/CAkte/a1`).reply(200, { id: 'a1', name: 'A', aktennummer: '7' })
  const client = testClient({ retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } })
  const started = performance.now()
  const akte = await client.getAkte('a1')
  const waited = performance.now() - started
  t.equal(akte?.aktennummer, '7')
  t.ok(waited >= 950, `waited ${Math.round(waited)} ms`)
  t.ok(scope.isDone())
  await client.close()
})

t.test('409 with X-Version-Number is a conflict, not retried', async t => {
  let calls = 0
  const scope = nock(ORIGIN).put(`${API}/Document/d1`, { syncStatus: 'synced' })
    .matchHeader('x-version-number', '4')
    .reply(() => { calls++; return [409, '', { 'X-Status-Reason': 'modified' }] })
  const client = testClient()
  const error = await failure(client.updateDocument('d1', { syncStatus: 'synced' }, { versionNumber: 4 }))
  t.equal(error.kind, 'conflict')
  t.equal(error.reason, 'modified')
  t.ok(error.transient)
  t.equal(calls, 1)
  t.ok(scope.isDone())
  await client.close()
})

t.test('a create (POST) is not repeated after a 500, but after a 503', async t => {
  let calls = 0
  nock(ORIGIN).post(`${API}/Document`).reply(() => { calls++; return [500, ''] })
  const client = testClient()
  const error = await failure(client.createDocument({ name: 'a.pdf', fileId: 'f1', publishDate: '2026-03-24' }))
  t.equal(error.kind, 'unavailable')
  t.equal(calls, 1, 'a 500 may have created the record')

  const scope = nock(ORIGIN)
    .post(`${API}/Document`).reply(503, '')
    .post(`${API}/Document`, { name: 'a.pdf', fileId: 'f1', publishDate: '2026-03-24', akteId: 'a1', windowsPath: 'Schriftsatz/a.pdf', sync_usn: '42' })
    .reply(200, { id: 'd9', name: 'a.pdf', fileId: 'f1', akteId: 'a1' })
  const doc = await client.createDocument({ name: 'a.pdf', fileId: 'f1', publishDate: '2026-03-24', akteId: 'a1', windowsPath: 'Schriftsatz/a.pdf', syncUsn: '42' })
  t.equal(doc.id, 'd9')
  t.ok(scope.isDone())
  await client.close()
})

t.test('getDocument answers null on 404; deleteDocument tolerates an already deleted record', async t => {
  nock(ORIGIN)
    .get(`${API}/Document/gone`).reply(404, '')
    .delete(`${API}/Document/d1`).reply(200, 'true')
    .delete(`${API}/Document/gone`).reply(404, '')
  const client = testClient()
  t.equal(await client.getDocument('gone'), null)
  t.equal(await client.deleteDocument('d1'), true)
  t.equal(await client.deleteDocument('gone'), false)
  t.same(nock.pendingMocks(), [])
  await client.close()
})

t.test('a connection reset on a GET is retried (replyWithError needs an Error with a code)', async t => {
  const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
  const scope = nock(ORIGIN)
    .get(`${API}/CAkte/a1`).replyWithError(reset)
    .get(`${API}/CAkte/a1`).reply(200, { id: 'a1', name: 'A', aktennummer: '7' })
  const client = testClient()
  t.equal((await client.getAkte('a1'))?.id, 'a1')
  t.ok(scope.isDone())
  await client.close()
})

t.test('isPermanentFileRefusal tells file refusals from other 403s', async t => {
  const make = (status: number, reason?: string): ExternalError => new ExternalError({ system: 'espocrm', kind: status === 403 ? 'forbidden' : 'validation', status, reason, message: 'x' })
  t.ok(isPermanentFileRefusal(make(403, 'Not allowed file type.')))
  t.ok(isPermanentFileRefusal(make(403, 'Max attachment size exceeded.')))
  t.ok(isPermanentFileRefusal(make(400, 'File size should not exceed 256Mb.')))
  t.notOk(isPermanentFileRefusal(make(403, 'No create access.')))
  t.notOk(isPermanentFileRefusal(make(403)), 'IP lockout has no such reason')
  t.notOk(isPermanentFileRefusal(new Error('Not allowed file type.')))
  t.notOk(isPermanentFileRefusal(new ExternalError({ system: 'watcher', kind: 'forbidden', status: 403, reason: 'Not allowed file type.', message: 'x' })))
})
