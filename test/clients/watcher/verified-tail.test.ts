import t from 'tap'
import { Readable } from 'node:stream'
import { Blake3Transform } from '../../../src/hash/blake3-stream.js'
import { blake3Hex } from '../../../src/hash/blake3.js'
import { VerifiedTail } from '../../../src/clients/watcher/verified-tail.js'

const CHUNKS = [Buffer.alloc(10, 1), Buffer.alloc(10, 2), Buffer.alloc(10, 3)]

function verifiedStream (expected: string | undefined): VerifiedTail {
  const hasher = new Blake3Transform()
  const tail = new VerifiedTail(hasher.digest, expected, { operation: 'download', subject: 'test' })
  Readable.from(CHUNKS).pipe(hasher).pipe(tail)
  return tail
}

async function drain (tail: VerifiedTail): Promise<{ received: Buffer[], error?: unknown }> {
  const received: Buffer[] = []
  try {
    for await (const chunk of tail) received.push(chunk as Buffer)
  } catch (error) {
    return { received, error }
  }
  return { received }
}

t.test('matching hash: every byte released, verified resolves', async t => {
  const hash = await blake3Hex(Buffer.concat(CHUNKS))
  const tail = verifiedStream(hash)
  const { received, error } = await drain(tail)
  t.equal(error, undefined)
  t.same(Buffer.concat(received), Buffer.concat(CHUNKS))
  t.equal(await tail.verified, hash)
})

t.test('mismatch: the last chunk is never released and the error is integrity', async t => {
  const tail = verifiedStream('0'.repeat(64))
  const { received, error } = await drain(tail)
  t.match(error, { name: 'ExternalError', kind: 'integrity', system: 'watcher', message: /BLAKE3 mismatch for test/ })
  t.same(Buffer.concat(received), Buffer.concat(CHUNKS.slice(0, 2)), 'all but the final chunk')
  await t.rejects(tail.verified, { name: 'ExternalError', kind: 'integrity' })
})

t.test('no expected hash: passes through and reports the hash', async t => {
  const tail = verifiedStream(undefined)
  const { received } = await drain(tail)
  t.equal(Buffer.concat(received).length, 30)
  t.equal(await tail.verified, await blake3Hex(Buffer.concat(CHUNKS)))
})

t.test('destroyed early: verified rejects', async t => {
  const tail = verifiedStream(undefined)
  tail.destroy()
  await t.rejects(tail.verified, { message: /destroyed/ })
})
