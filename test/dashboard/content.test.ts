import t from 'tap'
import { MemoryStore } from '../../src/store/memory-store.js'
import { build } from '../helpers/app.js'
import { login, TOKEN } from './login.js'

const env = { ADMIN_TOKEN: TOKEN }
const auth = { authorization: `Bearer ${TOKEN}` }
const HOSTILE_NR = '<script>alert("nr")</script>'
const HOSTILE_ERROR = '<img src=x onerror=alert(1)> & "quotes" \'too\''

/** A store in which every text the dashboard shows was written by an attacker. */
async function hostileStore (): Promise<MemoryStore> {
  const store = new MemoryStore()
  await store.enqueue([HOSTILE_NR, 'delayed"><b>', 'pending<i>'])
  await store.claim('owner<u>', 60_000, 2)
  await store.retryLater(HOSTILE_NR, 'owner<u>', { error: HOSTILE_ERROR, delayMs: 0, maxAttempts: 1 })
  await store.retryLater('delayed"><b>', 'owner<u>', { error: '</td><script>x()</script>', delayMs: 60_000, maxAttempts: 5 })
  await store.setState('result', '"><svg onload=alert(2)>', {
    status: 'blocked', reason: '<script>alert("reason")</script>', counts: { '<b>kind</b>': 3 },
    errors: [{ path: '<a href="javascript:alert(3)">x</a>', message: '<iframe src=//evil>', permanent: true }],
    finishedAt: new Date().toISOString()
  })
  await store.setState('recent-actions', '"><svg onload=alert(2)>', [{ at: new Date().toISOString(), kind: '<kind>', path: '<p>.pdf', outcome: '<o>', message: '<m>' }])
  return store
}

t.test('every value from the store is escaped, and the only script is the page\'s own', async t => {
  const app = await build(t, { env, store: await hostileStore() })
  const { cookie } = await login(app)
  const page = await app.inject({ method: 'GET', url: '/admin/', headers: { cookie } })
  t.equal(page.statusCode, 200)
  const body = page.body
  t.equal(body.match(/<script/g)?.length, 1, 'one <script> tag')
  t.match(body, /<script nonce="[^"]+">\n\(function \(\) \{/, 'and it is the nonce-carrying page script')
  for (const raw of ['<img', '<iframe', '<svg', '<b>', '<i>', '<u>', '<kind>', '<p>.pdf', '<a href="javascript']) {
    t.notOk(body.includes(raw), `no raw ${raw}`)
  }
  t.ok(body.includes('&lt;script&gt;alert(&quot;nr&quot;)&lt;/script&gt;'), 'the Aktennummer shows as text')
  t.ok(body.includes('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;too&#39;'), 'the error shows as text')
  t.ok(body.includes('data-akte="&lt;script&gt;alert(&quot;nr&quot;)&lt;/script&gt;"'), 'attributes are escaped too')
  t.ok(body.includes('&lt;script&gt;alert(&quot;reason&quot;)&lt;/script&gt;'), 'the blocked reason shows as text')
  t.match(page.headers['content-security-policy'], /default-src 'none'/)
})

t.test('results of any shape render; the sections show queue, blocked Akten, results and recent actions', async t => {
  const store = new MemoryStore()
  const now = Date.now()
  await store.setState('result', '1', 'not an object')
  await store.setState('result', '2', { status: 7, counts: [1, 2], bytes: 'many', errors: 'none', finishedAt: 'yesterday', durationMs: -5 })
  await store.setState('result', '3', { status: 'synced', counts: { byKind: { 'create-document': 2, skip: 0 } }, bytes: { toEspo: 2048, toWindows: 0 }, durationMs: 1234, errors: [null, 'plain', { message: 'm' }], finishedAt: new Date(now - 60_000).toISOString() })
  await store.setState('result', '4', { status: 'blocked', reason: 'would delete 4 of 5 Documents', finishedAt: now - 1000, futureField: { x: 1 } })
  await store.setState('recent-actions', '4', { actions: [{ at: now, kind: 'soft-delete-document', path: 'a.pdf', direction: 'espo->windows', outcome: 'done', bytes: 10, message: '' }, null, 42] })
  await store.setState('recent-actions', '3', 'garbage')
  await store.setState('force', '4', { requestedAt: new Date(now).toISOString() })
  await store.enqueue(['4'])
  const app = await build(t, { env, store })
  const { cookie } = await login(app)
  const page = await app.inject({ method: 'GET', url: '/admin/', headers: { cookie } })
  t.equal(page.statusCode, 200)
  t.match(page.body, /Blocked Akten \(1\)/)
  t.match(page.body, /would delete 4 of 5 Documents/)
  t.match(page.body, /<button type="button" data-action="force" data-akte="4" aria-label="Forced sync Akte 4">Forced sync<\/button>/)
  t.match(page.body, /Akten and their last sync \(4\)/)
  t.match(page.body, /create-document: 2/)
  t.match(page.body, /the stored result is unreadable/)
  t.match(page.body, /<code>soft-delete-document<\/code>/)
  t.match(page.body, /Pending \(1\)/)
  t.match(page.body, /<th scope="col">Aktennummer<\/th>/)
})

t.test('GET /admin/api/akten lists the last results, newest first, normalised', async t => {
  const store = new MemoryStore()
  await store.setState('result', 'old', { status: 'synced', finishedAt: '2026-01-01T10:00:00Z', counts: { 'create-document': 1, skip: 0 }, bytes: { toEspo: 5, toWindows: 0 }, durationMs: 10, errors: [] })
  await store.setState('result', 'new', { status: 'blocked', reason: 'r', finishedAt: '2026-06-01T10:00:00Z', errors: [{ path: 'p', message: 'm', permanent: true, extra: 1 }], skipped: [{}, {}], forced: true })
  await store.setState('result', 'odd', ['not', 'a', 'summary'])
  const app = await build(t, { env, store })
  t.equal((await app.inject({ method: 'GET', url: '/admin/api/akten' })).statusCode, 401)

  const res = await app.inject({ method: 'GET', url: '/admin/api/akten', headers: auth })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.total, 3)
  t.same(body.akten.map((a: { aktennummer: string }) => a.aktennummer), ['new', 'old', 'odd'])
  t.same(body.akten[0], {
    aktennummer: 'new', status: 'blocked', reason: 'r', counts: {}, bytes: { toEspo: 0, toWindows: 0 }, durationMs: null,
    forced: true, skipped: 2, errors: [{ path: 'p', message: 'm', permanent: true }], errorCount: 1, finishedAt: '2026-06-01T10:00:00.000Z'
  })
  t.same(body.akten[1].counts, { 'create-document': 1 })
  t.equal(body.akten[2].status, 'unknown')

  const blocked = await app.inject({ method: 'GET', url: '/admin/api/akten?status=blocked', headers: auth })
  t.same(blocked.json().akten.map((a: { aktennummer: string }) => a.aktennummer), ['new'])
  const limited = await app.inject({ method: 'GET', url: '/admin/api/akten?limit=1', headers: auth })
  t.equal(limited.json().total, 3)
  t.equal(limited.json().akten.length, 1)
  t.equal((await app.inject({ method: 'GET', url: '/admin/api/akten?limit=0', headers: auth })).statusCode, 400)
  t.equal((await app.inject({ method: 'GET', url: '/admin/api/akten?status=%3Cx%3E', headers: auth })).statusCode, 400)
})

t.test('a store outage shows an HTML notice with 503, and the API answers 503', async t => {
  const memory = new MemoryStore()
  const store = Object.assign(Object.create(memory) as MemoryStore, {
    overview: async () => { throw new Error('ECONNREFUSED') },
    listStateIds: async () => { throw new Error('ECONNREFUSED') }
  })
  const app = await build(t, { env, store })
  const { cookie } = await login(app).catch(() => ({ cookie: '' }))
  t.equal(cookie, '', 'the dashboard cannot be read, so login() finds no CSRF token')
  const res = await app.inject({ method: 'POST', url: '/admin/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${TOKEN}` })
  const session = String(res.headers['set-cookie']).split(';')[0] as string
  const page = await app.inject({ method: 'GET', url: '/admin/', headers: { cookie: session } })
  t.equal(page.statusCode, 503)
  t.match(page.body, /store is unavailable/)
  t.equal((await app.inject({ method: 'GET', url: '/admin/api/akten', headers: auth })).statusCode, 503)
})

t.test('GET /admin/sections is the refreshable sections alone, for the page script to swap in', async t => {
  const store = new MemoryStore()
  await store.enqueue(['3'])
  const app = await build(t, { env, store })
  t.equal((await app.inject({ method: 'GET', url: '/admin/sections' })).statusCode, 401)
  const { cookie } = await login(app)
  const res = await app.inject({ method: 'GET', url: '/admin/sections', headers: { cookie } })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/html/)
  t.same([...res.body.matchAll(/<section id="([a-z]+)" data-refresh/g)].map(m => m[1]), ['summary', 'queue', 'blocked', 'akten', 'recent'])
  t.notMatch(res.body, /<(style|script|html|head|form)/, 'no head, style, script or form: nothing to re-run or to reset')
  t.match(res.body, /Pending \(1\)/)
})
