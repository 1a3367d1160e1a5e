import t from 'tap'
import fc from 'fast-check'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { BLAKE3_EMPTY, blake3Hex, blake3OfFile, blake3OfStream, normaliseBlake3 } from '../../src/hash/blake3.js'
import { Blake3MismatchError, Blake3Transform, hashingStream } from '../../src/hash/blake3-stream.js'

// Official BLAKE3 test vectors (test_vectors.json): input byte i is i % 251; first 32 bytes of output.
const VECTORS: Array<[number, string]> = [
  [0, 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262'],
  [1, '2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213'],
  [1023, '10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11'],
  [1024, '42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7'],
  [1025, 'd00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444'],
  [2049, '5f4d72f40d7a5f82b15ca2b2e44b1de3c2ef86c426c95c1af0b6879522563030'],
  [4097, '9b4052b38f1c5fc8b1f9ff7ac7b27cd242487b3d890d15c96a1c25b8aa0fb995'],
  [7169, 'a003fc7a51754a9b3c7fae0367ab3d782dccf28855a03d435f8cfe74605e7817']
]

function vectorInput (length: number): Buffer {
  const buf = Buffer.alloc(length)
  for (let i = 0; i < length; i++) buf[i] = i % 251
  return buf
}

function chunked (data: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map(c => c % (data.length + 1)))].sort((a, b) => a - b)
  const chunks: Buffer[] = []
  let start = 0
  for (const p of [...points, data.length]) {
    chunks.push(data.subarray(start, p))
    start = p
  }
  return chunks
}

const sink = (): Writable => new Writable({ write (_chunk, _enc, cb) { cb() } })

t.test('known vectors, one-shot and streamed', async t => {
  t.equal(BLAKE3_EMPTY, VECTORS[0]![1])
  t.equal(await blake3Hex(''), BLAKE3_EMPTY)
  for (const [length, expected] of VECTORS) {
    const input = vectorInput(length)
    t.equal(await blake3Hex(input), expected, `one-shot ${length}`)
    const streamed = await blake3OfStream(Readable.from(chunked(input, [7, 500, 1024, 3000])))
    t.same(streamed, { hash: expected, size: length }, `streamed ${length}`)
  }
})

t.test('any split into chunks equals the one-shot hash', async t => {
  await fc.assert(fc.asyncProperty(
    fc.uint8Array({ maxLength: 5000 }),
    fc.array(fc.nat(), { maxLength: 8 }),
    async (bytes, cuts) => {
      const data = Buffer.from(bytes)
      const expected = await blake3Hex(data)
      const { hash, size } = await blake3OfStream(Readable.from(chunked(data, cuts)))
      return hash === expected && size === data.length
    }
  ), { numRuns: 60 })
  t.pass('property held')
})

t.test('strings are hashed as UTF-8', async t => {
  const text = 'Klageschrift für Müller'
  t.equal((await blake3OfStream(Readable.from([text]))).hash, await blake3Hex(Buffer.from(text)))
})

t.test('blake3OfFile', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'blake3-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const data = vectorInput(3 * 1024 * 1024 + 17)
  await writeFile(join(dir, 'f.bin'), data)
  await writeFile(join(dir, 'empty'), '')
  t.same(await blake3OfFile(join(dir, 'f.bin')), { hash: await blake3Hex(data), size: data.length })
  t.same(await blake3OfFile(join(dir, 'empty')), { hash: BLAKE3_EMPTY, size: 0 })
  await t.rejects(blake3OfFile(join(dir, 'missing')), { code: 'ENOENT' })
})

t.test('hashing stream passes bytes through unchanged', async t => {
  const data = vectorInput(200_000)
  const { stream, digest } = hashingStream()
  const received: Buffer[] = []
  await pipeline(Readable.from(chunked(data, [1, 65536, 100_000])), stream, new Writable({
    write (chunk: Buffer, _enc, cb) { received.push(chunk); cb() }
  }))
  t.ok(Buffer.concat(received).equals(data))
  t.same(await digest, { hash: await blake3Hex(data), size: data.length })
})

t.test('concurrent hashing streams do not share state', async t => {
  const inputs = [vectorInput(1025), vectorInput(4097), vectorInput(0), vectorInput(7169)]
  const results = await Promise.all(inputs.map(async input => {
    const s = new Blake3Transform()
    await pipeline(Readable.from(chunked(input, [3, 1000])), s, sink())
    return (await s.digest).hash
  }))
  t.same(results, [VECTORS[4]![1], VECTORS[6]![1], VECTORS[0]![1], VECTORS[7]![1]])
})

t.test('expect: a match completes, a mismatch fails the pipeline', async t => {
  const data = vectorInput(1024)
  const ok = hashingStream({ expect: VECTORS[3]![1].toUpperCase() })
  await pipeline(Readable.from([data]), ok.stream, sink())
  t.equal((await ok.digest).hash, VECTORS[3]![1])

  const bad = hashingStream({ expect: BLAKE3_EMPTY })
  await t.rejects(pipeline(Readable.from([data]), bad.stream, sink()), Blake3MismatchError)
  await t.rejects(bad.digest, { code: 'BLAKE3_MISMATCH', expected: BLAKE3_EMPTY, actual: VECTORS[3]![1], size: 1024 })
})

t.test('digest rejects when the source fails', async t => {
  const { stream, digest } = hashingStream()
  const source = new Readable({ read () {} })
  const done = pipeline(source, stream, sink())
  source.push(Buffer.from('partial'))
  source.destroy(new Error('socket reset'))
  await t.rejects(done, { message: 'socket reset' })
  await t.rejects(digest, { message: 'socket reset' })
})

t.test('normaliseBlake3', async t => {
  t.equal(normaliseBlake3(` ${BLAKE3_EMPTY.toUpperCase()} `), BLAKE3_EMPTY)
  t.equal(normaliseBlake3('abc'), undefined)
  t.equal(normaliseBlake3(undefined), undefined)
  t.equal(normaliseBlake3(null), undefined)
})
