import t from 'tap'
import { TokenCache, tokenFromResponse, type CachedToken } from '../../../src/clients/advoware/token-cache.js'

const NOW = Date.parse('2026-03-24T10:00:00Z')

t.test('tokenFromResponse: refresh point is 60 s before expiration_utc', async t => {
  const token = tokenFromResponse({ access_token: 'a', expiration_utc: '2026-03-24T11:00:00Z', expires_in: 10 }, NOW, 60_000)
  t.same(token, { accessToken: 'a', refreshAt: Date.parse('2026-03-24T10:59:00Z') })
})

t.test('tokenFromResponse: expiration_utc without a zone is read as UTC', async t => {
  t.equal(tokenFromResponse({ access_token: 'a', expiration_utc: '2026-03-24T11:00:00' }, NOW, 60_000).refreshAt, Date.parse('2026-03-24T10:59:00Z'))
})

t.test('tokenFromResponse: falls back to expires_in, and never keeps more than half a short lifetime as margin', async t => {
  t.equal(tokenFromResponse({ access_token: 'a', expires_in: 3600 }, NOW, 60_000).refreshAt, NOW + 3_540_000)
  t.equal(tokenFromResponse({ access_token: 'a', expires_in: 60 }, NOW, 60_000).refreshAt, NOW + 30_000)
  t.equal(tokenFromResponse({ access_token: 'a' }, NOW, 60_000).refreshAt, NOW + 240_000)
})

t.test('tokenFromResponse: refuses answers without a token', async t => {
  t.throws(() => tokenFromResponse(null, NOW, 0), { name: 'ExternalError', kind: 'protocol' })
  t.throws(() => tokenFromResponse({ access_token: '' }, NOW, 0), { name: 'ExternalError', kind: 'protocol' })
})

t.test('TokenCache: single flight, failures are not cached, invalidate only drops the refused token', async t => {
  let now = NOW
  let calls = 0
  let fail = true
  let release!: () => void
  const gate = new Promise<void>(resolve => { release = resolve })
  const cache = new TokenCache(async (): Promise<CachedToken> => {
    calls++
    await gate
    if (fail) throw new Error('gateway down')
    return { accessToken: `tok-${calls}`, refreshAt: now + 1000 }
  }, () => now)
  const first = Promise.allSettled([cache.get(), cache.get(), cache.get()])
  release()
  t.same((await first).map(r => r.status), ['rejected', 'rejected', 'rejected'])
  t.equal(calls, 1, 'one request for three callers')
  fail = false
  t.equal(await cache.get(), 'tok-2', 'a failure is not cached')
  t.equal(await cache.get(), 'tok-2')
  cache.invalidate('tok-1')
  t.equal(await cache.get(), 'tok-2', 'an older token does not evict the current one')
  cache.invalidate('tok-2')
  t.equal(await cache.get(), 'tok-3')
  now += 1000
  t.equal(await cache.get(), 'tok-4', 'expired at refreshAt')
})
