import { moveDocument } from './lifecycle-actions.js'
import type { FileCase, MoveDocumentAction } from './types.js'

/*
 * A rename on Windows looks like a delete plus a create. When content leaves
 * one synced path and the same content appears at a new path in the same run,
 * the Document follows instead: no soft-delete, no second Document.
 */

function isVanished (c: FileCase): boolean {
  return c.base?.origin === 'document' && c.windowsChange === 'deleted' && c.espoChange === 'unchanged'
}

function isAppeared (c: FileCase): boolean {
  return c.base === null && c.windowsChange === 'created' && c.espoChange === 'absent' && c.windows !== null
}

function groupByHash (cases: readonly FileCase[], hashOf: (c: FileCase) => string): Map<string, FileCase[]> {
  const groups = new Map<string, FileCase[]>()
  for (const c of cases) {
    const hash = hashOf(c)
    groups.set(hash, [...(groups.get(hash) ?? []), c])
  }
  return groups
}

export interface RenamePairing {
  moves: MoveDocumentAction[]
  /** Keys whose case the moves settle. */
  settled: Set<string>
}

/**
 * Pairs vanished and appeared files by content hash. With several of the same
 * hash, both sides are taken in key order and paired one to one (leftovers stay
 * deletes and creates), so the outcome never depends on listing order.
 */
export function pairRenames (cases: readonly FileCase[]): RenamePairing {
  const sorted = [...cases].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const vanished = groupByHash(sorted.filter(isVanished), c => c.base?.hash ?? '')
  const appeared = groupByHash(sorted.filter(isAppeared), c => c.windows?.blake3Hash ?? '')
  const moves: MoveDocumentAction[] = []
  const settled = new Set<string>()
  for (const [hash, sources] of vanished) {
    const targets = appeared.get(hash) ?? []
    for (let i = 0; i < Math.min(sources.length, targets.length); i++) {
      const from = sources[i] as FileCase
      const to = targets[i] as FileCase
      if (from.base === null || from.document === null || to.windows === null) continue
      moves.push(moveDocument(from.base, to.key, to.windows, from.document, to.history))
      settled.add(from.key)
      settled.add(to.key)
    }
  }
  return { moves, settled }
}
