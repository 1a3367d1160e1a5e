import type { Readable } from 'node:stream'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { DataUriDecoder } from './data-uri.js'
import { EspoError, badRequest, isObject } from './format.js'

/**
 * Streams a `POST Attachment` JSON body: the top-level `file` string (a data
 * URI that can be hundreds of MB) is decoded straight into a file; the other
 * fields, which are small, are collected and parsed at the end. This keeps a
 * single upload's memory at a few chunks instead of ~4x the body size.
 */
export interface AttachmentJson {
  fields: Record<string, unknown>
  /** Set when the body had a `file` string; its bytes are at `filePath`. */
  file?: { mime: string | undefined, size: number }
}

export interface AttachmentJsonLimits {
  filePath: string
  bodyLimit: number
  /** Decoded bytes allowed; more answers 400 like EspoCRM's single upload. */
  maxFileSize: number
  tooBigReason: string
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '', f: '', n: '', r: '', t: '' }

class Scanner {
  depth = 0
  inString = false
  escape = false
  expectKey = false
  awaitingValue = false
  lastKey: string | undefined
  key: number[] | undefined
  inFile = false
  fileSeen = false
  fileEscape: string | undefined
  readonly rest: Buffer[] = []

  constructor (private readonly onFileText: (text: string) => void) {}

  feed (buf: Buffer): void {
    let i = 0
    let restStart = 0
    while (i < buf.length) {
      if (this.inFile) {
        i = this.scanFile(buf, i)
        if (!this.inFile) restStart = i
        continue
      }
      const b = buf[i] as number
      if (this.inString) {
        if (this.escape) this.escape = false
        else if (b === BACKSLASH) this.escape = true
        else if (b === QUOTE) {
          this.inString = false
          if (this.key !== undefined) this.finishKey()
          i++
          continue
        }
        this.key?.push(b)
      } else if (b === QUOTE) {
        if (this.depth === 1 && this.expectKey) {
          this.key = []
          this.expectKey = false
        } else if (this.depth === 1 && this.awaitingValue && this.lastKey === 'file') {
          if (this.fileSeen) throw badRequest('Bad file data.')
          this.rest.push(buf.subarray(restStart, i), Buffer.from('null'))
          this.inFile = true
          this.fileSeen = true
          this.awaitingValue = false
          i++
          continue
        }
        this.awaitingValue = false
        this.inString = true
      } else if (b === 0x7b || b === 0x5b) {
        this.depth++
        this.expectKey = this.depth === 1 && b === 0x7b
        this.awaitingValue = false
      } else if (b === 0x7d || b === 0x5d) {
        this.depth--
      } else if (this.depth === 1 && b === 0x3a) {
        this.awaitingValue = true
      } else if (this.depth === 1 && b === 0x2c) {
        this.expectKey = true
        this.awaitingValue = false
      } else if (b > 0x20) {
        this.awaitingValue = false
      }
      i++
    }
    if (!this.inFile) this.rest.push(buf.subarray(restStart))
  }

  private finishKey (): void {
    this.lastKey = JSON.parse(`"${Buffer.from(this.key ?? []).toString('utf8')}"`) as string
    this.key = undefined
  }

  /** Consumes file string text from `i`; returns where normal scanning resumes. */
  private scanFile (buf: Buffer, i: number): number {
    while (i < buf.length) {
      if (this.fileEscape !== undefined) {
        this.fileEscape += String.fromCharCode(buf[i] as number)
        i++
        const esc = this.fileEscape
        if (esc[0] === 'u' && esc.length < 5) continue
        this.fileEscape = undefined
        if (esc[0] === 'u') this.onFileText(String.fromCharCode(parseInt(esc.slice(1), 16)))
        else if (esc in ESCAPES) this.onFileText(ESCAPES[esc] ?? '')
        else throw badRequest('Bad JSON.')
        continue
      }
      const quote = buf.indexOf(QUOTE, i)
      const slash = buf.indexOf(BACKSLASH, i)
      const candidates = [quote, slash].filter(n => n !== -1)
      const end = candidates.length === 0 ? buf.length : Math.min(...candidates)
      if (end > i) this.onFileText(buf.toString('latin1', i, end))
      if (end === buf.length) return end
      if (end === quote) {
        this.inFile = false
        return end + 1
      }
      this.fileEscape = ''
      i = end + 1
    }
    return i
  }
}

async function write (out: NodeJS.WritableStream, bytes: Buffer): Promise<void> {
  if (bytes.length > 0 && !out.write(bytes)) await once(out, 'drain')
}

export async function readAttachmentJson (body: Readable, limits: AttachmentJsonLimits): Promise<AttachmentJson> {
  const decoder = new DataUriDecoder()
  const out = createWriteStream(limits.filePath)
  // a write still pending when we give up fails with ERR_STREAM_DESTROYED: not a crash
  let writeError: Error | undefined
  out.on('error', (error) => { writeError ??= error })
  const pending: Buffer[] = []
  const scanner = new Scanner(text => { pending.push(decoder.push(text)) })
  let received = 0
  try {
    // not destroyed on an early error: the client must still be able to read our answer
    for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      received += chunk.length
      if (received > limits.bodyLimit) throw new EspoError(413, 'Request body is too large.')
      scanner.feed(chunk)
      for (const bytes of pending.splice(0)) await write(out, bytes)
      if (decoder.decoded > limits.maxFileSize) throw badRequest(limits.tooBigReason)
    }
    if (scanner.fileSeen) await write(out, decoder.end())
    if (decoder.decoded > limits.maxFileSize) throw badRequest(limits.tooBigReason)
    out.end()
    await once(out, 'close')
    if (writeError !== undefined) throw writeError
    if (scanner.inString || scanner.inFile || scanner.depth !== 0) throw badRequest('Bad JSON.')
    let fields: unknown
    try {
      fields = JSON.parse(Buffer.concat(scanner.rest).toString('utf8'))
    } catch {
      throw badRequest('Bad JSON.')
    }
    if (!isObject(fields)) throw badRequest('Bad JSON.')
    delete fields.file
    return { fields, file: scanner.fileSeen ? { mime: decoder.mime, size: decoder.decoded } : undefined }
  } catch (error) {
    body.resume()
    out.destroy()
    await rm(limits.filePath, { force: true })
    throw error
  }
}
