import pLimit from 'p-limit'
import type { SyncWatcher } from './ports.js'
import { fileKey } from './paths.js'
import type { ActionResult, PropagateContext, WindowsSnapshot } from './propagate-context.js'
import { conflict } from './propagate-conflict.js'
import { classifyFailure, ConflictCopyFailed, throwIfAborted } from './propagate-errors.js'
import { createDocument, link, storeOnly, updateDocumentFile, writeDocument } from './propagate-espo.js'
import { uploadToWindows } from './propagate-windows.js'
import type { Action, ActionKind, Direction, PermanentFailure, Plan, SkipCode } from './types.js'

/*
 * Propagate: carry out a plan's actions through the clients, in plan order
 * (bookkeeping, transfers, conflicts and uploads, soft-deletes last). The
 * actions of one kind touch different files and run side by side; each
 * action's own steps run in order. One failing file never stops the others.
 */

export interface PropagateOptions {
  /** Actions of one kind carried out at once. */
  fileConcurrency: number
  /** After this many transient failures no further action starts: the system is likely down. */
  maxTransientFailures: number
}

export type ActionOutcome = 'done' | 'skipped' | 'precondition' | 'failed' | 'aborted' | 'not-run'

export interface ActionReport {
  key: string
  path: string
  kind: ActionKind
  direction: Direction
  outcome: ActionOutcome
  /** The plan's reason, or what went wrong. */
  message: string
  bytes: number
  /** For 'failed': will the same content fail the same way? */
  permanent: boolean
  errorKind: string | null
  /** For 'skipped': the plan's skip code. */
  code: SkipCode | null
}

export interface PropagationResult {
  reports: ActionReport[]
  aborted: boolean
  /** Why actions were left unstarted, if any were. */
  stoppedBecause: string | null
  bytes: { toEspo: number, toWindows: number }
}

/**
 * Skips that stay until someone acts (a refused file, an impossible name, two files for one key, a
 * Document whose name or path matches an ignore pattern: otherwise it would never arrive, unreported).
 */
export const LASTING_SKIPS: ReadonlySet<SkipCode> = new Set<SkipCode>(['permanent-failure', 'invalid-name', 'duplicate', 'no-path', 'ignored'])

/** The Watcher's listing, taken once on first use: the state preconditions are checked against. */
export function snapshotOnce (watcher: SyncWatcher, aktennummer: string): () => Promise<WindowsSnapshot> {
  let snapshot: Promise<WindowsSnapshot> | undefined
  return async () => {
    snapshot ??= watcher.listFiles(aktennummer).then(listing => ({
      exists: listing !== null,
      files: new Map((listing?.files ?? []).map(file => [fileKey(file.path), file]))
    }))
    return await snapshot
  }
}

async function execute (ctx: PropagateContext, action: Action): Promise<ActionResult> {
  switch (action.kind) {
    case 'create-document': return await createDocument(ctx, action)
    case 'update-document-file': return await updateDocumentFile(ctx, action)
    case 'upload-to-windows': return await uploadToWindows(ctx, action)
    case 'conflict': return await conflict(ctx, action)
    case 'link': return await link(ctx, action)
    case 'advance-base':
    case 'move-document':
    case 'update-metadata':
    case 'soft-delete-document': return await writeDocument(ctx, action)
    case 'tombstone':
    case 'forget': return await storeOnly(ctx, action)
    case 'skip': return { bytesToEspo: 0, bytesToWindows: 0 }
  }
}

/** The content a target refused, so the plan does not send it again while it stays the same. */
function refusedContent (action: Action, error: unknown, reason: string, at: string): PermanentFailure | null {
  const documentId = action.document?.documentId ?? null
  if (action.kind === 'conflict' && error instanceof ConflictCopyFailed) {
    const { copy } = action
    return { source: copy.from, key: action.key, hash: copy.hash, documentId, fileId: copy.from === 'espo' ? action.document?.fileId ?? null : null, reason, at }
  }
  const step = action.kind === 'conflict' ? action.then : action
  if (step.kind === 'create-document' || step.kind === 'update-document-file') {
    const hash = step.windows?.state === 'present' ? step.windows.hash : null
    return hash === null ? null : { source: 'windows', key: action.key, hash, documentId, fileId: null, reason, at }
  }
  if (step.kind === 'upload-to-windows' && step.document !== null) {
    return { source: 'espo', key: action.key, hash: step.document.hash, documentId, fileId: step.document.fileId, reason, at }
  }
  return null
}

/** Groups of consecutive actions of one kind: the plan is ordered by kind. */
function groupsOf (actions: readonly Action[]): Action[][] {
  const groups: Action[][] = []
  for (const action of actions) {
    const last = groups.at(-1)
    if (last?.[0]?.kind === action.kind) last.push(action)
    else groups.push([action])
  }
  return groups
}

export async function propagate (ctx: PropagateContext, plan: Plan, options: PropagateOptions): Promise<PropagationResult> {
  const reports: ActionReport[] = []
  const bytes = { toEspo: 0, toWindows: 0 }
  const limit = pLimit(Math.max(1, options.fileConcurrency))
  let stoppedBecause: string | null = null
  let transientFailures = 0
  let completed = 0
  const total = plan.actions.length

  const report = (action: Action, outcome: ActionOutcome, message: string, extra: Partial<ActionReport> = {}): void => {
    const entry: ActionReport = {
      key: action.key, path: action.path, kind: action.kind, direction: action.direction, outcome, message, bytes: 0, permanent: false, errorKind: null, code: null, ...extra
    }
    reports.push(entry)
    completed++
    ctx.progress.emit({ type: 'action', aktennummer: ctx.aktennummer, kind: action.kind, path: action.path, outcome, completed, total })
    if (action.kind === 'skip' && !LASTING_SKIPS.has(action.code)) {
      // Steady-state skips (unchanged, tombstoned, soft-deleted) would repeat every run.
      if (action.code !== 'unchanged') ctx.log.debug({ aktennummer: ctx.aktennummer, path: action.path, code: action.code, reason: message }, 'sync skip')
      return
    }
    const line = { aktennummer: ctx.aktennummer, kind: action.kind, path: action.path, direction: action.direction, bytes: entry.bytes, outcome, reason: message }
    if (outcome === 'failed') ctx.log.warn({ ...line, errorKind: entry.errorKind, permanent: entry.permanent }, 'sync action failed')
    else ctx.log.info(line, 'sync action')
  }

  const markSkipped = async (action: Action, message: string): Promise<void> => {
    const documentId = action.document?.documentId
    if (documentId === undefined || ctx.signal.aborted) return
    try {
      await ctx.clients.espocrm.updateDocument(documentId, { fileStatus: 'skipped', syncError: message.slice(0, 1000) })
    } catch (error) {
      ctx.log.warn({ aktennummer: ctx.aktennummer, documentId, err: error }, 'could not mark the Document as skipped')
    }
  }

  const saveNowAndThen = async (): Promise<void> => {
    if (ctx.signal.aborted) return
    try {
      await ctx.state.flushIfDue()
    } catch (error) {
      // The end of the run saves again; the Documents hold the base meanwhile.
      ctx.log.warn({ aktennummer: ctx.aktennummer, err: error }, 'could not save the sync state')
    }
  }

  const runOne = async (action: Action): Promise<void> => {
    if (action.kind === 'skip') return report(action, 'skipped', action.reason, { code: action.code })
    if (stoppedBecause !== null) return report(action, 'not-run', stoppedBecause)
    try {
      throwIfAborted(ctx.signal)
      const moved = await execute(ctx, action)
      bytes.toEspo += moved.bytesToEspo
      bytes.toWindows += moved.bytesToWindows
      report(action, 'done', action.reason, { bytes: moved.bytesToEspo + moved.bytesToWindows })
    } catch (error) {
      const failure = classifyFailure(error, ctx.signal)
      if (failure.outcome === 'aborted') {
        stoppedBecause ??= failure.message
        return report(action, 'aborted', failure.message)
      }
      if (failure.outcome === 'precondition') return report(action, 'precondition', failure.message)
      if (!failure.permanent && ++transientFailures >= options.maxTransientFailures) {
        stoppedBecause ??= `stopped after ${transientFailures} transient failures; the Akte is retried later`
      }
      if (failure.record) {
        const refused = refusedContent(action, error, failure.message, ctx.now().toISOString())
        if (refused !== null) ctx.state.fail(refused)
        await markSkipped(action, failure.message)
      }
      report(action, 'failed', failure.message, { permanent: failure.permanent, errorKind: failure.errorKind })
    }
    await saveNowAndThen()
  }

  for (const group of groupsOf(plan.actions)) {
    await Promise.all(group.map(async action => { await limit(runOne, action) }))
  }
  return { reports, aborted: ctx.signal.aborted || reports.some(r => r.outcome === 'aborted'), stoppedBecause, bytes }
}
