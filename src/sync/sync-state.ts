import type { AkteSyncState, BaseChange, BaseEntry, BaseResultField, PermanentFailure } from './types.js'

export function emptySyncState (aktennummer: string): AkteSyncState {
  return { version: 1, aktennummer, entries: [], tombstones: [], failures: [] }
}

/** What the write answered, for the base fields the plan could not know. */
export type BaseResult = Partial<Record<BaseResultField, string>>

function byKey<T extends { key: string }> (items: T[]): T[] {
  return items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

/** The entry to record: the plan's entry with the answered fields filled in; throws when one is missing. */
export function completeBaseEntry (entry: BaseEntry, fromResult: readonly BaseResultField[], result: BaseResult = {}): BaseEntry {
  const complete: BaseEntry = { ...entry }
  for (const field of fromResult) {
    const value = result[field]
    if (value === undefined) throw new Error(`base field ${field} must come from the write's answer`)
    complete[field] = value
  }
  return complete
}

/**
 * The state after one succeeded action's base change (`key` is the action's
 * key). Pure: returns a new state, entries sorted by key so equal states
 * serialise equally.
 */
export function applyBaseChange (state: AkteSyncState, key: string, change: BaseChange, result: BaseResult = {}): AkteSyncState {
  if (change.op === 'keep') return state
  const gone = new Set([key])
  if (change.op === 'set') {
    gone.add(change.entry.key)
    if (change.previousKey !== null) gone.add(change.previousKey)
  }
  const entries = state.entries.filter(e => !gone.has(e.key))
  const tombstones = state.tombstones.filter(t => !gone.has(t.key))
  let failures = state.failures
  if (change.op === 'set') {
    entries.push(completeBaseEntry(change.entry, change.fromResult, result))
    // Content at this key went through: an older refusal no longer applies.
    failures = failures.filter(f => !gone.has(f.key))
  } else if (change.op === 'tombstone') {
    tombstones.push(change.tombstone)
  }
  return { ...state, entries: byKey(entries), tombstones: byKey(tombstones), failures }
}

/** Remember a refusal so the same content is not sent again every run. */
export function recordFailure (state: AkteSyncState, failure: PermanentFailure): AkteSyncState {
  const others = state.failures.filter(f =>
    !(f.source === failure.source && f.key === failure.key && f.documentId === failure.documentId))
  return { ...state, failures: [...others, failure] }
}
