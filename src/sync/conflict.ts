import { berlinDateTime, parseZonedInstant } from './berlin-time.js'
import { sanitiseDocumentName } from './document-name.js'
import { extensionOf, stemOf } from './paths.js'

/*
 * Changed on both sides with different content: the newer edit wins, the
 * loser's bytes survive as a separate EspoCRM Document.
 */

const ESPO_DATETIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/u

/** EspoCRM datetimes are `YYYY-MM-DD HH:mm:ss` in UTC without a zone. */
export function parseEspoDateTime (text: string | null): number | null {
  if (text === null) return null
  const match = ESPO_DATETIME.exec(text.trim())
  if (match === null) return null
  const ms = Date.parse(`${match[1]}T${match[2]}Z`)
  return Number.isNaN(ms) ? null : ms
}

/** Windows `modified` is ISO 8601 with the share's offset. */
export function parseWindowsModified (text: string | null): number | null {
  return parseZonedInstant(text)
}

/**
 * Who wins a conflict: the newer timestamp. An unreadable time or a tie lets
 * Windows win: the share is what the lawyers open, so it is the safer keeper.
 */
export function conflictWinner (windowsModified: string | null, espoModifiedAt: string | null): 'windows' | 'espo' {
  const windows = parseWindowsModified(windowsModified)
  const espo = parseEspoDateTime(espoModifiedAt)
  if (windows === null || espo === null) return 'windows'
  return espo > windows ? 'espo' : 'windows'
}

export interface ConflictCopyNameInput {
  /** The name without its extension. */
  stem: string
  /** With its dot, or ''. */
  extension: string
  at: Date
}

export type ConflictCopyNamer = (input: ConflictCopyNameInput) => string

/** `Klageschrift (Konflikt 2026-03-24 11-15-00).pdf`, Berlin time; no colons, the name also names the attachment. */
export const defaultConflictCopyName: ConflictCopyNamer = ({ stem, extension, at }) => {
  const stamp = berlinDateTime(at).replace('T', ' ').replaceAll(':', '-')
  return `${stem} (Konflikt ${stamp})${extension}`
}

/**
 * The conflict copy's Document name. The stem comes from the Document name
 * (or the file name), the extension from the file, so the copy opens with
 * the right program.
 */
export function conflictCopyName (
  documentName: string | null,
  fileName: string,
  at: Date,
  namer: ConflictCopyNamer = defaultConflictCopyName
): string {
  const extension = extensionOf(fileName)
  const name = documentName !== null && documentName.trim() !== '' ? documentName.trim() : fileName
  const stem = extension !== '' && name.toLowerCase().endsWith(extension.toLowerCase()) ? stemOf(name) : name
  return sanitiseDocumentName(namer({ stem, extension, at }))
}
