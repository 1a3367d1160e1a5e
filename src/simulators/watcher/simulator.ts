import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { WatcherFile, WatcherListing } from '../../domain/types.js'
import { blake3Hex } from '../../hash/blake3.js'
import { Faults } from '../faults.js'
import { registerWatcherControl } from './control.js'
import { FileIndex } from './file-index.js'
import type { IndexEntry } from './file-index.js'
import { findEntry, resolveExistingFile, resolveWriteTarget, TEMP_PREFIX } from './fs-lookup.js'
import { formatLocalIso } from './local-time.js'
import { defaultAkteFolderName, splitRelativePath } from './names.js'
import { PushNotifier } from './push.js'
import { registerWatcherRoutes } from './routes.js'
import { registerUpload } from './upload.js'

export interface WatcherSimulatorOptions {
  /** Folder playing the share: one subfolder per Akte. */
  root: string
  /** Bearer token every (non-/__sim/) call must carry. */
  token: string
  /** Where change notifications are POSTed; none when unset. */
  pushUrl?: string
  pushToken?: string
  host?: string
  port?: number
  /** Last USN handed out; the first change gets this + 1. Default 2^53 + 1001 so float clients break. */
  startUsn?: bigint | string
  /** Windows path of `root`, for the 259-character check. */
  windowsBase?: string
  /** Zone for `modified` (default Europe/Berlin), or a fixed offset like '+01:00'. */
  timeZone?: string
  fixedOffset?: string
  /** Aktennummer -> folder name (default: Windows-forbidden chars -> '_'); undefined refuses the Akte. */
  akteFolderName?: (akte: string) => string | undefined
  logger?: boolean
}

export const DEFAULT_START_USN = 9_007_199_254_740_993n + 1000n

export interface AkteFolder {
  /** Actual folder name on disk. */
  folder: string
  dir: string
}

export interface WriteOptions {
  mtime?: Date
}

function pathSegments (path: string): string[] {
  const split = splitRelativePath(path, false)
  if ('problem' in split) throw new Error(`invalid path '${path}': ${split.problem}`)
  return split.segments
}

export class WatcherSimulator {
  readonly app: FastifyInstance
  readonly faults = new Faults()
  readonly index: FileIndex
  readonly push: PushNotifier
  readonly counters = { listings: 0, downloads: 0, uploads: 0 }
  readonly windowsBase: string
  private address: string | undefined

  constructor (readonly options: WatcherSimulatorOptions) {
    this.index = new FileIndex(options.root, BigInt(options.startUsn ?? DEFAULT_START_USN))
    this.windowsBase = options.windowsBase ?? 'D:\\Advoware\\Akten\\'
    // forceCloseConnections: a hang fault or a half-sent upload must not keep close() waiting.
    this.app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true, routerOptions: { maxParamLength: 4096 } })
    this.push = new PushNotifier(options.pushUrl, options.pushToken, this.app.log)
    this.faults.install(this.app)
    registerWatcherRoutes(this.app, this)
    registerUpload(this.app, this)
    registerWatcherControl(this.app, this)
  }

  /** Starts listening; resolves to the base URL, e.g. `http://127.0.0.1:41234`. */
  async listen (): Promise<string> {
    this.address = await this.app.listen({ host: this.options.host ?? '127.0.0.1', port: this.options.port ?? 0 })
    return this.address
  }

  get url (): string {
    if (this.address === undefined) throw new Error('Watcher simulator is not listening')
    return this.address
  }

  async close (): Promise<void> {
    await this.app.close()
    await this.push.drain()
  }

  folderName (akte: string): string | undefined {
    return (this.options.akteFolderName ?? defaultAkteFolderName)(akte)
  }

  /** Absolute path where the Akte's folder is or would be (tests may write there directly). */
  akteDir (akte: string): string {
    const name = this.folderName(akte)
    if (name === undefined) throw new Error(`no folder name for Akte '${akte}'`)
    return join(this.options.root, name)
  }

  /** The existing Akte folder (found as NTFS would, ignoring case), or undefined. */
  async resolveAkte (akte: string): Promise<AkteFolder | undefined> {
    const name = this.folderName(akte)
    if (name === undefined) return undefined
    const entry = await findEntry(this.options.root, name)
    if (entry === undefined || !entry.isDirectory()) return undefined
    return { folder: entry.name, dir: join(this.options.root, entry.name) }
  }

  toWire (path: string, entry: IndexEntry): WatcherFile {
    const time = { timeZone: this.options.timeZone, fixedOffset: this.options.fixedOffset }
    return { path, size: entry.size, usn: entry.usn.toString(), blake3Hash: entry.hash, modified: formatLocalIso(entry.mtimeMs, time) }
  }

  /** What `GET /akte-details` answers; undefined when the Akte folder is missing. */
  async listing (akte: string): Promise<WatcherListing | undefined> {
    const found = await this.resolveAkte(akte)
    if (found === undefined) return undefined
    const { files, changed } = await this.index.withLock(found.folder, async () => await this.index.scan(found.folder))
    this.push.notify(akte, changed)
    return { akte, files: files.map(f => this.toWire(f.path, f.entry)) }
  }

  /** Rescans as a file system watcher would, pushing what changed; returns the changed paths. */
  async rescan (akte: string): Promise<string[]> {
    const found = await this.resolveAkte(akte)
    if (found === undefined) return []
    const { changed } = await this.index.withLock(found.folder, async () => await this.index.scan(found.folder))
    this.push.notify(akte, changed)
    return changed
  }

  async createAkte (akte: string): Promise<string> {
    const existing = await this.resolveAkte(akte)
    if (existing !== undefined) return existing.dir
    await mkdir(this.akteDir(akte), { recursive: true })
    return this.akteDir(akte)
  }

  async removeAkte (akte: string): Promise<boolean> {
    const found = await this.resolveAkte(akte)
    if (found === undefined) return false
    await rm(found.dir, { recursive: true, force: true })
    this.index.forgetFolder(found.folder)
    return true
  }

  /** Writes a file as a user on the share would (creating the Akte folder), with a new USN and a push. */
  async writeFile (akte: string, path: string, data: string | Uint8Array, options: WriteOptions = {}): Promise<WatcherFile> {
    const segments = pathSegments(path)
    await this.createAkte(akte)
    const { folder, dir } = (await this.resolveAkte(akte))!
    const hash = await blake3Hex(data)
    const file = await this.index.withLock(folder, async () => {
      const target = await resolveWriteTarget(dir, segments)
      if ('conflict' in target) throw new Error(target.conflict)
      const rel = target.segments.join('/')
      await mkdir(join(dir, ...target.segments.slice(0, -1)), { recursive: true })
      const temp = join(dir, `${TEMP_PREFIX}${randomUUID()}.part`)
      await writeFile(temp, data)
      if (options.mtime !== undefined) await utimes(temp, options.mtime, options.mtime)
      await rename(temp, join(dir, rel))
      return this.toWire(rel, (await this.index.record(folder, rel, hash))!)
    })
    this.push.notify(akte, [file.path])
    return file
  }

  async readFile (akte: string, path: string): Promise<Buffer | undefined> {
    const found = await this.locate(akte, path)
    return found === undefined ? undefined : await readFile(join(found.dir, found.rel))
  }

  async deleteFile (akte: string, path: string): Promise<boolean> {
    const found = await this.locate(akte, path)
    if (found === undefined) return false
    await this.index.withLock(found.folder, async () => {
      await rm(join(found.dir, found.rel), { force: true })
      if (!this.index.forget(found.folder, found.rel)) this.index.nextUsn()
    })
    this.push.notify(akte, [found.rel])
    return true
  }

  async renameFile (akte: string, from: string, to: string): Promise<WatcherFile> {
    const found = await this.locate(akte, from)
    if (found === undefined) throw new Error(`no file '${from}' in Akte '${akte}'`)
    const file = await this.index.withLock(found.folder, async () => {
      const target = await resolveWriteTarget(found.dir, pathSegments(to))
      if ('conflict' in target) throw new Error(target.conflict)
      const rel = target.segments.join('/')
      await mkdir(join(found.dir, ...target.segments.slice(0, -1)), { recursive: true })
      await rename(join(found.dir, found.rel), join(found.dir, rel))
      this.index.forget(found.folder, found.rel)
      return this.toWire(rel, (await this.index.record(found.folder, rel))!)
    })
    this.push.notify(akte, [found.rel, file.path])
    return file
  }

  /** Sets mtime (default now): a new USN without a content change. */
  async touch (akte: string, path: string, mtime = new Date()): Promise<WatcherFile> {
    const found = await this.locate(akte, path)
    if (found === undefined) throw new Error(`no file '${path}' in Akte '${akte}'`)
    const file = await this.index.withLock(found.folder, async () => {
      await utimes(join(found.dir, found.rel), mtime, mtime)
      return this.toWire(found.rel, (await this.index.record(found.folder, found.rel))!)
    })
    this.push.notify(akte, [file.path])
    return file
  }

  notifyChanged (akte: string, paths: string[]): void {
    this.push.notify(akte, paths)
  }

  /** Last USN handed out, as decimal digits. */
  currentUsn (): string {
    return this.index.currentUsn.toString()
  }

  get stats (): { hashes: number, scans: number, listings: number, downloads: number, uploads: number } {
    return { ...this.index.stats, ...this.counters }
  }

  private async locate (akte: string, path: string): Promise<(AkteFolder & { rel: string }) | undefined> {
    const found = await this.resolveAkte(akte)
    if (found === undefined) return undefined
    const actual = await resolveExistingFile(found.dir, pathSegments(path))
    return actual === undefined ? undefined : { ...found, rel: actual.join('/') }
  }
}

export function createWatcherSimulator (options: WatcherSimulatorOptions): WatcherSimulator {
  return new WatcherSimulator(options)
}
