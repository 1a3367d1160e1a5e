import { readdir, stat } from 'node:fs/promises'
import type { BigIntStats } from 'node:fs'
import { join } from 'node:path'
import { blake3OfFile } from '../../hash/blake3.js'
import { isTempName } from './fs-lookup.js'

/** What the Watcher last saw of one file. */
export interface IndexEntry {
  size: number
  mtimeMs: number
  usn: bigint
  hash: string
  /** Identity of the version hashed: a difference means a change. */
  ino: bigint
  mtimeNs: bigint
  ctimeNs: bigint
}

export interface ScanResult {
  files: Array<{ path: string, entry: IndexEntry }>
  /** Paths new, changed or gone since the previous scan (empty on the first scan). */
  changed: string[]
}

export interface IndexStats {
  /** Files hashed because they were new or changed; an unchanged rescan adds nothing. */
  hashes: number
  scans: number
}

const sameVersion = (e: IndexEntry, s: BigIntStats): boolean =>
  e.ino === s.ino && e.mtimeNs === s.mtimeNs && e.ctimeNs === s.ctimeNs && BigInt(e.size) === s.size

/**
 * The USN journal of the simulated share: a 64-bit counter (kept as BigInt;
 * it starts above 2^53) and, per Akte folder, the last seen state of each file
 * so rescans rehash only what changed.
 */
export class FileIndex {
  private counter: bigint
  private readonly folders = new Map<string, Map<string, IndexEntry>>()
  private readonly locks = new Map<string, Promise<unknown>>()
  readonly stats: IndexStats = { hashes: 0, scans: 0 }

  constructor (private readonly root: string, startUsn: bigint) {
    this.counter = startUsn
  }

  get currentUsn (): bigint {
    return this.counter
  }

  nextUsn (): bigint {
    this.counter += 1n
    return this.counter
  }

  /** Serialises work on one Akte folder, so one change never gets two USNs. */
  async withLock<T> (folder: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(folder) ?? Promise.resolve()
    const run = previous.then(fn, fn)
    const tail = run.catch(() => {})
    this.locks.set(folder, tail)
    void tail.then(() => { if (this.locks.get(folder) === tail) this.locks.delete(folder) })
    return await run
  }

  /** Rescans an Akte folder (caller holds the lock). */
  async scan (folder: string): Promise<ScanResult> {
    this.stats.scans += 1
    const firstScan = !this.folders.has(folder)
    const known = this.entries(folder)
    const seen = new Map<string, BigIntStats>()
    await this.walk(join(this.root, folder), '', seen)

    const changed: string[] = []
    for (const path of known.keys()) {
      if (!seen.has(path)) {
        known.delete(path)
        this.nextUsn()
        changed.push(path)
      }
    }
    for (const [path, s] of seen) {
      const entry = known.get(path)
      if (entry !== undefined && sameVersion(entry, s)) continue
      const updated = await this.hashAndRecord(folder, path, s)
      if (updated !== undefined) changed.push(path)
    }
    const files = [...known.entries()]
      .map(([path, entry]) => ({ path, entry }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    return { files, changed: firstScan ? [] : changed.sort() }
  }

  /**
   * Brings one file up to date (caller holds the lock). `hash` is given when
   * the writer already hashed the bytes, so nothing is read twice.
   */
  async record (folder: string, path: string, hash?: string): Promise<IndexEntry | undefined> {
    let s: BigIntStats
    try {
      s = await stat(join(this.root, folder, path), { bigint: true })
    } catch {
      this.forget(folder, path)
      return undefined
    }
    const entry = this.entries(folder).get(path)
    if (entry !== undefined && sameVersion(entry, s) && hash === undefined) return entry
    if (hash === undefined) return await this.hashAndRecord(folder, path, s)
    return this.store(folder, path, s, hash)
  }

  forget (folder: string, path: string): boolean {
    const removed = this.entries(folder).delete(path)
    if (removed) this.nextUsn()
    return removed
  }

  /** Drops an Akte folder's state (the folder was removed). */
  forgetFolder (folder: string): void {
    this.folders.delete(folder)
  }

  private entries (folder: string): Map<string, IndexEntry> {
    let map = this.folders.get(folder)
    if (map === undefined) {
      map = new Map()
      this.folders.set(folder, map)
    }
    return map
  }

  private async hashAndRecord (folder: string, path: string, s: BigIntStats): Promise<IndexEntry | undefined> {
    try {
      this.stats.hashes += 1
      const { hash } = await blake3OfFile(join(this.root, folder, path))
      // Stored with the stat taken BEFORE hashing: a write racing the hash
      // then differs at the next scan and is rehashed, never kept stale.
      return this.store(folder, path, s, hash)
    } catch {
      // Deleted while we looked: the next scan reports it as gone.
      return undefined
    }
  }

  private store (folder: string, path: string, s: BigIntStats, hash: string): IndexEntry {
    const entry: IndexEntry = {
      size: Number(s.size),
      mtimeMs: Number(s.mtimeNs / 1_000_000n),
      usn: this.nextUsn(),
      hash,
      ino: s.ino,
      mtimeNs: s.mtimeNs,
      ctimeNs: s.ctimeNs
    }
    this.entries(folder).set(path, entry)
    return entry
  }

  private async walk (dir: string, prefix: string, seen: Map<string, BigIntStats>): Promise<void> {
    let list
    try {
      list = await readdir(dir, { withFileTypes: true })
    } catch {
      return
    }
    const stats = list
      .filter(e => !e.isSymbolicLink() && !isTempName(e.name) && (e.isFile() || e.isDirectory()))
      .map(async e => {
        const rel = prefix === '' ? e.name : `${prefix}/${e.name}`
        if (e.isDirectory()) return await this.walk(join(dir, e.name), rel, seen)
        try {
          seen.set(rel, await stat(join(dir, e.name), { bigint: true }))
        } catch {}
      })
    await Promise.all(stats)
  }
}
