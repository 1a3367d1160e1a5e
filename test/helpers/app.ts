import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config/load.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import type { Store } from '../../src/store/types.js'

export interface TestAppOptions {
  env?: Record<string, string>
  store?: Store
  /** Registers extra test routes before the app is ready. */
  extend?: (app: FastifyInstance) => void
}

/** Builds the app for `inject` on the embedded store (unless given one) and closes it after the test. */
export async function build (t: Test, options: TestAppOptions = {}): Promise<FastifyInstance> {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...options.env })
  // No worker: these tests look at what is queued, not at syncs.
  const app = await buildApp({ config, store: options.store ?? new MemoryStore(), logger: false, worker: false })
  t.teardown(async () => { await app.close() })
  options.extend?.(app)
  await app.ready()
  return app
}
