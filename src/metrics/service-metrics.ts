import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { CallEvent } from '../clients/http-client.js'
import type { QueueDepths } from '../store/types.js'

/**
 * The service's Prometheus metrics on a registry of its own (not prom-client's
 * global one), so several apps in one test process do not collide.
 */
export class ServiceMetrics {
  readonly registry = new Registry()
  readonly syncs: Counter<'result'>
  readonly actions: Counter<'action'>
  readonly bytes: Counter<'direction'>
  readonly syncDuration: Histogram<'result'>
  readonly queueDepth: Gauge<'queue'>
  readonly webhooks: Counter<'source' | 'outcome'>
  readonly externalCalls: Counter<'system' | 'operation' | 'outcome'>
  readonly externalLatency: Histogram<'system' | 'operation'>

  constructor (readQueueDepths?: () => Promise<QueueDepths>) {
    const registers = [this.registry]
    collectDefaultMetrics({ register: this.registry })
    this.syncs = new Counter({ name: 'advoware_sync_runs_total', help: 'Akte syncs by result', labelNames: ['result'], registers })
    this.actions = new Counter({ name: 'advoware_sync_actions_total', help: 'Sync actions carried out, by type', labelNames: ['action'], registers })
    this.bytes = new Counter({ name: 'advoware_sync_bytes_total', help: 'Document bytes moved, by direction', labelNames: ['direction'], registers })
    this.syncDuration = new Histogram({
      name: 'advoware_sync_duration_seconds',
      help: 'Duration of one Akte sync',
      labelNames: ['result'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers
    })
    this.queueDepth = new Gauge({
      name: 'advoware_sync_queue_depth',
      help: 'Akten per queue set',
      labelNames: ['queue'],
      registers,
      collect: async () => {
        if (readQueueDepths === undefined) return
        try {
          const depths = await readQueueDepths()
          for (const [queue, depth] of Object.entries(depths)) this.queueDepth.set({ queue }, depth)
        } catch {
          // The store is down: readiness reports it; keep the last values.
        }
      }
    })
    this.webhooks = new Counter({ name: 'advoware_sync_webhook_requests_total', help: 'Webhook requests by source and outcome', labelNames: ['source', 'outcome'], registers })
    this.externalCalls = new Counter({ name: 'advoware_sync_external_calls_total', help: 'Calls to EspoCRM, Advoware and the Watcher by outcome', labelNames: ['system', 'operation', 'outcome'], registers })
    this.externalLatency = new Histogram({
      name: 'advoware_sync_external_call_duration_seconds',
      help: 'Latency of calls to the external systems',
      labelNames: ['system', 'operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers
    })
  }

  /** Observer for the HTTP clients. */
  readonly observeCall = (event: CallEvent): void => {
    this.externalCalls.inc({ system: event.system, operation: event.operation, outcome: event.outcome })
    this.externalLatency.observe({ system: event.system, operation: event.operation }, event.durationMs / 1000)
  }
}
