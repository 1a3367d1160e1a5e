import type { HistoryEntry } from '../domain/types.js'
import { fileKey, historyDateiToRelativePath } from './paths.js'

/** History entries by the key of the file they link; entries without `datei` link nothing. */
export function linkHistory (
  entries: readonly HistoryEntry[],
  akteFolderNames: readonly string[],
  knownKeys: ReadonlySet<string>
): Map<string, HistoryEntry[]> {
  const links = new Map<string, HistoryEntry[]>()
  for (const entry of entries) {
    const path = historyDateiToRelativePath(entry.datei, akteFolderNames, knownKeys)
    if (path === null) continue
    const key = fileKey(path)
    const linked = links.get(key)
    if (linked === undefined) links.set(key, [entry])
    else linked.push(entry)
  }
  return links
}

function compareIds (a: string, b: string): number {
  if (/^\d+$/u.test(a) && /^\d+$/u.test(b)) {
    const diff = BigInt(a) - BigInt(b)
    return diff < 0n ? -1 : diff > 0n ? 1 : 0
  }
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The entry whose metadata a file's Document mirrors. The one the Document
 * already names stays (so two entries never take turns); else the earliest,
 * the entry that brought the file into the Akte.
 */
export function pickHistoryEntry (entries: readonly HistoryEntry[] | undefined, preferredId: string | null): HistoryEntry | null {
  if (entries === undefined || entries.length === 0) return null
  const preferred = entries.find(entry => preferredId !== null && entry.id === preferredId)
  if (preferred !== undefined) return preferred
  const sorted = [...entries].sort((a, b) => (a.datum < b.datum ? -1 : a.datum > b.datum ? 1 : compareIds(a.id, b.id)))
  return sorted[0] ?? null
}
