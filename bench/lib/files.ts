import { randomFillSync } from 'node:crypto'
import { open, mkdir, link, rm, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { blake3OfFile } from '../../src/hash/blake3.js'
import type { WatcherSimulator } from '../../src/simulators/watcher/index.js'

/*
 * Test files are written once into a template folder and hard-linked into
 * each Akte folder: preparing an Akte then costs no copying, and the
 * Watcher's index is told each file's hash as the real Watcher knows it
 * from its journal, so no benchmark times the simulator hashing its share.
 */

export interface FileSpec { path: string, size: number }
export interface TemplateFile extends FileSpec { abs: string, hash: string }

export interface Template {
  dir: string
  files: TemplateFile[]
  remove: () => Promise<void>
}

const BLOCK = 8 * 1024 * 1024

/** Random (incompressible) files of the given sizes. */
export async function makeTemplate (specs: readonly FileSpec[], root = tmpdir()): Promise<Template> {
  const dir = await mkdtemp(join(root, 'advoware-bench-files-'))
  const block = Buffer.allocUnsafe(BLOCK)
  const files: TemplateFile[] = []
  for (const spec of specs) {
    const abs = join(dir, spec.path)
    await mkdir(dirname(abs), { recursive: true })
    const handle = await open(abs, 'w')
    try {
      for (let written = 0; written < spec.size;) {
        const n = Math.min(BLOCK, spec.size - written)
        randomFillSync(block, 0, n)
        await handle.write(block, 0, n)
        written += n
      }
    } finally {
      await handle.close()
    }
    files.push({ ...spec, abs, hash: (await blake3OfFile(abs)).hash })
  }
  return { dir, files, remove: async () => { await rm(dir, { recursive: true, force: true }) } }
}

/** Hard-links the template's files into the Akte's share folder. */
export async function linkIntoShare (watcher: WatcherSimulator, aktennummer: string, files: readonly TemplateFile[]): Promise<void> {
  const dir = await watcher.createAkte(aktennummer)
  for (const file of files) {
    const target = join(dir, file.path)
    await mkdir(dirname(target), { recursive: true })
    await link(file.abs, target)
  }
}

/**
 * Records the linked files in the Watcher's index with their known hashes.
 * Call it after every link of a benchmark is made: a new link changes the
 * file's ctime, which would make the index rehash an Akte recorded earlier.
 */
export async function recordInIndex (watcher: WatcherSimulator, aktennummer: string, files: readonly TemplateFile[]): Promise<void> {
  const folder = watcher.folderName(aktennummer)
  if (folder === undefined) throw new Error(`no folder for ${aktennummer}`)
  await watcher.index.withLock(folder, async () => {
    for (const file of files) await watcher.index.record(folder, file.path, file.hash)
  })
}
