import type { ServiceMetrics } from '../metrics/service-metrics.js'
import type { Store } from '../store/types.js'
import type { SyncLogger } from './ports.js'
import type { ActionReport } from './propagate.js'
import { saveSummary, type SyncSummary } from './summary.js'

/* The end of a run: metrics, the summary line in the log, the result in the store. */

export interface ReportDeps {
  store: Store
  log: SyncLogger
  metrics?: ServiceMetrics
}

export async function reportRun (deps: ReportDeps, summary: SyncSummary, reports: readonly ActionReport[]): Promise<void> {
  const { metrics, log } = deps
  if (metrics !== undefined && !summary.dryRun) {
    metrics.syncs.inc({ result: summary.status })
    metrics.syncDuration.observe({ result: summary.status }, summary.durationMs / 1000)
    for (const r of reports) if (r.outcome === 'done') metrics.actions.inc({ action: r.kind })
    if (summary.bytes.toEspo > 0) metrics.bytes.inc({ direction: 'to-espo' }, summary.bytes.toEspo)
    if (summary.bytes.toWindows > 0) metrics.bytes.inc({ direction: 'to-windows' }, summary.bytes.toWindows)
  }
  const done = Object.fromEntries(Object.entries(summary.counts).filter(([, n]) => n > 0))
  const line = {
    aktennummer: summary.aktennummer,
    status: summary.status,
    reason: summary.reason,
    transient: summary.transient,
    dryRun: summary.dryRun,
    actions: done,
    bytes: summary.bytes,
    errors: summary.errors.length,
    skipped: summary.skipped.length,
    durationMs: summary.durationMs
  }
  if (summary.status === 'failed') log.warn(line, 'akte sync failed')
  else log.info(line, 'akte sync finished')
  if (summary.dryRun) return
  try {
    await saveSummary(deps.store, summary, reports)
  } catch (error) {
    log.warn({ aktennummer: summary.aktennummer, err: error }, 'could not keep the sync result')
  }
}
