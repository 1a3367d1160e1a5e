/**
 * Windows and NTFS naming rules the Watcher enforces, so clients meet the
 * share's limits in tests rather than in production.
 */

// '/' never reaches a segment: it separates them.
const FORBIDDEN_CHAR = /[<>:"\\|?*\u0000-\u001f]/
const FORBIDDEN_CHARS = /[<>:"/\\|?*\u0000-\u001f]/g
const RESERVED = /^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])$/i

/** Windows' MAX_PATH is 260 including the terminating NUL. */
export const MAX_WINDOWS_PATH = 259

/** Why Windows would refuse this file or folder name, or undefined. */
export function segmentProblem (segment: string): string | undefined {
  if (segment === '') return 'empty path segment'
  if (segment === '.' || segment === '..') return `relative segment '${segment}' is not allowed`
  const bad = FORBIDDEN_CHAR.exec(segment)
  if (bad !== null) return `forbidden character ${JSON.stringify(bad[0])} in '${segment}'`
  if (/[. ]$/.test(segment)) return `'${segment}' ends with a dot or a space`
  // Windows ignores the extension and trailing spaces when it matches device names.
  const stem = segment.split('.')[0]!.trimEnd()
  if (RESERVED.test(stem)) return `'${segment}' is a reserved device name`
  return undefined
}

export type SplitPath = { segments: string[] } | { problem: string }

/**
 * Splits a wire path (relative, '/'-separated). `strict` applies all Windows
 * rules (uploads); otherwise only what could escape the Akte folder is refused
 * (downloads of names a test put on disk directly must still work).
 */
export function splitRelativePath (path: string, strict: boolean): SplitPath {
  if (path === '') return { problem: 'path is empty' }
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return { problem: 'path must be relative' }
  if (path.includes('\\')) return { problem: "path must use '/' as separator" }
  if (path.includes('\u0000')) return { problem: 'path contains NUL' }
  const segments = path.split('/')
  for (const segment of segments) {
    const problem = strict
      ? segmentProblem(segment)
      : (segment === '' || segment === '.' || segment === '..' ? `invalid segment '${segment}'` : undefined)
    if (problem !== undefined) return { problem }
  }
  return { segments }
}

/**
 * Default Aktennummer -> folder name: Windows-forbidden characters become '_'
 * ('12/2026' -> '12_2026'). Undefined when no safe folder name results.
 */
export function defaultAkteFolderName (akte: string): string | undefined {
  const name = akte.normalize('NFC')
    .replace(FORBIDDEN_CHARS, '_')
    .replace(/[. ]+$/, tail => '_'.repeat(tail.length))
  return segmentProblem(name) === undefined ? name : undefined
}

/**
 * Comparison key as NTFS compares names: NFC, then a one-to-one upcase per
 * code point (NTFS' upcase table never expands, so 'ß' stays 'ß').
 */
export function foldName (name: string): string {
  let folded = ''
  for (const ch of name.normalize('NFC')) {
    const up = ch.toUpperCase()
    folded += [...up].length === 1 ? up : ch
  }
  return folded
}

/** The path as Windows would see it, for the MAX_PATH check. */
export function windowsFullPath (base: string, akteFolder: string, segments: string[]): string {
  const root = base.endsWith('\\') ? base : `${base}\\`
  return `${root}${akteFolder}\\${segments.join('\\')}`
}
