import type { Action, ActionKind, PlanCounts } from './types.js'

export type WriteTarget = 'windows' | 'espo' | 'advoware' | 'store'

function historyWrite (entry: unknown): WriteTarget[] {
  return entry === null ? [] : ['advoware']
}

/** The systems an action writes to when propagated. */
export function writeTargets (action: Action): WriteTarget[] {
  switch (action.kind) {
    case 'skip':
      return []
    case 'tombstone':
    case 'forget':
      return ['store']
    case 'update-metadata':
      return ['espo']
    case 'upload-to-windows':
      return ['windows', 'espo', ...historyWrite(action.historyEntry), 'store']
    case 'link':
      return ['espo', ...historyWrite(action.historyEntry), 'store']
    case 'conflict':
      return [...new Set<WriteTarget>(['espo', ...writeTargets(action.then)])]
    default:
      return ['espo', 'store']
  }
}

/** True when the action writes a file, a Document or a History entry (not only the store). */
export function isWriteAction (action: Action): boolean {
  return writeTargets(action).some(target => target !== 'store')
}

const KINDS: readonly ActionKind[] = [
  'create-document', 'update-document-file', 'upload-to-windows', 'link', 'advance-base', 'update-metadata',
  'move-document', 'soft-delete-document', 'tombstone', 'forget', 'conflict', 'skip'
]

export function countActions (actions: readonly Action[]): PlanCounts {
  const byKind = Object.fromEntries(KINDS.map(kind => [kind, 0])) as Record<ActionKind, number>
  let writes = 0
  let bytesToEspo = 0
  let bytesToWindows = 0
  for (const action of actions) {
    byKind[action.kind]++
    if (isWriteAction(action)) writes++
    const copied = action.kind === 'conflict' && action.copy.from === 'windows' ? action.copy.size ?? 0 : 0
    if (action.direction === 'windows->espo') bytesToEspo += action.size ?? 0
    if (action.direction === 'espo->windows') bytesToWindows += action.size ?? 0
    bytesToEspo += copied
  }
  return { byKind, writes, bytesToEspo, bytesToWindows }
}
