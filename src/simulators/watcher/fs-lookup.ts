import { lstat, readdir } from 'node:fs/promises'
import { Dirent } from 'node:fs'
import { join } from 'node:path'
import { foldName } from './names.js'

/** Temp files of uploads in progress: invisible to listings and lookups. */
export const TEMP_PREFIX = '.sim-upload-'

export const isTempName = (name: string): boolean => name.startsWith(TEMP_PREFIX)

async function entries (dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return []
    throw err
  }
}

/** The entry of exactly `name` in `dir` (as readdir would give it), or undefined. */
async function lstatEntry (dir: string, name: string): Promise<Dirent | undefined> {
  try {
    const stats = await lstat(join(dir, name))
    return Object.assign(Object.create(Dirent.prototype) as Dirent, {
      name,
      parentPath: dir,
      isFile: () => stats.isFile(),
      isDirectory: () => stats.isDirectory(),
      isSymbolicLink: () => stats.isSymbolicLink()
    })
  } catch {
    return undefined
  }
}

/**
 * The entry NTFS would open for `name`: exact match first, else the one equal
 * ignoring case and Unicode normalisation. Symlinks are never followed, so
 * nothing resolves outside the root.
 */
export async function findEntry (dir: string, name: string): Promise<Dirent | undefined> {
  // The exact name costs one lstat; reading the whole folder (thousands of Akte folders) is only for the case-blind match.
  const exact = isTempName(name) ? undefined : await lstatEntry(dir, name)
  if (exact !== undefined && !exact.isSymbolicLink()) return exact
  const list = (await entries(dir)).filter(e => !e.isSymbolicLink() && !isTempName(e.name))
  const key = foldName(name)
  return list.find(e => foldName(e.name) === key)
}

/** Actual on-disk names of an existing file below `dir`, or undefined. */
export async function resolveExistingFile (dir: string, segments: string[]): Promise<string[] | undefined> {
  const actual: string[] = []
  let current = dir
  for (const [i, segment] of segments.entries()) {
    const entry = await findEntry(current, segment)
    const last = i === segments.length - 1
    if (entry === undefined || (last ? !entry.isFile() : !entry.isDirectory())) return undefined
    actual.push(entry.name)
    current = `${current}/${entry.name}`
  }
  return actual
}

export type WriteTarget = { segments: string[] } | { conflict: string }

/**
 * Names to write under: existing names where an entry already matches (so a
 * case or normalisation variant overwrites the existing file), requested names
 * below the first missing segment.
 */
export async function resolveWriteTarget (dir: string, segments: string[]): Promise<WriteTarget> {
  const actual: string[] = []
  let current = dir
  let exists = true
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1
    const entry = exists ? await findEntry(current, segment) : undefined
    if (entry === undefined) {
      exists = false
      actual.push(segment)
    } else {
      if (last && !entry.isFile()) return { conflict: `'${[...actual, entry.name].join('/')}' exists and is not a file` }
      if (!last && !entry.isDirectory()) return { conflict: `'${[...actual, entry.name].join('/')}' exists and is not a folder` }
      actual.push(entry.name)
    }
    current = `${current}/${actual[i]!}`
  }
  return { segments: actual }
}
