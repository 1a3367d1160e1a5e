import type { Readable } from 'node:stream'
import { once } from 'node:events'
import { createReadStream, createWriteStream, rmSync } from 'node:fs'
import { copyFile, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { DataUriDecoder } from './data-uri.js'
import { EspoError, badRequest } from './format.js'

/**
 * Attachment contents on disk, one file per attachment id (like EspoCRM's
 * `data/upload/{id}`), so uploads and downloads of 1 GiB never sit in memory.
 */
export class AttachmentFiles {
  private constructor (readonly dir: string, private readonly owned: boolean) {}

  static async open (dir?: string): Promise<AttachmentFiles> {
    if (dir !== undefined) return new AttachmentFiles(dir, false)
    return new AttachmentFiles(await mkdtemp(join(tmpdir(), 'espo-sim-')), true)
  }

  path (id: string): string {
    return join(this.dir, id)
  }

  async size (id: string): Promise<number | undefined> {
    try {
      return (await stat(this.path(id))).size
    } catch {
      return undefined
    }
  }

  /** Synchronous so a test sees the file gone as soon as the request answers. */
  remove (id: string): void {
    rmSync(this.path(id), { force: true })
  }

  async rename (from: string, to: string): Promise<void> {
    await rename(this.path(from), this.path(to))
  }

  async write (id: string, source: Buffer | { path: string }): Promise<number> {
    if (Buffer.isBuffer(source)) await writeFile(this.path(id), source)
    else await copyFile(source.path, this.path(id))
    return (await stat(this.path(id))).size
  }

  /**
   * Decodes one chunk body (`data:<mime>;base64,...`) to a side file, then
   * appends it. Deciding 403 needs the decoded size before appending, and a
   * side file keeps that true for chunks of any size.
   */
  async appendChunk (
    id: string,
    body: Readable,
    limits: { bodyLimit: number, check: (chunkSize: number) => Promise<void> }
  ): Promise<number> {
    const part = `${this.path(id)}.part`
    const decoder = new DataUriDecoder()
    const out = createWriteStream(part)
    // a write still pending when we give up fails with ERR_STREAM_DESTROYED: not a crash
    let writeError: Error | undefined
    out.on('error', (error) => { writeError ??= error })
    let received = 0
    try {
      for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        received += chunk.length
        if (received > limits.bodyLimit) throw new EspoError(413, 'Request body is too large.')
        const bytes = decoder.push(chunk.toString('latin1'))
        if (bytes.length > 0 && !out.write(bytes)) await once(out, 'drain')
      }
      if (received === 0) throw badRequest()
      out.end(decoder.end())
      await once(out, 'close')
      if (writeError !== undefined) throw writeError
      await limits.check(decoder.decoded)
      await pipeline(createReadStream(part), createWriteStream(this.path(id), { flags: 'a' }))
      return decoder.decoded
    } catch (error) {
      body.resume()
      out.destroy()
      throw error
    } finally {
      await rm(part, { force: true })
    }
  }

  /** Removes the directory if the simulator created it. */
  async close (): Promise<void> {
    if (this.owned) await rm(this.dir, { recursive: true, force: true })
  }
}
