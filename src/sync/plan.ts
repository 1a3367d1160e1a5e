import type { AdvowareAkte, EspoDocument, HistoryEntry, WatcherFile } from '../domain/types.js'
import { detect } from './detect.js'
import { massDeleteReason } from './guard.js'
import { resolveSyncOptions, type SyncOptionsInput } from './options.js'
import { countActions } from './plan-counts.js'
import { reconcile } from './reconcile.js'
import { emptySyncState } from './sync-state.js'
import type { AkteSyncState, Plan } from './types.js'

export interface PlanInput {
  aktennummer: string
  akte: AdvowareAkte
  /** The Watcher's listing of the Akte folder ([] when the folder does not exist). */
  files: readonly WatcherFile[]
  /** The Akte's Documents in EspoCRM, conflict copies included (they are left alone). */
  documents: readonly EspoDocument[]
  /** Hashes the caller computed for `documentsNeedingHash(documents, state)`, by Document id. */
  documentHashes?: ReadonlyMap<string, string>
  history: readonly HistoryEntry[]
  /** The store's mirror; null on the first run. */
  state: AkteSyncState | null
  options?: SyncOptionsInput
}

/** Detect, reconcile, guard: the whole plan for one Akte. Pure; nothing is read or written. */
export function planAkte (input: PlanInput): Plan {
  const options = resolveSyncOptions(input.options, input.aktennummer)
  const state = input.state ?? emptySyncState(input.aktennummer)
  const createdAt = options.now.toISOString()
  const plan = (status: Plan['status'], reason: string | null, actions: Plan['actions'], planState: AkteSyncState): Plan =>
    ({ aktennummer: input.aktennummer, status, reason, actions, counts: countActions(actions), state: planState, createdAt })

  if (input.akte.archived) {
    return plan('archived', `Akte archived in Advoware${input.akte.archivedAt === null ? '' : ` on ${input.akte.archivedAt}`}: no file is synced`, [], state)
  }
  const detection = detect({
    files: input.files,
    documents: input.documents,
    documentHashes: input.documentHashes ?? new Map(),
    history: input.history,
    state,
    options
  })
  const actions = reconcile(detection, options)
  const blocked = options.force
    ? null
    : massDeleteReason({
      actions,
      syncedDocuments: detection.syncedDocuments,
      listingEmpty: detection.listingEmpty,
      baseHasFiles: detection.baseHasFiles,
      maxDeleteShare: options.maxDeleteShare,
      minDeleteCount: options.minDeleteCount
    })
  if (blocked !== null) return plan('blocked', blocked, [], detection.state)
  return plan('ok', null, actions, detection.state)
}
