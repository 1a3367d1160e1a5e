import fp from 'fastify-plugin'
import { fastifySchedule } from '@fastify/schedule'
import { AsyncTask, SimpleIntervalJob } from 'toad-scheduler'
import { SyncWorker } from '../queue/worker.js'
import type { SyncRunner } from '../queue/types.js'

declare module 'fastify' {
  interface FastifyInstance {
    queue: {
      /** Adds Akten to the pending set and, unless configured otherwise, wakes the worker at once. */
      enqueue: (aktennummern: readonly string[]) => Promise<number>
      /** Starts a drain now instead of at the next tick. */
      wake: () => void
      /** Work to do on every tick besides draining (e.g. the webhook inbox). */
      onTick: (task: () => Promise<unknown>) => void
      worker: SyncWorker | undefined
    }
  }
}

export interface QueuePluginOptions {
  /** Runs one Akte's sync. Absent: this instance only enqueues (CLI, tests). */
  runner?: SyncRunner
}

/**
 * The drain of the pending set: a toad-scheduler job every SYNC_INTERVAL_MS
 * that never overlaps itself, woken early by webhooks. On close it stops
 * claiming and lets running syncs finish within the grace period.
 */
export default fp<QueuePluginOptions>(async (app, options) => {
  const { config, store } = app
  const worker = options.runner === undefined
    ? undefined
    : new SyncWorker(store, options.runner, app.log, {
      concurrency: config.SYNC_CONCURRENCY,
      leaseMs: config.SYNC_LEASE_MS,
      lockMode: config.SYNC_LOCK_MODE,
      lockTtlMs: config.SYNC_LOCK_TTL_MS,
      maxAttempts: config.SYNC_MAX_ATTEMPTS,
      backoff: { baseMs: config.SYNC_RETRY_BASE_MS, maxMs: config.SYNC_RETRY_MAX_MS },
      continuous: config.SYNC_CONTINUOUS === 'true'
    })

  const tickTasks: Array<() => Promise<unknown>> = []
  const drain = async (): Promise<void> => {
    try {
      await worker?.drain()
    } catch (error) {
      app.log.warn({ err: error }, 'drain failed; the next tick tries again')
    }
  }
  const tick = async (): Promise<void> => {
    await Promise.all(tickTasks.map(async task => {
      try {
        await task()
      } catch (error) {
        app.log.warn({ err: error }, 'tick task failed; the next tick tries again')
      }
    }))
    await drain()
  }
  const wake = (): void => {
    if (worker !== undefined && config.SYNC_WAKE_ON_ENQUEUE === 'true') setImmediate(() => { void drain() })
  }

  app.decorate('queue', {
    enqueue: async (aktennummern: readonly string[]) => {
      const added = await store.enqueue(aktennummern)
      wake()
      return added
    },
    wake,
    onTick: (task: () => Promise<unknown>) => { tickTasks.push(task) },
    worker
  })

  if (worker === undefined) return
  if (config.SYNC_LEASE_MS <= config.EXTERNAL_TIMEOUT_MS) {
    // A write sent just before a lease is lost still completes; it should finish before another instance may take over.
    app.log.warn({ leaseMs: config.SYNC_LEASE_MS, externalTimeoutMs: config.EXTERNAL_TIMEOUT_MS }, 'SYNC_LEASE_MS should be larger than EXTERNAL_TIMEOUT_MS')
  }
  await app.register(fastifySchedule)
  let closing = false
  app.addHook('onReady', async () => {
    const task = new AsyncTask('drain pending Akten', tick, error => app.log.error({ err: error }, 'drain task failed'))
    app.scheduler.addSimpleIntervalJob(new SimpleIntervalJob({ milliseconds: config.SYNC_INTERVAL_MS }, task, { id: 'drain', preventOverrun: true }))
    // The first drain waits (in the background) until the store answers: Redis may still be
    // connecting, and waiting a whole interval for the first sync after a start is needless.
    void (async () => {
      for (let attempt = 0; attempt < 600 && !closing; attempt++) {
        try {
          await store.ping()
          await tick()
          return
        } catch {
          await new Promise(resolve => setTimeout(resolve, 100))
        }
      }
    })()
  })
  // close() does not wait for a running task: stop the worker before the store closes.
  app.addHook('preClose', async () => {
    closing = true
    app.scheduler.stopById('drain')
    await worker.stop(config.SYNC_SHUTDOWN_GRACE_MS)
  })
}, { name: 'queue', dependencies: ['config', 'store', 'metrics'] })
