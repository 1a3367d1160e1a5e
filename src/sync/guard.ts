import type { Action } from './types.js'

/*
 * The mass-delete guard. A share that went missing, a wrong mapping or a
 * half-restored backup looks like "everything was deleted": such a plan is
 * refused as a whole until an admin forces it.
 */

export interface GuardInput {
  actions: readonly Action[]
  /** Documents with a base (live, not soft-deleted) before this run. */
  syncedDocuments: number
  /** The Watcher listed no file at all for the Akte. */
  listingEmpty: boolean
  /** The base knows files on the share (synced or tombstoned). */
  baseHasFiles: boolean
  maxDeleteShare: number
  minDeleteCount: number
}

/** Why the plan must not run, or null when it may. Renames are moves, not deletes, and do not count. */
export function massDeleteReason (input: GuardInput): string | null {
  if (input.listingEmpty && input.baseHasFiles) {
    return 'the Watcher lists no files for this Akte although files were synced: refusing to treat them all as deleted'
  }
  const deletes = input.actions.filter(a => a.kind === 'soft-delete-document').length
  if (deletes >= input.minDeleteCount && deletes > input.maxDeleteShare * input.syncedDocuments) {
    const share = Math.round((deletes / Math.max(input.syncedDocuments, 1)) * 100)
    return `mass delete: ${deletes} of ${input.syncedDocuments} synced Documents (${share} %) would be soft-deleted; ` +
      `the limit is more than ${Math.round(input.maxDeleteShare * 100)} % and at least ${input.minDeleteCount}. Run with force to allow it`
  }
  return null
}
