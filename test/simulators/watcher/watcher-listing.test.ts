import t from 'tap'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { request } from 'undici'
import { blake3Hex } from '../../../src/hash/blake3.js'
import { fileUrl, listingUrl, startWatcher, TOKEN } from './helpers.js'

const TWO_53 = 2n ** 53n

t.test('auth, missing Akte, missing parameters', async t => {
  const { sim, get } = await startWatcher(t)
  await sim.createAkte('1')
  t.equal((await get(listingUrl('1'), 'wrong')).status, 401)
  const anonymous = await request(`${sim.url}${listingUrl('1')}`)
  t.equal(anonymous.statusCode, 401)
  await anonymous.body.dump()
  t.equal((await get(listingUrl('1'))).status, 200)
  t.match(await get(listingUrl('nope')), { status: 404, json: { reason: /does not exist/ } })
  t.equal((await get('/akte-details')).status, 400)
  t.equal((await get('/file?akte=1')).status, 400)
})

t.test('listing: recursive, USN strings above 2^53, local offset, hashes', async t => {
  const { sim, get } = await startWatcher(t, { fixedOffset: '+01:00' })
  await sim.writeFile('12/2026', 'Klageschrift.pdf', 'pdf bytes', { mtime: new Date('2026-03-24T09:15:00Z') })
  await sim.writeFile('12/2026', 'Unterlagen/2026/Vollmacht.pdf', 'vollmacht')
  await sim.writeFile('12/2026', 'leer.txt', '')
  const res = await get(listingUrl('12/2026'))
  t.equal(res.status, 200)
  t.equal(res.json.akte, '12/2026')
  t.same(res.json.files.map((f: any) => f.path), ['Klageschrift.pdf', 'Unterlagen/2026/Vollmacht.pdf', 'leer.txt'])
  const usns = res.json.files.map((f: any) => f.usn)
  for (const usn of usns) {
    t.match(usn, /^\d+$/)
    t.ok(BigInt(usn) > TWO_53, `${usn} > 2^53`)
  }
  // The raw JSON carries strings: a float parse would lose these digits.
  t.match(res.body.toString(), /"usn":"\d{16,}"/)
  t.equal(new Set(usns).size, 3)
  t.match(res.json.files[0], { size: 9, blake3Hash: await blake3Hex('pdf bytes'), modified: '2026-03-24T10:15:00+01:00' })
  t.match(res.json.files[2], { size: 0, blake3Hash: 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262' })
  t.equal(sim.currentUsn(), usns.map(BigInt).reduce((a: bigint, b: bigint) => (a > b ? a : b)).toString())
  t.ok(await sim.resolveAkte('12/2026'))
  t.equal(sim.akteDir('12/2026'), join(sim.options.root, '12_2026'))
})

t.test('unchanged rescan of 1,000 files hashes nothing; direct disk changes bump the USN', async t => {
  const { sim, get } = await startWatcher(t)
  const dir = await sim.createAkte('4711')
  await mkdir(join(dir, 'sub'))
  await Promise.all(Array.from({ length: 1000 }, async (_, i) => await writeFile(join(dir, i % 2 === 0 ? 'sub' : '', `f${i}.txt`), `content ${i}`)))

  const first = await get(listingUrl('4711'))
  t.equal(first.json.files.length, 1000)
  t.equal(sim.stats.hashes, 1000)
  const second = await get(listingUrl('4711'))
  t.equal(sim.stats.hashes, 1000, 'no rehash')
  t.same(second.json, first.json)

  const usnOf = (listing: any, path: string): bigint => BigInt(listing.files.find((f: any) => f.path === path).usn)
  const before = usnOf(second.json, 'f1.txt')
  await writeFile(join(dir, 'f1.txt'), 'changed by a user')
  await writeFile(join(dir, 'new.txt'), 'new')
  await rm(join(dir, 'sub', 'f0.txt'))
  const third = await get(listingUrl('4711'))
  t.equal(sim.stats.hashes, 1002, 'only the changed and the new file are hashed')
  t.ok(usnOf(third.json, 'f1.txt') > before)
  t.equal(third.json.files.find((f: any) => f.path === 'f1.txt').blake3Hash, await blake3Hex('changed by a user'))
  t.ok(usnOf(third.json, 'new.txt') > before)
  t.notOk(third.json.files.some((f: any) => f.path === 'sub/f0.txt'))
  t.equal(usnOf(third.json, 'f3.txt'), usnOf(second.json, 'f3.txt'))
})

t.test('state API: touch, rename, delete, read bump the USN', async t => {
  const { sim } = await startWatcher(t)
  const a = await sim.writeFile('7', 'a.txt', 'A')
  const touched = await sim.touch('7', 'A.TXT', new Date('2026-01-01T00:00:00Z'))
  t.ok(BigInt(touched.usn) > BigInt(a.usn))
  t.equal(touched.path, 'a.txt')
  const renamed = await sim.renameFile('7', 'a.txt', 'sub/b.txt')
  t.ok(BigInt(renamed.usn) > BigInt(touched.usn))
  t.same(await sim.readFile('7', 'SUB/B.txt'), Buffer.from('A'))
  const usnBeforeDelete = BigInt(sim.currentUsn())
  t.equal(await sim.deleteFile('7', 'sub/b.txt'), true)
  t.ok(BigInt(sim.currentUsn()) > usnBeforeDelete)
  t.equal(await sim.deleteFile('7', 'sub/b.txt'), false)
  t.same((await sim.listing('7'))!.files, [])
  await t.rejects(sim.writeFile('7', '../escape.txt', 'x'))
  t.equal(await sim.readFile('missing', 'x'), undefined)
})

t.test('download: bytes, Content-Length, hash header, NTFS lookup, traversal', async t => {
  const { sim, get } = await startWatcher(t)
  const data = Buffer.alloc(300_000, 'x')
  await sim.writeFile('12/2026', 'Schriftsatz/Müller Klage.pdf', data)
  const res = await get(fileUrl('12/2026', 'Schriftsatz/Müller Klage.pdf'))
  t.equal(res.status, 200)
  t.equal(res.headers['content-length'], '300000')
  t.equal(res.headers['x-blake3-hash'], await blake3Hex(data))
  t.ok(res.body.equals(data))
  const variant = await get(fileUrl('12/2026', 'schriftsatz/MU\u0308LLER KLAGE.PDF'))
  t.equal(variant.status, 200, 'case- and normalisation-insensitive')
  t.equal(variant.body.length, 300_000)
  for (const bad of ['../12_2026/x', 'a/../../etc/passwd', '/etc/passwd', 'a\\b', 'C:/x', 'a//b']) {
    t.equal((await get(fileUrl('12/2026', bad))).status, 400, bad)
  }
  t.equal((await get(fileUrl('12/2026', 'Schriftsatz'))).status, 404, 'a folder is not a file')
  t.equal((await get(fileUrl('12/2026', 'missing.pdf'))).status, 404)
  t.equal((await get(fileUrl('nope', 'x'))).status, 404)
})

t.test('download faults: reset mid-body, corrupt byte', async t => {
  const { sim, get } = await startWatcher(t)
  const data = Buffer.alloc(200_000, 'y')
  await sim.writeFile('1', 'big.bin', data)
  sim.faults.resetMidBody(1, '/file')
  const res = await request(`${sim.url}${fileUrl('1', 'big.bin')}`, { headers: { authorization: `Bearer ${TOKEN}` } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-length'], '200000')
  await t.rejects(res.body.arrayBuffer(), 'body fails after part of it')

  sim.faults.corruptNext(1, '/file')
  const corrupt = await get(fileUrl('1', 'big.bin'))
  t.equal(corrupt.body.length, data.length)
  t.not(await blake3Hex(corrupt.body), corrupt.headers['x-blake3-hash'])
  const clean = await get(fileUrl('1', 'big.bin'))
  t.equal(await blake3Hex(clean.body), clean.headers['x-blake3-hash'])
})
