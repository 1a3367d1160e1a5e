import { badRequest } from './format.js'

/**
 * Incremental decoder for `data:<mime>;base64,<b64>` text, so uploads go to
 * disk piece by piece instead of holding a 300 MB string. Like PHP's
 * non-strict `base64_decode`, characters outside the alphabet are skipped.
 */
const EMPTY = Buffer.alloc(0)
const MARKER = ';base64,'
const CLEAN = /^[A-Za-z0-9+/=]*$/
const NOT_BASE64 = /[^A-Za-z0-9+/=]/g

export class DataUriDecoder {
  mime: string | undefined
  /** Bytes decoded so far. */
  decoded = 0
  private header: string | undefined = ''
  private carry = ''

  /** Feeds text (ASCII/latin1); returns the bytes it completes. */
  push (text: string): Buffer {
    if (this.header !== undefined) {
      this.header += text
      const at = this.header.indexOf(MARKER)
      if (at === -1) {
        if (this.header.length > 1024) throw badRequest('Bad file data.')
        return EMPTY
      }
      const prefix = this.header.slice(0, at)
      this.mime = prefix.startsWith('data:') ? prefix.slice(5) : prefix
      text = this.header.slice(at + MARKER.length)
      this.header = undefined
    }
    return this.decode(text, false)
  }

  /** Flushes the tail; throws 400 when the `;base64,` marker never came. */
  end (): Buffer {
    if (this.header !== undefined) throw badRequest('Bad file data.')
    return this.decode('', true)
  }

  private decode (text: string, final: boolean): Buffer {
    const chars = this.carry + (CLEAN.test(text) ? text : text.replace(NOT_BASE64, ''))
    const usable = final ? chars.length : chars.length - (chars.length % 4)
    this.carry = chars.slice(usable)
    if (usable === 0) return EMPTY
    const bytes = Buffer.from(chars.slice(0, usable), 'base64')
    this.decoded += bytes.length
    return bytes
  }
}
