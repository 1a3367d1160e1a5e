import { createReadStream } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { loadConfig } from '../src/config/load.js'
import { createClients } from '../src/plugins/clients.js'

/*
 * The clients alone (no service, no sync): a file uploaded to and downloaded
 * from EspoCRM and the Watcher, at two sizes, with this process's peak RSS
 * after each transfer. Flat memory means the 1 GiB transfer peaks where the
 * small one did. Runs as a child process; prints JSON.
 */

export interface ClientMemoryJob {
  env: Record<string, string>
  akte: string
  files: Array<{ abs: string, size: number, hash: string, name: string }>
}

export interface ClientMemoryRow { op: string, size: number, peakKb: number, ms: number }

const job = JSON.parse(process.env.CLIENT_MEMORY_JOB ?? '{}') as ClientMemoryJob
const clients = createClients(loadConfig({ ...job.env, LOG_LEVEL: 'silent' }))
const espocrm = clients.espocrm!
const watcher = clients.watcher!

async function statusKb (field: string): Promise<number> {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(await readFile('/proc/self/status', 'utf8'))
  return Number(match?.[1])
}

/** A sink that only counts, so nothing but the client holds the bytes. */
function sink (): Writable {
  return new Writable({ write (_chunk, _encoding, done) { done() } })
}

async function measure (op: string, size: number, transfer: () => Promise<void>): Promise<ClientMemoryRow> {
  // The kernel's peak mark starts again from the current RSS.
  await writeFile('/proc/self/clear_refs', '5')
  const started = performance.now()
  await transfer()
  return { op, size, peakKb: await statusKb('VmHWM'), ms: performance.now() - started }
}

const idleKb = await statusKb('VmRSS')
const rows: ClientMemoryRow[] = []
for (const file of job.files) {
  let attachmentId = ''
  rows.push(await measure('EspoCRM upload (chunked)', file.size, async () => {
    attachmentId = (await espocrm.uploadAttachment({ name: file.name, mimeType: 'application/pdf', size: file.size, body: () => createReadStream(file.abs) })).id
  }))
  rows.push(await measure('EspoCRM download', file.size, async () => {
    const download = await espocrm.downloadAttachment(attachmentId)
    await pipeline(download.body, sink())
  }))
  rows.push(await measure('Watcher upload', file.size, async () => {
    await watcher.upload(job.akte, file.name, createReadStream(file.abs), file.hash, file.size)
  }))
  rows.push(await measure('Watcher download (verified)', file.size, async () => {
    const download = await watcher.download(job.akte, file.name, { expectedHash: file.hash })
    await pipeline(download.body, sink())
    await download.hash
  }))
}
await Promise.all([espocrm.close(), watcher.close()])
console.log(JSON.stringify({ idleKb, rows }))
