import { Transform } from 'node:stream'
import type { Readable, TransformCallback } from 'node:stream'
import { ExternalError, fromTransportError } from '../errors.js'
import type { EspoTransport } from './transport.js'

export interface DownloadedAttachment {
  /** The bytes as they arrive; errors are ExternalErrors (a short body is kind 'integrity'). */
  body: Readable
  /** From Content-Length; null when EspoCRM did not send one. */
  size: number | null
  fileName: string | null
  mimeType: string | null
}

const OPERATION = 'download attachment'

/** `GET Attachment/file/{id}` as a stream: nothing is buffered, so any size passes. */
export async function downloadAttachment (transport: EspoTransport, id: string, signal?: AbortSignal): Promise<DownloadedAttachment> {
  const response = await transport.request({
    operation: OPERATION,
    method: 'GET',
    path: `Attachment/file/${encodeURIComponent(id)}`,
    signal
  })
  const size = contentLength(response.headers['content-length'])
  const counter = new LengthCheck(size)
  const source = response.body
  source.on('error', (error: Error) => counter.destroy(fromTransportError('espocrm', OPERATION, error)))
  // A consumer that stops early must release the connection.
  counter.on('close', () => { if (!source.destroyed) source.destroy() })
  source.pipe(counter)
  return {
    body: counter,
    size,
    fileName: fileNameFrom(header(response.headers['content-disposition'])),
    mimeType: header(response.headers['content-type'])?.split(';')[0]?.trim() ?? null
  }
}

/** Errors at the end when fewer or more bytes came than Content-Length announced. */
class LengthCheck extends Transform {
  private seen = 0
  constructor (private readonly expected: number | null) { super() }

  override _transform (chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length
    callback(null, chunk)
  }

  override _flush (callback: TransformCallback): void {
    if (this.expected !== null && this.seen !== this.expected) {
      callback(new ExternalError({
        system: 'espocrm',
        kind: 'integrity',
        operation: OPERATION,
        message: `espocrm ${OPERATION}: got ${this.seen} of ${this.expected} bytes`
      }))
      return
    }
    callback()
  }
}

function header (value: string | string[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value
  return first === undefined || first === '' ? null : first
}

function contentLength (value: string | string[] | undefined): number | null {
  const text = header(value)
  if (text === null || !/^\d+$/.test(text)) return null
  return Number(text)
}

/** RFC 6266: `filename*=UTF-8''...` wins over `filename="..."`. */
export function fileNameFrom (disposition: string | null): string | null {
  if (disposition === null) return null
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(disposition)
  if (extended?.[2] !== undefined) {
    try {
      return decodeURIComponent(extended[2].trim())
    } catch {}
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(disposition)
  if (quoted?.[1] !== undefined) return quoted[1].replace(/\\(.)/g, '$1')
  const plain = /filename\s*=\s*([^;\s]+)/i.exec(disposition)
  return plain?.[1] ?? null
}
