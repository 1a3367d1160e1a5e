import { createReadStream } from 'node:fs'
import { blake3, createBLAKE3 } from 'hash-wasm'
import type { IHasher } from 'hash-wasm'

/** A BLAKE3 digest (64 lowercase hex chars, 256 bits) and the number of bytes hashed. */
export interface Blake3Digest {
  hash: string
  size: number
}

/** BLAKE3 hex of an empty input: handy for zero-byte files and tests. */
export const BLAKE3_EMPTY = 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262'

/** Read size for files: large reads keep the WASM call overhead negligible. */
const FILE_CHUNK = 1024 * 1024

const HEX64 = /^[0-9a-f]{64}$/

/** A fresh hasher. hash-wasm instances keep state, so each stream gets its own. */
export async function createBlake3Hasher (): Promise<IHasher> {
  const hasher = await createBLAKE3()
  return hasher.init()
}

/**
 * One-shot hash of data already in memory. hash-wasm's one-shot function runs
 * synchronously on its shared instance once loaded, so concurrent calls are safe.
 */
export async function blake3Hex (data: Uint8Array | string): Promise<string> {
  return await blake3(data)
}

/** Hashes a whole stream (or any async iterable of bytes); strings count as UTF-8. */
export async function blake3OfStream (source: AsyncIterable<Uint8Array | string>): Promise<Blake3Digest> {
  const hasher = await createBlake3Hasher()
  let size = 0
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    hasher.update(bytes)
    size += bytes.length
  }
  return { hash: hasher.digest('hex'), size }
}

export async function blake3OfFile (path: string): Promise<Blake3Digest> {
  return await blake3OfStream(createReadStream(path, { highWaterMark: FILE_CHUNK }))
}

/** Normalises a hash from a header or a record; undefined when it is not 64 hex chars. */
export function normaliseBlake3 (value: string | null | undefined): string | undefined {
  if (typeof value !== 'string') return undefined
  const lower = value.trim().toLowerCase()
  return HEX64.test(lower) ? lower : undefined
}
