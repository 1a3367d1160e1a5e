import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { request } from 'undici'
import { buildApp } from '../../../src/app.js'
import { loadConfig } from '../../../src/config/load.js'
import type { AppConfig } from '../../../src/config/schema.js'
import { SANDBOX_SECRETS, type Systems } from '../../../src/sandbox/systems.js'
import type { Store } from '../../../src/store/types.js'
import { freePort, spawnTs, waitFor, type Spawned } from '../../helpers/process.js'

/*
 * The service as operators run it: listening on a port, with its worker,
 * configured only through environment variables against the simulators.
 * In-process (buildApp + listen) where a test needs to look inside, as a
 * child process (src/server.ts) where it needs to kill or stop it.
 */

export const SERVER_ENTRY = new URL('../../../src/server.ts', import.meta.url).pathname

/** What every e2e service gets besides the simulators' env: quick drains, no sweep unless asked. */
export function serviceEnv (systems: Systems, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...systems.env,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    SYNC_INTERVAL_MS: '250',
    // The sweep would find every Document of the last hour: tests enqueue on purpose.
    SYNC_SWEEP_INTERVAL_MS: '0',
    ...extra
  }
}

export interface Service {
  app: FastifyInstance
  config: AppConfig
  port: number
  url: string
}

/** buildApp + listen (on env PORT, else a free port); closed (gracefully) after the test. */
export async function startService (t: Test, systems: Systems, env: Record<string, string> = {}, store?: Store): Promise<Service> {
  const port = env.PORT === undefined ? await freePort() : Number(env.PORT)
  const url = `http://127.0.0.1:${port}`
  const config = loadConfig(serviceEnv(systems, { PORT: String(port), PUBLIC_URL: url, ...env }))
  const app = await buildApp({ config, store, logger: false })
  t.teardown(async () => { await app.close() })
  await app.listen({ port, host: '127.0.0.1' })
  // Redis connects in the background and commands fail fast until it does: wait as a load balancer would.
  await waitFor(async () => (await call(url, 'GET', '/health/ready')).status === 200, 10_000, `service on ${port} to be ready`)
  return { app, config, port, url }
}

export interface ChildService extends Spawned {
  port: number
  url: string
  pid: number
}

/** src/server.ts in a child process, ready when /health/ready answers 200; SIGKILLed after the test if still alive. */
export async function spawnService (t: Test, systems: Systems, env: Record<string, string> = {}): Promise<ChildService> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const proc = spawnTs(t, SERVER_ENTRY, [], serviceEnv(systems, { PORT: String(port), PUBLIC_URL: url, ...env }))
  await waitFor(async () => {
    if (proc.child.exitCode !== null) throw new Error(`exited ${proc.child.exitCode}: ${proc.output().slice(-2000)}`)
    return (await call(url, 'GET', '/health/ready')).status === 200
  }, 30_000, `service on ${port} to be ready`)
  return { ...proc, port, url, pid: proc.child.pid ?? 0 }
}

export interface Answer { status: number, body: unknown }

/** One HTTP call to a service, with the admin token unless `headers` say otherwise. */
export async function call (url: string, method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await request(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${SANDBOX_SECRETS.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    headersTimeout: 10_000
  })
  const text = await res.body.text()
  let parsed: unknown = text
  try { parsed = JSON.parse(text) } catch {}
  return { status: res.statusCode, body: parsed }
}

/** POST /admin/api/akten, in chunks the route accepts. */
export async function adminEnqueue (url: string, aktennummern: readonly string[]): Promise<void> {
  for (let i = 0; i < aktennummern.length; i += 1000) {
    const answer = await call(url, 'POST', '/admin/api/akten', { aktennummern: aktennummern.slice(i, i + 1000) })
    if (answer.status !== 202) throw new Error(`enqueue answered ${answer.status}: ${JSON.stringify(answer.body)}`)
  }
}

/** Sends a signal and resolves to the exit code (null when killed by a signal). */
export async function stopChild (child: ChildService, signal: NodeJS.Signals): Promise<number | null> {
  if (child.child.exitCode !== null || child.child.signalCode !== null) return child.child.exitCode
  child.child.kill(signal)
  return await child.exited
}

/** Percentile of a list of numbers (nearest rank). */
export function percentile (values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))] ?? NaN
}

/** advoware_sync_runs_total of a running service, summed over results (from its /metrics). */
export async function syncRuns (url: string): Promise<number> {
  const { body } = await call(url, 'GET', '/metrics')
  return String(body).split('\n').filter(l => l.startsWith('advoware_sync_runs_total{'))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0)
}
