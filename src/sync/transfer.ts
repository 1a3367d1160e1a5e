import { pipeline, type Readable } from 'node:stream'
import { ExternalError } from '../clients/errors.js'
import type { WatcherDownload } from '../clients/watcher/index.js'
import type { WatcherUploadResult } from '../domain/types.js'
import { Blake3Transform } from '../hash/blake3-stream.js'
import { mimeTypeOf } from './mime-type.js'
import type { PropagateContext } from './propagate-context.js'
import { throwIfAborted } from './propagate-errors.js'
import type { Direction } from './types.js'

/*
 * Streaming transfers: bytes flow from one system to the other through a
 * hash check, never held whole in memory. Nothing downstream commits bytes
 * that do not match the expected BLAKE3: the Watcher download holds back its
 * last chunk until the hash is verified, the Watcher upload hashes what it
 * received against our header, and an EspoCRM attachment only becomes a
 * Document's file in a later request.
 */

export interface TransferSubject {
  key: string
  path: string
}

export interface Transferred<T> {
  value: T
  bytes: number
}

/** Joins the stages; an error anywhere destroys the last one with it, so its reader sees it. */
function chain (source: Readable, ...stages: NodeJS.ReadWriteStream[]): Readable {
  return pipeline(source, ...(stages as [NodeJS.ReadWriteStream]), () => {}) as unknown as Readable
}

function integrity (system: 'watcher' | 'espocrm', message: string): ExternalError {
  return new ExternalError({ system, kind: 'integrity', operation: 'transfer', message })
}

/** A Watcher file into a new EspoCRM attachment; resolves to the attachment id. */
export async function windowsToAttachment (
  ctx: PropagateContext, subject: TransferSubject, file: { hash: string, size: number | null }, attachmentName: string,
  direction: Direction = 'windows->espo'
): Promise<Transferred<string>> {
  const { watcher, espocrm } = ctx.clients
  const open = async (): Promise<WatcherDownload> =>
    await watcher.download(ctx.aktennummer, subject.path, { expectedHash: file.hash, signal: ctx.signal })
  let first: WatcherDownload | undefined = await open()
  const size = first.size ?? file.size
  if (size === null) {
    first.body.destroy()
    throw integrity('watcher', `watcher download of ${subject.path}: size unknown`)
  }
  const progress = ctx.progress.transfer({ ...subject, direction, total: size })
  let current = first
  let meter = progress.meter()
  // A restarted chunked upload reads again from byte 0: a fresh, again verified download.
  const source = async (): Promise<Readable> => {
    current = first ?? await open()
    first = undefined
    meter = progress.meter()
    return chain(current.body, meter)
  }
  try {
    throwIfAborted(ctx.signal)
    const uploaded = await espocrm.uploadAttachment({
      name: attachmentName, mimeType: mimeTypeOf(attachmentName), size, body: source, signal: ctx.signal
    })
    // Settled by now; a mismatch would have failed the upload before its last byte.
    await current.hash
    progress.done(size)
    return { value: uploaded.id, bytes: size }
  } catch (error) {
    // Frees the connection of a download the upload did not read to its end.
    current.body.destroy()
    meter.destroy()
    throw error
  }
}

/** An EspoCRM attachment into a new attachment (a conflict copy of EspoCRM's content). */
export async function attachmentToAttachment (
  ctx: PropagateContext, subject: TransferSubject, source: { fileId: string, hash: string }, attachmentName: string
): Promise<Transferred<string>> {
  const { espocrm } = ctx.clients
  const download = await espocrm.downloadAttachment(source.fileId, ctx.signal)
  if (download.size === null) {
    download.body.destroy()
    throw integrity('espocrm', `espocrm download of attachment ${source.fileId}: size unknown`)
  }
  const size = download.size
  const progress = ctx.progress.transfer({ ...subject, direction: 'none', total: size })
  const hasher = new Blake3Transform({ expect: source.hash })
  const body = chain(download.body, hasher, progress.meter())
  let uploaded
  try {
    throwIfAborted(ctx.signal)
    uploaded = await espocrm.uploadAttachment({
      name: attachmentName, mimeType: mimeTypeOf(attachmentName), size, body, signal: ctx.signal
    })
  } catch (error) {
    body.destroy()
    throw error
  }
  await hasher.digest
  progress.done(size)
  return { value: uploaded.id, bytes: size }
}

/** An EspoCRM attachment onto the share at `subject.path`. */
export async function attachmentToWindows (
  ctx: PropagateContext, subject: TransferSubject, source: { fileId: string, hash: string }
): Promise<Transferred<WatcherUploadResult>> {
  const { espocrm, watcher } = ctx.clients
  const download = await espocrm.downloadAttachment(source.fileId, ctx.signal)
  const progress = ctx.progress.transfer({ ...subject, direction: 'espo->windows', total: download.size })
  // The Watcher checks the bytes against the header too; hashing here names the culprit in our log.
  const hasher = new Blake3Transform({ expect: source.hash })
  const body = chain(download.body, hasher, progress.meter())
  let result: WatcherUploadResult
  try {
    throwIfAborted(ctx.signal)
    result = await watcher.upload(ctx.aktennummer, subject.path, body, source.hash, download.size ?? undefined)
  } catch (error) {
    // When the source broke, the Watcher's answer (a 400 for a cut-off body) is not about the file.
    const sourceError = body.errored
    body.destroy()
    throw sourceError ?? error
  }
  const { size } = await hasher.digest
  progress.done(size)
  return { value: result, bytes: size }
}
