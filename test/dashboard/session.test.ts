import t from 'tap'
import { escapeHtml, html, trusted } from '../../src/dashboard/html.js'
import { createSession, csrfMatches, csrfToken, SESSION_TTL_MS, sessionFromCookieHeader, verifySession } from '../../src/dashboard/session.js'

const TOKEN = 'admin-token-for-tests'

t.test('a session is valid for its token and lifetime only', async t => {
  const now = 1_800_000_000_000
  const session = createSession(TOKEN, now)
  t.ok(verifySession(TOKEN, session, now))
  t.ok(verifySession(TOKEN, session, now + SESSION_TTL_MS - 1))
  t.notOk(verifySession(TOKEN, session, now + SESSION_TTL_MS), 'expired')
  t.notOk(verifySession(TOKEN, session, now - 120_000), 'issued in the future')
  t.notOk(verifySession('another-admin-token', session, now), 'another token')
  t.notOk(verifySession(TOKEN, session.replace(`v1.${now}.`, `v1.${now + 1}.`), now), 'a changed timestamp')
  t.notOk(verifySession(TOKEN, `${session}x`, now))
  t.notOk(verifySession(TOKEN, '', now))
  t.not(createSession(TOKEN, now), session, 'each login gets its own session')
})

t.test('the CSRF token belongs to one session and one admin token', async t => {
  const a = createSession(TOKEN)
  const b = createSession(TOKEN)
  t.ok(csrfMatches(TOKEN, a, csrfToken(TOKEN, a)))
  t.notOk(csrfMatches(TOKEN, b, csrfToken(TOKEN, a)))
  t.notOk(csrfMatches(TOKEN, a, csrfToken('another-admin-token', a)))
  t.notOk(csrfMatches(TOKEN, a, undefined))
  t.notOk(csrfMatches(TOKEN, a, ['x']))
})

t.test('the session cookie is found among others', async t => {
  t.equal(sessionFromCookieHeader('a=1; advoware_sync_admin=v1.x ; b=2'), 'v1.x')
  t.equal(sessionFromCookieHeader('xadvoware_sync_admin=1'), undefined)
  t.equal(sessionFromCookieHeader(undefined), undefined)
})

t.test('html escapes every interpolation unless it is Html already', async t => {
  t.equal(escapeHtml('<a href="x" title=\'y\'>&`</a>'), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;')
  const inner = html`<b>${'<i>'}</b>`
  t.equal(html`<p title="${'"'}">${inner}${[1, '<', null, undefined, false]}${trusted('<hr>')}</p>`.value, '<p title="&quot;"><b>&lt;i&gt;</b>1&lt;<hr></p>')
})
