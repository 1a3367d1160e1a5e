import type { EspoAktePatch } from '../clients/espocrm/index.js'
import type { EspoAkte } from '../domain/types.js'
import { aktePatch, describeErrors, runOutcome } from './akte-outcome.js'
import { gatherInputs, hashDocuments, loadAkte, type AkteInputs } from './gather.js'
import { planAkte } from './plan.js'
import type { PropagateContext } from './propagate-context.js'
import { classifyFailure } from './propagate-errors.js'
import { propagate, snapshotOnce, type ActionReport } from './propagate.js'
import { ProgressReporter } from './progress.js'
import { reportRun } from './run-report.js'
import { FORCE_NAMESPACE, resolveRunOptions, type SyncAkteDeps, type SyncRequest } from './run-options.js'
import { StateKeeper } from './state-keeper.js'
import { emptyCounts, type SyncError, type SyncSummary } from './summary.js'
import { updateWebhookIndexes, type IndexUpdate } from './webhook-index.js'

export { toSyncOutcome, type SyncSummary } from './summary.js'
export type { SyncAkteDeps, SyncAkteOptions, SyncRequest } from './run-options.js'

/*
 * One Akte's sync: gather, plan, propagate, and one write to the EspoCRM
 * Akte record saying how it went. Never throws for what an external system
 * does; the summary says whether the queue should try again.
 */

/** What a run found out; `syncAkte` completes it into the summary. */
type RunResult = Pick<SyncSummary, 'status' | 'transient'> & Partial<SyncSummary>

function message (error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

export async function syncAkte (deps: SyncAkteDeps, request: SyncRequest): Promise<SyncSummary> {
  const now = deps.now ?? (() => new Date())
  const options = resolveRunOptions(deps.options)
  const { aktennummer, signal } = request
  const dryRun = request.dryRun === true
  const started = now()
  const progress = new ProgressReporter({ aktennummer, log: deps.log, onProgress: request.onProgress, logEveryMs: options.progressLogIntervalMs })
  let reports: ActionReport[] = []
  let forced = request.force === true
  let forceRequested = false

  /** The Akte write of this run; its failure makes the run worth retrying. */
  const writeAkte = async (akte: EspoAkte, patch: EspoAktePatch): Promise<SyncError | null> => {
    if (dryRun || signal.aborted) return null
    try {
      await deps.espocrm.updateAkte(akte.id, patch)
      return null
    } catch (error) {
      deps.log.warn({ aktennummer, err: error }, 'could not write the Akte record')
      return { key: '', path: '', kind: 'akte', message: message(error), permanent: false }
    }
  }

  const run = async (): Promise<RunResult> => {
    progress.stage('gather')
    let akte: EspoAkte | null
    try {
      akte = await loadAkte(deps.espocrm, aktennummer)
    } catch (error) {
      const failure = classifyFailure(error, signal)
      const permanent = failure.outcome === 'failed' && failure.permanent
      return { status: 'failed', transient: !permanent, reason: `EspoCRM Akte not readable: ${message(error)}` }
    }
    if (akte === null) return { status: 'not-found', transient: false, reason: `no EspoCRM Akte has the Aktennummer ${aktennummer}` }
    if (akte.status === null || !options.activeStatuses.includes(akte.status)) {
      return { status: 'inactive', transient: false, reason: `Akte status '${akte.status ?? ''}' is not synced` }
    }
    const advowareAkteId = akte.advowareAkteId
    if (advowareAkteId === null || advowareAkteId.trim() === '') {
      const reason = 'the EspoCRM Akte has no advowareAkteId: set it to sync this Akte'
      const failed = await writeAkte(akte, aktePatch('failed', now(), reason))
      return { status: 'failed', transient: false, reason, errors: failed === null ? [] : [failed] }
    }
    const requested = await deps.store.getState<unknown>(FORCE_NAMESPACE, aktennummer)
    forceRequested = requested !== undefined && requested !== null && requested !== false
    forced ||= forceRequested

    let inputs: AkteInputs
    try {
      inputs = await gatherInputs(deps, deps.store, { ...akte, advowareAkteId })
    } catch (error) {
      const failure = classifyFailure(error, signal)
      const permanent = failure.outcome === 'failed' && failure.permanent
      const reason = `gathering the Akte failed: ${message(error)}`
      const failed = await writeAkte(akte, aktePatch('failed', now(), reason))
      return { status: 'failed', transient: !permanent || failed !== null, reason, errors: [{ key: '', path: '', kind: 'gather', message: message(error), permanent }] }
    }

    const hashErrors: SyncError[] = []
    let hashes = new Map<string, string>()
    if (!inputs.advowareAkte.archived) {
      progress.stage('hash')
      const hashed = await hashDocuments(deps.espocrm, inputs.documents, inputs.state, { concurrency: options.fileConcurrency, signal })
      hashes = hashed.hashes
      for (const f of hashed.failures) {
        const failure = classifyFailure(f.error, signal)
        // An attachment that cannot be read (gone, refused) stays so: only outages are worth a retry.
        const permanent = failure.outcome === 'precondition' || (failure.outcome === 'failed' && failure.permanent)
        const path = inputs.documents.find(d => d.id === f.documentId)?.windowsPath ?? ''
        hashErrors.push({ key: '', path, kind: 'hash', message: `attachment of Document ${f.documentId} not readable: ${failure.message}`, permanent })
      }
    }

    const plan = planAkte({
      aktennummer,
      akte: inputs.advowareAkte,
      files: inputs.listing?.files ?? [],
      documents: inputs.documents,
      documentHashes: hashes,
      history: inputs.history,
      state: inputs.state,
      options: { ...options.plan, force: forced, now: started }
    })
    if (dryRun) return { status: plan.status === 'ok' ? 'planned' : plan.status, transient: false, ...(plan.reason === null ? {} : { reason: plan.reason }), plan }
    if (signal.aborted) return { status: 'failed', transient: true, reason: 'sync stopped before any write' }

    if (plan.status === 'archived') {
      if (forceRequested) await consumeForce(deps, aktennummer)
      const failed = await writeAkte(akte, aktePatch('synced', now(), null, options.archivedStatus))
      return { status: 'archived', transient: failed !== null, reason: plan.reason ?? 'archived in Advoware', errors: failed === null ? [] : [failed] }
    }
    if (plan.status === 'blocked') {
      const reason = plan.reason ?? 'blocked by the mass-delete guard'
      const failed = await writeAkte(akte, aktePatch('blocked', now(), reason))
      return { status: 'blocked', transient: failed !== null, reason, errors: failed === null ? [] : [failed] }
    }

    progress.stage('propagate')
    const state = new StateKeeper(deps.store, aktennummer, plan.state, inputs.state, options.stateSaveIntervalMs)
    const ctx: PropagateContext = {
      clients: deps,
      aktennummer,
      espoAkteId: akte.id,
      advowareAkteId,
      signal,
      now,
      state,
      progress,
      log: deps.log,
      windows: snapshotOnce(deps.watcher, aktennummer),
      createdDocumentIds: []
    }
    const result = await propagate(ctx, plan, { fileConcurrency: options.fileConcurrency, maxTransientFailures: options.maxTransientFailures })
    reports = result.reports
    const outcome = runOutcome(result, hashErrors)
    const counts = emptyCounts()
    for (const r of reports) if (r.outcome === 'done') counts[r.kind]++
    const finished: RunResult = { ...outcome, counts, planned: plan.counts.byKind, bytes: result.bytes }
    // After a stop nothing more is written: another instance may own the Akte by now.
    if (result.aborted) return finished

    progress.stage('finish')
    const storeErrors = await keepStoreCurrent(deps, state, {
      aktennummer, akteId: akte.id, documentIds: [...inputs.documents.map(d => d.id), ...ctx.createdDocumentIds]
    })
    // Kept through a failed run, so its retry is forced too.
    if (forceRequested && outcome.status !== 'failed') await consumeForce(deps, aktennummer)
    const failed = await writeAkte(akte, aktePatch(outcome.status, now(), outcome.status === 'synced' ? null : describeErrors(outcome.reason, outcome.errors)))
    const extra = [...storeErrors, ...(failed === null ? [] : [failed])]
    return { ...finished, transient: outcome.transient || extra.length > 0, errors: [...outcome.errors, ...extra] }
  }

  let found: RunResult
  try {
    found = await run()
  } catch (error) {
    // A bug or a store outage: reported like a transient failure, so the Akte is not lost.
    deps.log.error({ aktennummer, err: error }, 'akte sync crashed')
    found = { status: 'failed', transient: true, reason: `internal error: ${message(error)}` }
  }
  const finishedAt = now()
  const summary: SyncSummary = {
    aktennummer,
    status: found.status,
    ...(found.reason === undefined ? {} : { reason: found.reason }),
    transient: found.transient,
    dryRun,
    forced,
    counts: found.counts ?? emptyCounts(),
    planned: found.planned ?? found.plan?.counts.byKind ?? emptyCounts(),
    bytes: found.bytes ?? { toEspo: 0, toWindows: 0 },
    errors: found.errors ?? [],
    skipped: found.skipped ?? [],
    ...(found.plan === undefined ? {} : { plan: found.plan }),
    durationMs: finishedAt.getTime() - started.getTime(),
    startedAt: started.toISOString(),
    finishedAt: finishedAt.toISOString()
  }
  await reportRun(deps, summary, reports)
  return summary
}

/** An admin's force request holds for one run that got as far as a plan. */
async function consumeForce (deps: SyncAkteDeps, aktennummer: string): Promise<void> {
  try {
    await deps.store.deleteState(FORCE_NAMESPACE, aktennummer)
  } catch (error) {
    deps.log.warn({ aktennummer, err: error }, 'could not clear the force request')
  }
}

/** The base mirror and the webhook indexes, after a run that was not stopped. */
async function keepStoreCurrent (deps: SyncAkteDeps, state: StateKeeper, index: IndexUpdate): Promise<SyncError[]> {
  const errors: SyncError[] = []
  const attempt = async (what: string, step: () => Promise<unknown>): Promise<void> => {
    try {
      await step()
    } catch (error) {
      deps.log.warn({ aktennummer: index.aktennummer, err: error }, `could not ${what}`)
      errors.push({ key: '', path: '', kind: 'akte', message: `could not ${what}: ${message(error)}`, permanent: false })
    }
  }
  await attempt('save the sync state', async () => await state.flush())
  await attempt('update the webhook indexes', async () => await updateWebhookIndexes(deps.store, index))
  return errors
}
