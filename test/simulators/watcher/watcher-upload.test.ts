import t from 'tap'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { request } from 'undici'
import { blake3Hex } from '../../../src/hash/blake3.js'
import { listingUrl, startWatcher, TOKEN } from './helpers.js'

t.test('PUT: good upload, listing agrees without rehashing', async t => {
  const { sim, put, get } = await startWatcher(t)
  await sim.createAkte('12/2026')
  const data = Buffer.from('%PDF-1.7 Klageschrift')
  const res = await put('12/2026', 'Klageschrift.pdf', data, (await blake3Hex(data)).toUpperCase())
  t.equal(res.status, 200)
  t.match(res.json, { path: 'Klageschrift.pdf', usn: /^\d{16,}$/, blake3Hash: await blake3Hex(data) })
  t.same(await readFile(join(sim.akteDir('12/2026'), 'Klageschrift.pdf')), data)
  const hashesBefore = sim.stats.hashes
  const listing = await get(listingUrl('12/2026'))
  t.same(listing.json.files.map((f: any) => [f.path, f.usn, f.blake3Hash]), [[res.json.path, res.json.usn, res.json.blake3Hash]])
  t.equal(sim.stats.hashes, hashesBefore, 'upload hash reused')
  t.equal(sim.stats.uploads, 1)
})

t.test('PUT: 422 on mismatch leaves the target untouched and no temp file', async t => {
  const { sim, put } = await startWatcher(t)
  const original = await sim.writeFile('1', 'doc.pdf', 'original')
  const res = await put('1', 'doc.pdf', 'replacement', await blake3Hex('something else'))
  t.equal(res.status, 422)
  t.match(res.json, { error: 'hash mismatch', actual: await blake3Hex('replacement'), size: 11 })
  t.same(await sim.readFile('1', 'doc.pdf'), Buffer.from('original'))
  t.same(await readdir(sim.akteDir('1')), ['doc.pdf'])
  t.equal(sim.currentUsn(), original.usn, 'no USN consumed')
})

t.test('PUT: 400 for missing/invalid hash and Windows-invalid names; 404 without Akte folder', async t => {
  const { sim, put } = await startWatcher(t, { windowsBase: 'D:\\Advoware\\Akten\\' })
  await sim.createAkte('1')
  const hash = await blake3Hex('x')
  t.match(await put('1', 'a.txt', 'x', undefined), { status: 400, json: { reason: /X-Blake3-Hash/ } })
  t.match(await put('1', 'a.txt', 'x', 'abc'), { status: 400, json: { reason: /64 hex/ } })
  for (const name of ['a<b.pdf', 'a:b.pdf', 'a"b', 'a|b', 'a?b', 'a*b', 'a\\b.pdf', 'ctl\u0001.pdf', 'trailing.', 'trailing ',
    'CON', 'nul.txt', 'sub/LPT1.pdf', 'COM9.doc', '../escape.pdf', 'sub/../x.pdf', '/abs.pdf', 'a//b.pdf', 'dir./x.pdf']) {
    const res = await put('1', name, 'x', hash)
    t.equal(res.status, 400, JSON.stringify(name))
    t.type(res.json.reason, 'string')
  }
  // D:\Advoware\Akten\ (18) + '1\' (2) = 20: a 239-character name reaches 259, one more is too long.
  t.equal((await put('1', `${'n'.repeat(235)}.txt`, 'x', hash)).status, 200)
  t.match(await put('1', `${'n'.repeat(236)}.txt`, 'x', hash), { status: 400, json: { error: 'path too long' } })
  t.match(await put('missing', 'a.txt', 'x', hash), { status: 404 })
  t.same((await readdir(sim.akteDir('1'))).length, 1)
})

t.test('PUT: subfolders via encoded slash, Aktennummer with slash', async t => {
  const { sim, put } = await startWatcher(t)
  await sim.createAkte('12/2026')
  const res = await put('12/2026', 'Schriftsatz/2026/Antrag.pdf', 'antrag', await blake3Hex('antrag'))
  t.equal(res.status, 200)
  t.equal(res.json.path, 'Schriftsatz/2026/Antrag.pdf')
  t.same(await readFile(join(sim.akteDir('12/2026'), 'Schriftsatz', '2026', 'Antrag.pdf'), 'utf8'), 'antrag')
  const unencoded = await request(`${sim.url}/files/12%2F2026/Schriftsatz/x.pdf`, {
    method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'x-blake3-hash': await blake3Hex('x') }, body: 'x'
  })
  t.equal(unencoded.statusCode, 400, 'a raw / in the filename is refused')
  await unencoded.body.dump()
  await writeFile(join(sim.akteDir('12/2026'), 'plain'), 'file')
  t.equal((await put('12/2026', 'plain/x.pdf', 'x', await blake3Hex('x'))).status, 409, 'a file where a folder should be')
})

t.test('PUT: case and normalisation collisions overwrite the existing name', async t => {
  const { sim, put, get } = await startWatcher(t)
  await sim.writeFile('1', 'Schriftsatz/Klage.PDF', 'v1')
  await sim.writeFile('1', 'Müller.pdf', 'nfc')
  const a = await put('1', 'SCHRIFTSATZ/klage.pdf', 'v2', await blake3Hex('v2'))
  t.equal(a.json.path, 'Schriftsatz/Klage.PDF')
  const b = await put('1', 'Mu\u0308ller.pdf', 'nfd', await blake3Hex('nfd'))
  t.equal(b.json.path, 'Müller.pdf')
  const listing = await get(listingUrl('1'))
  t.same(listing.json.files.map((f: any) => f.path), ['Müller.pdf', 'Schriftsatz/Klage.PDF'])
  t.same(await sim.readFile('1', 'schriftsatz/klage.pdf'), Buffer.from('v2'))
  t.same(await sim.readFile('1', 'Müller.pdf'), Buffer.from('nfd'))
})

t.test('PUT: a large body streams with any content type (no bodyLimit, no buffering)', async t => {
  const { sim } = await startWatcher(t)
  await sim.createAkte('1')
  const chunk = Buffer.alloc(1024 * 1024, 'z')
  const chunks = 24
  const hash = await blake3Hex(Buffer.concat(Array.from({ length: chunks }, () => chunk)))
  for (const contentType of ['application/json', 'application/pdf']) {
    const res = await request(`${sim.url}/files/1/${encodeURIComponent(`big ${contentType.split('/')[1]!}.bin`)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'x-blake3-hash': hash, 'content-type': contentType },
      body: Readable.from((function * () { for (let i = 0; i < chunks; i++) yield chunk })())
    })
    t.equal(res.statusCode, 200, contentType)
    t.match(await res.body.json(), { blake3Hash: hash })
  }
  t.same((await sim.listing('1'))!.files.map(f => f.size), [chunks * chunk.length, chunks * chunk.length])
})

t.test('PUT: an upload aborted mid-body leaves nothing behind', async t => {
  const { sim, put } = await startWatcher(t)
  await sim.writeFile('1', 'doc.pdf', 'original')
  const body = new Readable({ read () {} })
  const pending = request(`${sim.url}/files/1/doc.pdf`, {
    method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'x-blake3-hash': await blake3Hex('whatever') }, body
  })
  body.push(Buffer.alloc(256 * 1024, 'p'))
  await sleep(50)
  body.destroy(new Error('client gave up'))
  await t.rejects(pending)
  for (let i = 0; i < 50 && (await readdir(sim.akteDir('1'))).length > 1; i++) await sleep(20)
  t.same(await readdir(sim.akteDir('1')), ['doc.pdf'], 'temp file removed')
  t.same(await sim.readFile('1', 'doc.pdf'), Buffer.from('original'))
  t.equal((await put('1', 'doc.pdf', 'v2', await blake3Hex('v2'))).status, 200, 'server still serves')
})
