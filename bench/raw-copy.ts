import pLimit from 'p-limit'
import { Pool } from 'undici'

/*
 * The physical floor of a first import: the same bytes streamed from the
 * Watcher into EspoCRM attachments with the same concurrency and the same
 * EspoCRM upload protocol (a data URI for small files, 4 MiB base64 chunks
 * above the threshold, the next chunk read while one travels), and nothing
 * else: no listing, no History, no hashing, no Documents, no bookkeeping.
 * Runs as a child process like the service; prints `{ms, bytes}` as JSON.
 */

export interface RawCopyJob {
  watcherUrl: string
  watcherToken: string
  espoUrl: string
  espoApiKey: string
  akte: string
  files: Array<{ path: string, size: number }>
  concurrency: number
  thresholdBytes: number
  chunkBytes: number
}

const job = JSON.parse(process.env.RAW_COPY_JOB ?? '{}') as RawCopyJob
const watcher = new Pool(job.watcherUrl, { connections: 8 })
const espoOrigin = new URL(job.espoUrl)
const espo = new Pool(espoOrigin.origin, { connections: 8 })
const base = espoOrigin.pathname.replace(/\/$/, '')
const MIME = 'application/pdf'

async function download (path: string): Promise<AsyncIterable<Buffer>> {
  const res = await watcher.request({
    method: 'GET',
    path: `/file?akte=${encodeURIComponent(job.akte)}&path=${encodeURIComponent(path)}`,
    headers: { authorization: `Bearer ${job.watcherToken}` }
  })
  if (res.statusCode !== 200) throw new Error(`watcher answered ${res.statusCode} for ${path}`)
  return res.body
}

async function espoPost (path: string, body: string | Buffer, contentType: string): Promise<string> {
  const res = await espo.request({ method: 'POST', path: `${base}/${path}`, headers: { 'x-api-key': job.espoApiKey, 'content-type': contentType }, body })
  const text = await res.body.text()
  if (res.statusCode !== 200) throw new Error(`espocrm answered ${res.statusCode} for ${path}: ${text.slice(0, 200)}`)
  return text
}

function fields (name: string, size: number): Record<string, unknown> {
  return { name, type: MIME, role: 'Attachment', relatedType: 'Document', field: 'file', size }
}

async function * chunks (source: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = []
  let held = 0
  for await (const piece of source) {
    let rest = piece
    while (rest.length > 0) {
      const take = Math.min(size - held, rest.length)
      parts.push(rest.subarray(0, take))
      held += take
      rest = rest.subarray(take)
      if (held === size) {
        yield Buffer.concat(parts, size)
        parts = []
        held = 0
      }
    }
  }
  if (held > 0) yield Buffer.concat(parts, held)
}

async function copy (file: { path: string, size: number }): Promise<void> {
  const name = file.path.split('/').pop() ?? file.path
  const body = await download(file.path)
  if (file.size <= job.thresholdBytes) {
    const parts: Buffer[] = []
    for await (const piece of body) parts.push(piece)
    const data = Buffer.concat(parts).toString('base64')
    await espoPost('Attachment', JSON.stringify({ ...fields(name, file.size), file: `data:${MIME};base64,${data}` }), 'application/json')
    return
  }
  const { id } = JSON.parse(await espoPost('Attachment', JSON.stringify({ ...fields(name, file.size), isBeingUploaded: true }), 'application/json')) as { id: string }
  const iterator = chunks(body, job.chunkBytes)[Symbol.asyncIterator]()
  let current = await iterator.next()
  while (current.done !== true) {
    const next = iterator.next()
    await espoPost(`Attachment/chunk/${id}`, `data:${MIME};base64,${current.value.toString('base64')}`, 'text/plain')
    current = await next
  }
}

const started = performance.now()
const limit = pLimit(job.concurrency)
await Promise.all(job.files.map(async file => await limit(async () => { await copy(file) })))
const ms = performance.now() - started
await Promise.all([watcher.close(), espo.close()])
console.log(JSON.stringify({ ms, bytes: job.files.reduce((sum, f) => sum + f.size, 0) }))
