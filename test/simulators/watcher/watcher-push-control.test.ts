import t from 'tap'
import type { Test } from 'tap'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { request } from 'undici'
import { blake3Hex } from '../../../src/hash/blake3.js'
import { listingUrl, startWatcher } from './helpers.js'

interface Received { authorization: string | undefined, body: { akte: string, paths: string[] } }

async function startReceiver (t: Test, status = 204): Promise<{ url: string, received: Received[] }> {
  const received: Received[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => { body += c.toString() })
    req.on('end', () => {
      received.push({ authorization: req.headers.authorization, body: JSON.parse(body) })
      res.statusCode = status
      res.end()
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => { await new Promise(resolve => server.close(resolve)) })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/watcher`, received }
}

t.test('push notifications: PUT, direct disk change, rescan, explicit', async t => {
  const receiver = await startReceiver(t)
  const { sim, put, get } = await startWatcher(t, { pushUrl: receiver.url, pushToken: 'push-secret' })
  await sim.createAkte('12/2026')
  await put('12/2026', 'Sub/a.pdf', 'a', await blake3Hex('a'))
  await sim.push.drain()
  t.same(receiver.received, [{ authorization: 'Bearer push-secret', body: { akte: '12/2026', paths: ['Sub/a.pdf'] } }])

  await get(listingUrl('12/2026'))
  await sim.push.drain()
  t.equal(receiver.received.length, 1, 'an unchanged listing pushes nothing')

  await writeFile(join(sim.akteDir('12/2026'), 'Sub', 'a.pdf'), 'edited on the share')
  await writeFile(join(sim.akteDir('12/2026'), 'b.pdf'), 'new on the share')
  await get(listingUrl('12/2026'))
  await sim.push.drain()
  t.same(receiver.received[1]?.body, { akte: '12/2026', paths: ['Sub/a.pdf', 'b.pdf'] })

  await writeFile(join(sim.akteDir('12/2026'), 'c.pdf'), 'c')
  t.same(await sim.rescan('12/2026'), ['c.pdf'])
  sim.notifyChanged('12/2026', ['x.pdf'])
  await sim.push.drain()
  t.same(receiver.received.slice(2).map(r => r.body.paths), [['c.pdf'], ['x.pdf']])
  t.ok(sim.push.sent.every(p => p.status === 204))
})

t.test('push failures are recorded, never thrown', async t => {
  const refusing = await startReceiver(t, 500)
  const { sim, put } = await startWatcher(t, { pushUrl: 'http://127.0.0.1:9/closed', pushToken: 's' })
  await sim.createAkte('1')
  t.equal((await put('1', 'a.txt', 'a', await blake3Hex('a'))).status, 200)
  await sim.push.drain()
  t.match(sim.push.sent, [{ akte: '1', paths: ['a.txt'], error: String }])
  sim.push.configure(refusing.url, 's')
  await sim.writeFile('1', 'b.txt', 'b')
  await sim.push.drain()
  t.match(sim.push.sent[1], { status: 500 })
})

t.test('/__sim control routes', async t => {
  const receiver = await startReceiver(t)
  const { sim, get } = await startWatcher(t)
  const call = async (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<any> => {
    const res = await request(`${sim.url}${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body), headers: body === undefined ? {} : { 'content-type': 'application/json' }
    })
    const text = await res.body.text()
    return { status: res.statusCode, json: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text }
  }
  t.equal((await call('POST', '/__sim/push', { url: receiver.url, token: 'p' })).status, 200)
  t.equal((await call('POST', '/__sim/akten', { akte: '5/26' })).status, 200)
  const written = await call('POST', '/__sim/files', { akte: '5/26', path: 'a/b.txt', content: 'hello', mtime: '2026-02-01T12:00:00Z' })
  t.match(written.json, { path: 'a/b.txt', size: 5, modified: '2026-02-01T13:00:00+01:00' })
  await call('POST', '/__sim/files', { akte: '5/26', path: 'bin', contentBase64: Buffer.from([0, 255]).toString('base64') })
  t.same((await call('GET', '/__sim/files?akte=5%2F26&path=a%2Fb.txt')).json, 'hello')
  t.equal((await call('GET', '/__sim/files?akte=5%2F26&path=nope')).status, 404)
  t.equal((await call('GET', '/__sim/usn')).json.usn, sim.currentUsn())
  t.match((await call('POST', '/__sim/touch', { akte: '5/26', path: 'a/b.txt' })).json, { path: 'a/b.txt' })
  t.match((await call('POST', '/__sim/files/rename', { akte: '5/26', from: 'a/b.txt', to: 'c.txt' })).json, { path: 'c.txt' })
  t.equal((await call('POST', '/__sim/files/rename', { akte: '5/26', from: 'gone', to: 'x' })).status, 400)
  t.same((await call('DELETE', '/__sim/files?akte=5%2F26&path=bin')).json, { deleted: true })
  await writeFile(join(sim.akteDir('5/26'), 'direct.txt'), 'x')
  t.same((await call('POST', '/__sim/rescan', { akte: '5/26' })).json, { changed: ['direct.txt'] })
  t.same((await call('POST', '/__sim/notify', { akte: '5/26', paths: ['p'] })).json, { ok: true })
  t.match((await call('GET', '/__sim/stats')).json, { hashes: Number, scans: 1 })
  await sim.push.drain()
  t.ok((await call('GET', '/__sim/pushes')).json.length >= 6)
  t.same((await get(listingUrl('5/26'))).json.files.map((f: any) => f.path), ['c.txt', 'direct.txt'])
  t.same((await call('DELETE', '/__sim/akten?akte=5%2F26')).json, { removed: true })
  t.equal((await get(listingUrl('5/26'))).status, 404)
  await call('POST', '/__sim/faults', { kind: 'status', status: 503, match: '/akte-details' })
  await sim.createAkte('6')
  t.equal((await get(listingUrl('6'))).status, 503)
  t.equal((await get(listingUrl('6'))).status, 200)
})
