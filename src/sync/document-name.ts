import { baseName, extensionOf } from './paths.js'

/*
 * EspoCRM refuses a Document name over 255 characters or with `<`, `>` or `=`
 * (400). Windows allows `=`, so names from the share need this too.
 */

const MAX_NAME_LENGTH = 255
// eslint-disable-next-line no-control-regex
const REFUSED = /[<>=\u0000-\u001f\u007f]/gu

export function sanitiseDocumentName (name: string, fallback = 'Dokument'): string {
  const clean = name.normalize('NFC').replace(REFUSED, '_').trim()
  if (clean === '') return fallback
  if (clean.length <= MAX_NAME_LENGTH) return clean
  const extension = extensionOf(clean)
  const keep = extension.length < 32 ? extension : ''
  let stem = ''
  for (const char of clean.slice(0, clean.length - keep.length)) {
    if (stem.length + char.length > MAX_NAME_LENGTH - keep.length) break
    stem += char
  }
  return `${stem.trimEnd()}${keep}`
}

/** A Document's name for a file on the share: its file name. */
export function documentNameForPath (path: string): string {
  return sanitiseDocumentName(baseName(path))
}
