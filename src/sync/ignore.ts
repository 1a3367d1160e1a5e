import { fileKey } from './paths.js'

/** Office lock files (`~$Klage.docx`), temp files and Explorer's bookkeeping are never synced. */
export const DEFAULT_IGNORE_PATTERNS: readonly string[] = ['~$*', '*.tmp', 'Thumbs.db', 'desktop.ini']

export type IgnoreMatcher = (path: string) => boolean

function globToRegExp (glob: string): RegExp {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string
    if (char === '*' && glob[i + 1] === '*') {
      source += '.*'
      i++
    } else if (char === '*') {
      source += '[^/]*'
    } else if (char === '?') {
      source += '[^/]'
    } else {
      source += char.replace(/[\\^$.|+(){}[\]]/g, '\\$&')
    }
  }
  return new RegExp(`^${source}$`, 'su')
}

/**
 * A matcher for the default patterns plus `extra` globs (`*`, `?`, `**`),
 * case-insensitive and in NFC. A pattern without `/` matches any single
 * segment, so a folder name excludes the folder's contents as well; a pattern
 * with `/` matches the whole relative path.
 */
export function compileIgnore (extra: readonly string[] = [], withDefaults = true): IgnoreMatcher {
  const patterns = [...(withDefaults ? DEFAULT_IGNORE_PATTERNS : []), ...extra]
    .map(pattern => fileKey(pattern))
    .filter(pattern => pattern !== '')
  const segmentPatterns = patterns.filter(p => !p.includes('/')).map(globToRegExp)
  const pathPatterns = patterns.filter(p => p.includes('/')).map(globToRegExp)
  return (path: string): boolean => {
    const key = fileKey(path)
    if (pathPatterns.some(re => re.test(key))) return true
    return key.split('/').some(segment => segmentPatterns.some(re => re.test(segment)))
  }
}
