import { Readable, pipeline } from 'node:stream'
import { blake3Hex } from '../../hash/blake3.js'
import { Blake3Transform } from '../../hash/blake3-stream.js'
import { ExternalError, isExternalError } from '../errors.js'
import { rechunk } from './rechunk.js'
import { protocolError } from './transport.js'
import type { EspoTransport } from './transport.js'

/** A factory (or a Buffer) can be read again, which allows one restart of a chunked upload. */
export type UploadSource = Buffer | Readable | (() => Readable | Promise<Readable>)

export interface UploadAttachmentInput {
  /** File name with extension: EspoCRM checks the type by extension. */
  name: string
  mimeType: string
  /** Bytes; required for streams (the chunked protocol declares it up front). */
  size?: number
  body: UploadSource
  relatedType?: string
  field?: string
  role?: string
  /** Hash the bytes as they are sent and return the BLAKE3 hex. */
  computeBlake3?: boolean
  signal?: AbortSignal
}

export interface UploadedAttachment {
  id: string
  size: number
  chunked: boolean
  blake3Hash?: string
}

export interface UploadSettings {
  thresholdBytes: number
  chunkSizeBytes: number
}

/** A chunk failed in a way a fresh attachment might not (outage, reset). */
class RestartableFailure extends Error {
  constructor (readonly error: ExternalError) { super(error.message) }
}

export async function uploadAttachment (transport: EspoTransport, settings: UploadSettings, input: UploadAttachmentInput): Promise<UploadedAttachment> {
  const size = Buffer.isBuffer(input.body) ? input.body.length : input.size
  if (size === undefined || !Number.isSafeInteger(size) || size < 0) throw new TypeError('uploadAttachment: a stream body needs its size')
  if (Buffer.isBuffer(input.body) && input.size !== undefined && input.size !== size) {
    throw integrityError('upload attachment', `declared size ${input.size} differs from the buffer's ${size} bytes`)
  }
  if (size <= settings.thresholdBytes) return await uploadSingle(transport, input, size)
  const canReopen = typeof input.body === 'function' || Buffer.isBuffer(input.body)
  for (let attempt = 1; ; attempt++) {
    try {
      return await uploadChunked(transport, settings, input, size, await openSource(input.body))
    } catch (error) {
      if (!(error instanceof RestartableFailure)) throw error
      // Chunks append and a failed one may have landed: only a new attachment from byte 0 is safe.
      if (attempt >= 2 || !canReopen || input.signal?.aborted === true) throw error.error
    }
  }
}

function attachmentFields (input: UploadAttachmentInput, size: number): Record<string, unknown> {
  return {
    name: input.name,
    type: mime(input),
    role: input.role ?? 'Attachment',
    relatedType: input.relatedType ?? 'Document',
    field: input.field ?? 'file',
    size
  }
}

async function uploadSingle (transport: EspoTransport, input: UploadAttachmentInput, size: number): Promise<UploadedAttachment> {
  const bytes = Buffer.isBuffer(input.body) ? input.body : await readExactly(await openSource(input.body), size)
  const answer = await transport.json<{ id?: unknown }>({
    operation: 'upload attachment',
    method: 'POST',
    path: 'Attachment',
    body: { ...attachmentFields(input, size), file: `data:${mime(input)};base64,${bytes.toString('base64')}` },
    signal: input.signal
  })
  const id = requireId(answer, 'upload attachment')
  const blake3Hash = input.computeBlake3 === true ? await blake3Hex(bytes) : undefined
  return { id, size, chunked: false, ...(blake3Hash !== undefined && { blake3Hash }) }
}

async function uploadChunked (transport: EspoTransport, settings: UploadSettings, input: UploadAttachmentInput, size: number, source: Readable): Promise<UploadedAttachment> {
  const hashing = input.computeBlake3 === true ? new Blake3Transform() : undefined
  const stream = hashing === undefined ? source : pipeline(source, hashing, () => {})
  const chunks = rechunk(stream, settings.chunkSizeBytes)[Symbol.asyncIterator]()
  let id: string | undefined
  let pending: Promise<IteratorResult<Buffer>> | undefined
  try {
    // Read first, so a source that cannot be read leaves no empty attachment behind.
    let current = await chunks.next()
    if (current.done === true) throw integrityError('upload attachment', `source is empty, ${size} bytes were declared`)
    const created = await transport.json<{ id?: unknown }>({
      operation: 'create attachment',
      method: 'POST',
      path: 'Attachment',
      body: { ...attachmentFields(input, size), isBeingUploaded: true },
      signal: input.signal
    })
    id = requireId(created, 'create attachment')
    let sent = 0
    while (current.done !== true) {
      const chunk = current.value
      if (sent + chunk.length > size) throw integrityError('upload chunk', `source is longer than the declared ${size} bytes`)
      // Reads the next piece while this one travels. It is awaited only after the send: a source
      // failing meanwhile must not count as an unhandled rejection (close-with-grace exits on one).
      pending = chunks.next()
      pending.catch(() => {})
      await sendChunk(transport, id, mime(input), chunk, input.signal)
      sent += chunk.length
      current = await pending
      pending = undefined
    }
    if (sent !== size) throw integrityError('upload chunk', `source ended after ${sent} of the declared ${size} bytes`)
    const digest = hashing === undefined ? undefined : await hashing.digest
    return { id, size, chunked: true, ...(digest !== undefined && { blake3Hash: digest.hash }) }
  } catch (error) {
    pending?.catch(() => {})
    source.destroy()
    hashing?.destroy()
    if (id !== undefined) await deleteQuietly(transport, id)
    throw error
  }
}

async function sendChunk (transport: EspoTransport, id: string, mimeType: string, chunk: Buffer, signal?: AbortSignal): Promise<void> {
  const payload = Buffer.concat([Buffer.from(`data:${mimeType};base64,`), Buffer.from(chunk.toString('base64'), 'latin1')])
  try {
    const response = await transport.request({
      operation: 'upload chunk',
      method: 'POST',
      path: `Attachment/chunk/${encodeURIComponent(id)}`,
      headers: { 'content-type': 'text/plain', 'content-length': String(payload.length) },
      // A stream body is never replayed by HttpClient: a chunk must not be sent twice, not even after a 503.
      body: Readable.from([payload]),
      idempotent: false,
      signal
    })
    await response.body.dump()
  } catch (error) {
    if (isExternalError(error) && isRestartable(error)) throw new RestartableFailure(error)
    throw error
  }
}

function isRestartable (error: ExternalError): boolean {
  if (error.kind !== 'unavailable' && error.kind !== 'network' && error.kind !== 'timeout') return false
  // The declared size is wrong: a new attachment with the same size fails the same way.
  return !/file size mismatch/i.test(error.reason ?? '')
}

async function deleteQuietly (transport: EspoTransport, id: string): Promise<void> {
  try {
    const response = await transport.request({
      operation: 'delete attachment',
      method: 'DELETE',
      path: `Attachment/${encodeURIComponent(id)}`,
      accept: [404],
      signal: AbortSignal.timeout(5_000)
    })
    await response.body.dump()
  } catch {
    // EspoCRM's cleanup job removes orphaned attachments anyway.
  }
}

async function openSource (body: UploadSource): Promise<Readable> {
  if (Buffer.isBuffer(body)) return Readable.from([body], { objectMode: false })
  if (typeof body === 'function') return await body()
  return body
}

/** Buffers a small stream (below the chunk threshold) and checks it has the declared size. */
async function readExactly (source: Readable, size: number): Promise<Buffer> {
  const parts: Buffer[] = []
  let total = 0
  for await (const piece of source) {
    const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece as Buffer
    total += bytes.length
    if (total > size) {
      source.destroy()
      throw integrityError('upload attachment', `source is longer than the declared ${size} bytes`)
    }
    parts.push(bytes)
  }
  if (total !== size) throw integrityError('upload attachment', `source ended after ${total} of the declared ${size} bytes`)
  return Buffer.concat(parts, total)
}

function mime (input: UploadAttachmentInput): string {
  return input.mimeType === '' ? 'application/octet-stream' : input.mimeType
}

function requireId (answer: { id?: unknown } | undefined, operation: string): string {
  if (typeof answer?.id !== 'string' || answer.id === '') throw protocolError(operation, 'answer has no id')
  return answer.id
}

function integrityError (operation: string, message: string): ExternalError {
  return new ExternalError({ system: 'espocrm', kind: 'integrity', operation, message: `espocrm ${operation}: ${message}` })
}
