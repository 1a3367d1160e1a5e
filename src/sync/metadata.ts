import type { EspoDocument, HistoryEntry } from '../domain/types.js'
import { datumDate } from './berlin-time.js'
import type { DocumentPatch } from './types.js'

/*
 * Document fields that mirror the History entry linking its file. Written only
 * when they differ, so an unchanged Akte costs no Document write.
 */

function differs (current: string | null, wanted: string | null): boolean {
  return (current ?? '') !== (wanted ?? '')
}

/** The mirrored fields as the History entry says they should be (publishDate only when `datum` is readable). */
export function historyMetadata (entry: HistoryEntry): DocumentPatch {
  const wanted: DocumentPatch = {
    description: entry.text,
    historyArt: entry.art,
    advowareHistoryId: entry.id
  }
  const date = datumDate(entry.datum)
  if (date !== null) wanted.publishDate = date
  return wanted
}

/** The mirrored fields that differ from the Document, or {} when none (or no entry links the file). */
export function metadataPatch (doc: EspoDocument, entry: HistoryEntry | null): DocumentPatch {
  if (entry === null) return {}
  const wanted = historyMetadata(entry)
  const patch: DocumentPatch = {}
  if (wanted.description !== undefined && differs(doc.description, wanted.description)) patch.description = wanted.description
  if (wanted.historyArt !== undefined && differs(doc.historyArt, wanted.historyArt)) patch.historyArt = wanted.historyArt
  if (wanted.advowareHistoryId !== undefined && differs(doc.advowareHistoryId, wanted.advowareHistoryId)) {
    patch.advowareHistoryId = wanted.advowareHistoryId
  }
  if (wanted.publishDate !== undefined && differs(doc.publishDate, wanted.publishDate)) patch.publishDate = wanted.publishDate
  return patch
}
