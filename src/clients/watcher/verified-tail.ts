import { Transform } from 'node:stream'
import type { TransformCallback } from 'node:stream'
import { ExternalError } from '../errors.js'
import type { Blake3Digest } from '../../hash/blake3.js'

/**
 * The last stage of a verified download. It holds back the most recent chunk
 * until the hash of everything before it is known: on a mismatch the final
 * bytes are never released, so an upload fed from this stream (even with a
 * Content-Length) can never reach the server complete and commit.
 * `verified` settles with the hash once the check passed, or rejects.
 */
export class VerifiedTail extends Transform {
  readonly verified: Promise<string>
  private held: Buffer | undefined
  private settle!: { resolve: (hash: string) => void, reject: (error: Error) => void }

  constructor (
    private readonly digest: Promise<Blake3Digest>,
    private readonly expected: string | undefined,
    private readonly describe: { operation: string, subject: string }
  ) {
    super()
    this.verified = new Promise<string>((resolve, reject) => { this.settle = { resolve, reject } })
    // A consumer that only pipes must not crash the process with an unhandled rejection.
    this.verified.catch(() => {})
  }

  override _transform (chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const previous = this.held
    this.held = chunk
    callback(null, previous)
  }

  override _flush (callback: TransformCallback): void {
    this.digest.then(({ hash, size }) => {
      if (this.expected !== undefined && hash !== this.expected) {
        callback(new ExternalError({
          system: 'watcher',
          kind: 'integrity',
          operation: this.describe.operation,
          message: `watcher ${this.describe.operation}: BLAKE3 mismatch for ${this.describe.subject}: expected ${this.expected}, got ${hash} over ${size} bytes`
        }))
        return
      }
      this.settle.resolve(hash)
      callback(null, this.held)
    }, callback)
  }

  override _destroy (error: Error | null, callback: (error?: Error | null) => void): void {
    this.held = undefined
    this.settle.reject(error ?? new Error('download stream destroyed before its end'))
    callback(error)
  }
}
