import { extensionOf, fileKey } from './paths.js'

/*
 * Names for files we put on the share. They come from EspoCRM and may be
 * hostile; the Watcher refuses what Windows refuses, so every rule is applied
 * here, and nothing produced can leave the Akte folder.
 */

export interface WindowsPathLimits {
  /** Longest full Windows path, folder included (MAX_PATH minus the terminating NUL). */
  maxPathLength: number
  /** Length of the Akte folder's full path without a trailing separator (`D:\Advoware\Akten\12345` = 23). */
  akteFolderPathLength: number
}

export type WindowsPathResult = { ok: true, path: string } | { ok: false, reason: string }

/** NTFS limit for one path component, in UTF-16 code units. */
const MAX_SEGMENT_LENGTH = 255
/** Longer "extensions" are treated as part of the name: an extension is worth keeping, a hostile tail is not. */
const MAX_EXTENSION_LENGTH = 16
const MAX_COLLISION_SUFFIX = 999

// Forbidden by Windows, plus C0/C1 controls and the bidi overrides that disguise extensions (`gpj.exe`).
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/iu

function isReserved (segment: string): boolean {
  const dot = segment.indexOf('.')
  const stem = dot === -1 ? segment : segment.slice(0, dot)
  return RESERVED.test(stem.trimEnd())
}

/** One path component made Windows-valid; '' when nothing usable is left (e.g. `..`). */
export function sanitiseSegment (segment: string): string {
  let clean = segment.toWellFormed().normalize('NFC').replace(FORBIDDEN, '_')
  clean = clean.replace(/[. ]+$/u, '').replace(/^ +/u, '')
  if (clean === '') return ''
  return isReserved(clean) ? `_${clean}` : clean
}

/** Truncate to at most `max` UTF-16 units without splitting a surrogate pair. */
function truncate (text: string, max: number): string {
  let out = ''
  for (const char of text) {
    if (out.length + char.length > max) break
    out += char
  }
  return out
}

function splitExtension (name: string): [string, string] {
  const extension = extensionOf(name)
  if (extension === '' || extension.length > MAX_EXTENSION_LENGTH || /\s/u.test(extension)) return [name, '']
  return [name.slice(0, -extension.length), extension]
}

/** Folder segments plus file name, with the stem cut so the full path fits; `suffix` goes before the extension. */
function fitPath (folders: readonly string[], fileName: string, limits: WindowsPathLimits, suffix: string): WindowsPathResult {
  const [rawStem, extension] = splitExtension(fileName)
  const folderPart = folders.map(f => `${f}/`).join('')
  const separator = limits.akteFolderPathLength > 0 ? 1 : 0
  const fixed = limits.akteFolderPathLength + separator + folderPart.length + suffix.length + extension.length
  const room = Math.min(limits.maxPathLength - fixed, MAX_SEGMENT_LENGTH - suffix.length - extension.length)
  if (folders.some(folder => folder.length > MAX_SEGMENT_LENGTH)) {
    return { ok: false, reason: 'a folder name is longer than 255 characters' }
  }
  let stem = room >= rawStem.length ? rawStem : sanitiseSegment(truncate(rawStem, room))
  // Cutting can expose a reserved name (`CONTRACT` -> `CON`) or a trailing dot; sanitising may add '_'.
  while (stem.length > room && stem !== '') stem = sanitiseSegment(truncate(stem, stem.length - 1))
  if (stem === '' || room < 1) {
    return { ok: false, reason: `no valid name fits the ${limits.maxPathLength}-character path limit` }
  }
  const name = sanitiseSegment(`${stem}${suffix}${extension}`)
  if (name === '') return { ok: false, reason: 'name is empty after removing invalid characters' }
  return { ok: true, path: folderPart + name }
}

export interface WindowsNameCandidate {
  /** A relative path (subfolders allowed), e.g. the Document's windowsPath. */
  path?: string | null
  /** A single file name (any `/` or `\` in it is a character, not a folder). */
  name?: string | null
}

function candidateParts (candidate: WindowsNameCandidate): { folders: string[], fileName: string } | null {
  if (candidate.path !== undefined && candidate.path !== null && candidate.path.trim() !== '') {
    // `..`, `.`, drive letters and UNC prefixes turn into nothing or harmless names: never a way out.
    const segments = candidate.path.split(/[\\/]+/u).map(sanitiseSegment).filter(s => s !== '')
    const fileName = segments.pop()
    return fileName === undefined ? null : { folders: segments, fileName }
  }
  const fileName = sanitiseSegment(candidate.name ?? '')
  return fileName === '' ? null : { folders: [], fileName }
}

/**
 * A Windows-valid relative path for the candidate that collides (by key) with
 * nothing in `taken`, adding ` (2)`, ` (3)`, ... before the extension when needed.
 * `isFree` may allow a taken key (e.g. the Document's own path).
 */
export function chooseWindowsPath (
  candidate: WindowsNameCandidate,
  taken: ReadonlySet<string>,
  limits: WindowsPathLimits,
  isFree: (key: string) => boolean = key => !taken.has(key)
): WindowsPathResult {
  const parts = candidateParts(candidate)
  if (parts === null) return { ok: false, reason: 'name is empty after removing invalid characters' }
  for (let n = 1; n <= MAX_COLLISION_SUFFIX; n++) {
    const fitted = fitPath(parts.folders, parts.fileName, limits, n === 1 ? '' : ` (${n})`)
    if (!fitted.ok) return fitted
    if (isFree(fileKey(fitted.path))) return fitted
  }
  return { ok: false, reason: `more than ${MAX_COLLISION_SUFFIX} files share this name` }
}

/** True when Windows would accept the relative path as it is. */
export function isValidWindowsPath (path: string, limits: WindowsPathLimits): boolean {
  const result = chooseWindowsPath({ path }, new Set(), limits)
  return result.ok && result.path === path
}
