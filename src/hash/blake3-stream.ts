import { Transform } from 'node:stream'
import type { TransformCallback } from 'node:stream'
import type { IHasher } from 'hash-wasm'
import { createBlake3Hasher } from './blake3.js'
import type { Blake3Digest } from './blake3.js'

/** Raised by a hashing stream given `expect` when the bytes that passed do not match. */
export class Blake3MismatchError extends Error {
  readonly code = 'BLAKE3_MISMATCH'
  constructor (readonly expected: string, readonly actual: string, readonly size: number) {
    super(`BLAKE3 mismatch: expected ${expected}, got ${actual} over ${size} bytes`)
    this.name = 'Blake3MismatchError'
  }
}

export interface HashingStreamOptions {
  /**
   * Expected hex hash. On mismatch the stream errors at its end, before it
   * signals completion, so a `pipeline` into an upload or a file rejects
   * instead of committing unverified bytes.
   */
  expect?: string
}

/**
 * A pass-through that hashes the bytes flowing to their destination, so
 * download -> verify -> upload is one pass in constant memory. `digest`
 * settles when the stream ends (or rejects when it fails or is destroyed).
 */
export class Blake3Transform extends Transform {
  readonly digest: Promise<Blake3Digest>
  private hasher: IHasher | undefined
  private size = 0
  private settle!: { resolve: (d: Blake3Digest) => void, reject: (e: Error) => void }
  private readonly expected: string | undefined

  constructor (options: HashingStreamOptions = {}) {
    super()
    this.expected = options.expect?.toLowerCase()
    this.digest = new Promise<Blake3Digest>((resolve, reject) => { this.settle = { resolve, reject } })
    // Callers that only pipe must not crash the process with an unhandled rejection.
    this.digest.catch(() => {})
  }

  override _construct (callback: (error?: Error | null) => void): void {
    createBlake3Hasher().then(h => { this.hasher = h; callback() }, callback)
  }

  override _transform (chunk: Buffer | string, encoding: BufferEncoding, callback: TransformCallback): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk
    this.hasher!.update(bytes)
    this.size += bytes.length
    callback(null, bytes)
  }

  override _flush (callback: TransformCallback): void {
    const hash = this.hasher!.digest('hex')
    if (this.expected !== undefined && hash !== this.expected) {
      callback(new Blake3MismatchError(this.expected, hash, this.size))
      return
    }
    this.settle.resolve({ hash, size: this.size })
    callback()
  }

  override _destroy (error: Error | null, callback: (error?: Error | null) => void): void {
    this.settle.reject(error ?? new Error('hashing stream destroyed before its end'))
    callback(error)
  }
}

/** Function form of `Blake3Transform`: `{ stream, digest }`. */
export function hashingStream (options: HashingStreamOptions = {}): { stream: Blake3Transform, digest: Promise<Blake3Digest> } {
  const stream = new Blake3Transform(options)
  return { stream, digest: stream.digest }
}
