import type { Readable } from 'node:stream'
import type { Dispatcher } from 'undici'
import { HttpClient, type CallObserver, type Timeouts } from '../http-client.js'
import { ExternalError, fromTransportError } from '../errors.js'
import type { RetryOptions } from '../retry-policy.js'
import { Blake3Transform } from '../../hash/blake3-stream.js'
import { normaliseBlake3 } from '../../hash/blake3.js'
import type { WatcherListing, WatcherUploadResult } from '../../domain/types.js'
import { listingFromWire, uploadResultFromWire, watcherProtocolError, watcherReason } from './wire.js'
import { VerifiedTail } from './verified-tail.js'

export interface WatcherClientOptions {
  baseUrl: string
  token: string
  timeouts?: Partial<Timeouts>
  retry?: Partial<RetryOptions>
  observer?: CallObserver
  dispatcher?: Dispatcher
}

export interface DownloadOptions {
  /** Usually the listing's hash; wins over the Watcher's `X-Blake3-Hash` header. */
  expectedHash?: string
  signal?: AbortSignal
}

export interface WatcherDownload {
  /**
   * The bytes, hashed as they flow. With an expected hash it errors at its end
   * (ExternalError kind `integrity`) instead of releasing its last chunk.
   */
  body: Readable
  /** Content-Length, when the Watcher sent one. */
  size: number | undefined
  /** Settles once the body was read to its end (and verified, if a hash was expected). */
  hash: Promise<string>
}

/** The Windows Watcher in front of the share (contracts.md section 3). */
export class WatcherClient {
  private readonly http: HttpClient
  private readonly authorization: string

  constructor (options: WatcherClientOptions) {
    this.http = new HttpClient({
      system: 'watcher',
      baseUrl: options.baseUrl,
      timeouts: options.timeouts,
      retry: options.retry,
      observer: options.observer,
      dispatcher: options.dispatcher
    })
    this.http.reasonReader = watcherReason
    this.authorization = `Bearer ${options.token}`
  }

  /** The Akte folder's files; null when the folder does not exist (404). */
  async listFiles (aktennummer: string): Promise<WatcherListing | null> {
    const response = await this.http.request({
      operation: 'list files',
      method: 'GET',
      path: 'akte-details',
      query: { akte: aktennummer },
      headers: { authorization: this.authorization, accept: 'application/json' },
      accept: [404]
    })
    const text = await response.body.text()
    if (response.status === 404) return null
    return listingFromWire(parseJson(text, 'list files'), aktennummer)
  }

  async download (aktennummer: string, path: string, options: DownloadOptions = {}): Promise<WatcherDownload> {
    const expected = expectedHashOf(options.expectedHash)
    const response = await this.http.request({
      operation: 'download',
      method: 'GET',
      path: 'file',
      query: { akte: aktennummer, path },
      headers: { authorization: this.authorization },
      signal: options.signal
    })
    const header = response.headers['x-blake3-hash']
    const declared = normaliseBlake3(typeof header === 'string' ? header : undefined)
    const hasher = new Blake3Transform()
    const tail = new VerifiedTail(hasher.digest, expected ?? declared, { operation: 'download', subject: `${aktennummer}/${path}` })
    wireDownload(response.body, hasher, tail)
    return { body: tail, size: contentLength(response.headers['content-length']), hash: tail.verified }
  }

  /**
   * PUT with `X-Blake3-Hash`; the Watcher hashes what arrived and answers
   * 422 on a mismatch. A stream body is sent once (never retried); a Buffer
   * may be repeated after a transient failure since PUT overwrites.
   */
  async upload (aktennummer: string, path: string, body: Readable | Buffer, blake3Hash: string, size?: number): Promise<WatcherUploadResult> {
    const hash = normaliseBlake3(blake3Hash)
    if (hash === undefined) {
      throw new ExternalError({ system: 'watcher', kind: 'validation', operation: 'upload', message: 'watcher upload: blake3Hash is not 64 hex characters' })
    }
    const length = size ?? (Buffer.isBuffer(body) ? body.length : undefined)
    let raw: unknown
    try {
      raw = await this.http.json<unknown>({
        operation: 'upload',
        method: 'PUT',
        path: `files/${encodeURIComponent(aktennummer)}/${encodeURIComponent(path)}`,
        headers: {
          authorization: this.authorization,
          'content-type': 'application/octet-stream',
          'x-blake3-hash': hash,
          ...(length !== undefined ? { 'content-length': String(length) } : {})
        },
        body
      })
    } catch (error) {
      if (error instanceof ExternalError && error.status === 422) throw asIntegrity(error)
      // A file where the path needs a folder, or a folder where it needs the file: the path is
      // refused like an invalid name, not retried every run (409 would count as transient).
      if (error instanceof ExternalError && error.status === 409) throw asKind(error, 'validation')
      throw error
    }
    const result = uploadResultFromWire(raw)
    if (result.blake3Hash !== hash) {
      throw new ExternalError({ system: 'watcher', kind: 'integrity', operation: 'upload', message: `watcher upload: stored hash ${result.blake3Hash} differs from sent ${hash}` })
    }
    return result
  }

  async close (): Promise<void> {
    await this.http.close()
  }
}

/**
 * Connects body -> hasher -> tail. Not `pipeline`: it destroys every stage
 * with the raw undici error before any stage could translate it, and the
 * consumer should see a typed ExternalError (kind network/timeout) instead.
 */
function wireDownload (source: Readable, hasher: Blake3Transform, tail: VerifiedTail): void {
  const fail = (error: unknown): void => {
    const typed = fromTransportError('watcher', 'download', error)
    tail.destroy(typed)
    hasher.destroy(typed)
    source.destroy()
  }
  source.once('error', fail)
  hasher.once('error', fail)
  // A consumer that stops reading must free the connection.
  tail.once('close', () => {
    source.destroy()
    hasher.destroy()
  })
  source.pipe(hasher).pipe(tail)
}

function expectedHashOf (value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const hash = normaliseBlake3(value)
  if (hash === undefined) throw new TypeError('expectedHash is not 64 hex characters')
  return hash
}

function parseJson (text: string, operation: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw watcherProtocolError(operation, 'answer is not JSON')
  }
}

function contentLength (header: string | string[] | undefined): number | undefined {
  const value = Number(Array.isArray(header) ? header[0] : header)
  return header !== undefined && Number.isSafeInteger(value) && value >= 0 ? value : undefined
}

/** The Watcher refused the bytes as not matching the hash: the transfer, not the request, was bad. */
function asIntegrity (error: ExternalError): ExternalError {
  return asKind(error, 'integrity')
}

function asKind (error: ExternalError, kind: 'integrity' | 'validation'): ExternalError {
  return new ExternalError({
    system: 'watcher',
    kind,
    status: error.status,
    reason: error.reason,
    operation: error.operation,
    message: error.message,
    cause: error
  })
}
