import t from 'tap'
import { MemoryStore } from '../../src/store/memory-store.js'
import { build } from '../helpers/app.js'
import { FORM, login, TOKEN } from './login.js'

const env = { ADMIN_TOKEN: TOKEN }

t.test('without ADMIN_TOKEN the dashboard says it is disabled, with 401', async t => {
  const app = await build(t, {})
  const page = await app.inject({ method: 'GET', url: '/admin/' })
  t.equal(page.statusCode, 401)
  t.match(page.headers['content-type'], /^text\/html/)
  t.match(page.body, /admin UI is disabled/)
  const post = await app.inject({ method: 'POST', url: '/admin/login', headers: FORM, payload: 'token=anything-at-all' })
  t.equal(post.statusCode, 401)
  t.notOk(post.headers['set-cookie'])
  t.equal((await app.inject({ method: 'GET', url: '/admin/api/akten', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 401)
})

t.test('/admin redirects to /admin/; without a session the page is the login form', async t => {
  const app = await build(t, { env })
  const bare = await app.inject({ method: 'GET', url: '/admin' })
  t.equal(bare.statusCode, 301)
  t.equal(bare.headers.location, 'admin/')
  const page = await app.inject({ method: 'GET', url: '/admin/' })
  t.equal(page.statusCode, 401)
  t.match(page.body, /<form method="post" action="login">/)
  t.match(page.body, /<label for="token">Admin token<\/label>/)
  t.match(page.body, /<input type="password" id="token" name="token"/)
  t.notMatch(page.body, /csrf-token/)
})

t.test('login sets a signed HttpOnly, SameSite=Strict cookie for /admin; a wrong token does not', async t => {
  const app = await build(t, { env })
  const wrong = await app.inject({ method: 'POST', url: '/admin/login', headers: FORM, payload: 'token=not-the-token' })
  t.equal(wrong.statusCode, 401)
  t.notOk(wrong.headers['set-cookie'])
  t.match(wrong.body, /not the admin token/)

  const res = await app.inject({ method: 'POST', url: '/admin/login', headers: FORM, payload: `token=${TOKEN}` })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, './')
  const cookie = String(res.headers['set-cookie'])
  t.match(cookie, /^advoware_sync_admin=v1\.\d+\.[\w-]+\.[\w-]+; /)
  t.match(cookie, /; Path=\/admin(;|$)/)
  t.match(cookie, /; HttpOnly(;|$)/)
  t.match(cookie, /; SameSite=Strict(;|$)/)
  t.notMatch(cookie, /Secure/, 'plain HTTP: a Secure cookie would never come back')
  t.notMatch(cookie, new RegExp(TOKEN), 'the token itself is not in the cookie')

  const proxied = await app.inject({ method: 'POST', url: '/admin/login', headers: { ...FORM, 'x-forwarded-proto': 'https' }, payload: `token=${TOKEN}` })
  t.match(String(proxied.headers['set-cookie']), /; Secure/)

  const page = await app.inject({ method: 'GET', url: '/admin/', headers: { cookie: cookie.split(';')[0] as string } })
  t.equal(page.statusCode, 200)
  t.match(page.body, /advoware-sync status/)
  t.match(page.headers['content-security-policy'], /script-src 'nonce-[^']+'/)
  t.equal(page.headers['cache-control'], 'no-store')
  t.equal(page.headers['x-frame-options'], 'DENY')
})

t.test('a forged, tampered or foreign session cookie is no session', async t => {
  const app = await build(t, { env })
  const other = await build(t, { env: { ADMIN_TOKEN: 'another-admin-token' } })
  const { cookie } = await login(app)
  const foreign = await login(other, 'another-admin-token')
  const later = cookie.replace(/=v1\.(\d+)\./, (_m, n: string) => `=v1.${Number(n) + 1}.`)
  const resigned = cookie.slice(0, -1) + (cookie.endsWith('A') ? 'B' : 'A')
  for (const bad of [later, resigned, foreign.cookie, 'advoware_sync_admin=v1.1.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'advoware_sync_admin=']) {
    t.equal((await app.inject({ method: 'GET', url: '/admin/', headers: { cookie: bad } })).statusCode, 401, bad)
    t.equal((await app.inject({ method: 'GET', url: '/admin/api/queue', headers: { cookie: bad } })).statusCode, 401, bad)
  }
})

t.test('the JSON API accepts the session cookie, but POSTs with it need the CSRF token', async t => {
  const store = new MemoryStore()
  await store.enqueue(['9'])
  await store.claim('w', 60_000, 1)
  await store.retryLater('9', 'w', { error: 'boom', delayMs: 0, maxAttempts: 1 })
  const app = await build(t, { env, store })
  const { cookie, csrf } = await login(app)

  t.equal((await app.inject({ method: 'GET', url: '/admin/api/queue', headers: { cookie } })).statusCode, 200)
  const refusals = [
    { cookie },
    { cookie, 'x-csrf-token': 'guessed' },
    { cookie, 'x-csrf-token': csrf, 'sec-fetch-site': 'cross-site' },
    { cookie, 'x-csrf-token': csrf, 'sec-fetch-site': 'same-site' }
  ]
  for (const headers of refusals) {
    const res = await app.inject({ method: 'POST', url: '/admin/api/akten/9/retry', headers })
    t.equal(res.statusCode, 403, JSON.stringify(headers))
    t.match(res.json().message, /x-csrf-token/)
  }
  const form = await app.inject({ method: 'POST', url: '/admin/api/akten', headers: { cookie, ...FORM }, payload: 'aktennummern=1' })
  t.equal(form.statusCode, 403, 'a cross-site form post is refused before its body is read')
  t.same(await store.depths(), { pending: 0, processing: 0, delayed: 0, failed: 1 }, 'nothing changed')

  const ok = await app.inject({ method: 'POST', url: '/admin/api/akten/9/retry', headers: { cookie, 'x-csrf-token': csrf, 'sec-fetch-site': 'same-origin' } })
  t.equal(ok.statusCode, 202)
  t.same(await store.depths(), { pending: 1, processing: 0, delayed: 0, failed: 0 })

  const wrongBearer = await app.inject({ method: 'GET', url: '/admin/api/queue', headers: { cookie, authorization: 'Bearer nope-nope' } })
  t.equal(wrongBearer.statusCode, 401, 'a bearer header decides alone')
  const bearer = await app.inject({ method: 'POST', url: '/admin/api/akten', headers: { authorization: `Bearer ${TOKEN}` }, payload: { aktennummern: ['5'] } })
  t.equal(bearer.statusCode, 202, 'the bearer path needs no CSRF token')
})

t.test('logout clears the cookie; with a live session only from the dashboard form', async t => {
  const app = await build(t, { env })
  const { cookie, csrf } = await login(app)
  const forged = await app.inject({ method: 'POST', url: '/admin/logout', headers: { cookie, ...FORM }, payload: '' })
  t.equal(forged.statusCode, 403)
  t.notOk(forged.headers['set-cookie'])
  const res = await app.inject({ method: 'POST', url: '/admin/logout', headers: { cookie, ...FORM }, payload: `csrf=${csrf}` })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, './')
  t.match(String(res.headers['set-cookie']), /^advoware_sync_admin=; Path=\/admin; HttpOnly; SameSite=Strict; Max-Age=0/)
  const dead = await app.inject({ method: 'POST', url: '/admin/logout', headers: FORM, payload: '' })
  t.equal(dead.statusCode, 303, 'without a session there is nothing to protect')
})
