/*
 * Paths inside an Akte folder. The share is NTFS: names compare
 * case-insensitively, and the contract adds Unicode NFC, so one file has one
 * key however EspoCRM, Advoware or the Watcher spell it.
 */

/** Segments of a relative or Windows path, in NFC; `/` and `\` both separate, empty and `.` segments vanish. */
export function splitPath (path: string): string[] {
  return path.normalize('NFC').split(/[\\/]+/).filter(segment => segment !== '' && segment !== '.')
}

/** The path in NFC with `/` separators, spelling kept. */
export function normalisePath (path: string): string {
  return splitPath(path).join('/')
}

/** The identity of a file inside the Akte folder. */
export function fileKey (path: string): string {
  return normalisePath(path).toLowerCase()
}

export function baseName (path: string): string {
  return splitPath(path).at(-1) ?? ''
}

/** `.pdf` for `Klage.final.pdf`; '' when there is none or the name is only an extension. */
export function extensionOf (name: string): string {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot) : ''
}

export function stemOf (name: string): string {
  const extension = extensionOf(name)
  return extension === '' ? name : name.slice(0, -extension.length)
}

const DRIVE = /^[a-z]:/i

function isAbsolute (path: string): boolean {
  return DRIVE.test(path) || path.startsWith('\\') || path.startsWith('/')
}

function segmentKey (segment: string): string {
  return segment.normalize('NFC').toLowerCase()
}

/** Index just below the first run of segments equal to one of the folder names, or -1. */
function indexBelowFolder (segments: readonly string[], folderNames: readonly string[]): number {
  const keys = segments.map(segmentKey)
  let best = -1
  for (const name of folderNames) {
    const wanted = splitPath(name).map(segmentKey)
    if (wanted.length === 0) continue
    for (let start = 0; start + wanted.length <= keys.length; start++) {
      if (wanted.every((part, i) => keys[start + i] === part)) {
        const below = start + wanted.length
        if (best === -1 || below < best) best = below
        break
      }
    }
  }
  return best
}

/**
 * The path below the Akte folder that a History entry's `datei` links, or null.
 *
 * `datei` is relative to the Akte folder, or an absolute Windows or UNC path of
 * which only the part below the folder named like the Akte counts. Where no
 * segment names the Akte folder, the longest tail of the path that is a known
 * file wins (so `\\srv\old-share\Akten\x.pdf` still finds `x.pdf`), else the
 * bare file name. A path climbing out with `..` links nothing.
 */
export function historyDateiToRelativePath (
  datei: string | null,
  akteFolderNames: readonly string[],
  knownKeys: ReadonlySet<string> = new Set()
): string | null {
  if (datei === null || datei.trim() === '') return null
  const raw = datei.trim()
  const segments = splitPath(raw)
  if (segments.includes('..')) return null
  const absolute = isAbsolute(raw)
  const below = indexBelowFolder(segments, akteFolderNames)

  if (!absolute) {
    const whole = segments.join('/')
    // A relative path may still start with the Akte folder itself; prefer what exists.
    if (below > 0 && below < segments.length && !knownKeys.has(fileKey(whole))) {
      const tail = segments.slice(below).join('/')
      if (knownKeys.has(fileKey(tail))) return tail
    }
    return whole === '' ? null : whole
  }

  if (below > 0 && below < segments.length) return segments.slice(below).join('/')
  // Drive letters and UNC server/share are never part of the Akte's tree.
  const first = raw.startsWith('\\\\') || raw.startsWith('//') ? 2 : DRIVE.test(raw) ? 1 : 0
  const rest = segments.slice(first)
  for (let start = 0; start < rest.length; start++) {
    const tail = rest.slice(start).join('/')
    if (knownKeys.has(fileKey(tail))) return tail
  }
  return rest.at(-1) ?? null
}
