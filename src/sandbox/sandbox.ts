import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { buildApp } from '../app.js'
import { loadConfig } from '../config/load.js'
import { loggerOptions } from '../logger.js'
import { registerSandboxWebhooks } from './espo-webhooks.js'
import { prettyLogStream } from './log-stream.js'
import { formatOverview, type OverviewInput } from './overview.js'
import { choosePort, preferPort } from './ports.js'
import { seedSandbox, type SeedDescription } from './seed.js'
import { SANDBOX_SECRETS, startSystems, type Systems } from './systems.js'

export const DEFAULT_SANDBOX_PORTS = { service: 3000, espocrm: 8081, advoware: 8082, watcher: 8765 }

/** A second EspoCRM API user standing in for a person: the service's own user is muted by `skipOwn`. */
export const SANDBOX_PERSON = { id: '6000000000000000b', userName: 'm.weber', apiKey: 'sandbox-user-api-key-0001' }

export interface SandboxOptions {
  /** Service port (default 3000); 0 picks a free one. A taken port falls back to a free one. */
  port?: number
  /** Simulator ports (defaults 8081, 8082, 8765); 0 picks free ones, taken ones fall back. */
  ports?: { espocrm?: number, advoware?: number, watcher?: number }
  /** Where everything listens (default 127.0.0.1: the sandbox has well-known secrets). */
  host?: string
  /** A share folder to use and keep; default a temp folder removed on close. */
  shareRoot?: string
  /** LOG_LEVEL of the service (default info). */
  logLevel?: string
  /**
   * Further service variables, e.g. from the environment. Only REDIS_*, SYNC_* and
   * EXTERNAL_* are taken: anything that could point the service at a real system is not.
   */
  env?: Record<string, string | undefined>
  /** Service logs: readable lines on stdout (default), pino's JSON, or none (tests). */
  logFormat?: 'pretty' | 'json' | 'none'
  /** How often the EspoCRM simulator delivers webhooks (default 5 s; EspoCRM's cron runs every 2 min). */
  espoWebhookIntervalMs?: number
}

export interface SandboxUrls {
  service: string
  /** EspoCRM's API base (`.../api/v1/`). */
  espocrm: string
  espocrmOrigin: string
  advoware: string
  watcher: string
}

export interface Sandbox {
  app: FastifyInstance
  systems: Systems
  seed: SeedDescription
  urls: SandboxUrls
  shareRoot: string
  /** The share is a temp folder that close() removes. */
  ownsShare: boolean
  /** Whether the service syncs (a sync runner is wired); otherwise Akten only queue up. */
  engineWired: boolean
  /** ms from the call to everything listening, seeded and enqueued. */
  startupMs: number
  /** The text main.ts prints. */
  overview: string
  /** Service first (running syncs still reach the simulators), then the simulators and the temp share. */
  close: () => Promise<void>
}

const PASSED_THROUGH = /^(REDIS_|SYNC_|EXTERNAL_)/

function serviceEnv (env: SandboxOptions['env']): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env ?? {})) if (value !== undefined && PASSED_THROUGH.test(name)) out[name] = value
  return out
}

function logger (format: SandboxOptions['logFormat'], level: string): FastifyServerOptions['logger'] {
  if (format === 'none') return false
  if (format === 'json') return loggerOptions(level)
  return { ...(loggerOptions(level) as object), stream: prettyLogStream() }
}

/** The engine in progress decorates `syncService`; a queue with a worker means a runner too. */
function isEngineWired (app: FastifyInstance): boolean {
  return app.hasDecorator('syncService') || (app.hasDecorator('queue') && app.queue.worker !== undefined)
}

/** Waits (up to 10 s) for the store to answer; the embedded one answers at once. */
async function storeAnswers (app: FastifyInstance): Promise<void> {
  const deadline = Date.now() + 10_000
  for (;;) {
    try {
      await app.store.ping()
      return
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`sandbox: the store does not answer (${(error as Error).message})`)
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  }
}

async function enqueue (app: FastifyInstance, aktennummern: string[]): Promise<void> {
  // Through the queue when it is registered (it wakes the worker), else straight into the store.
  if (app.hasDecorator('queue')) await app.queue.enqueue(aktennummern)
  else await app.store.enqueue(aktennummern)
}

/**
 * Starts the three simulators and the service in this process on the embedded
 * store (Redis only when REDIS_URL is passed in), seeds a realistic share and
 * enqueues the seeded Akten. Used by `npm run sandbox` and by tests.
 */
export async function startSandbox (options: SandboxOptions = {}): Promise<Sandbox> {
  const started = performance.now()
  const host = options.host ?? '127.0.0.1'
  const level = options.logLevel ?? 'info'
  const fellBack: string[] = []
  const note = (name: string, preferred: number, choice: { fellBack: boolean }): void => {
    if (choice.fellBack) fellBack.push(`${name} ${preferred}`)
  }

  const servicePreferred = options.port ?? DEFAULT_SANDBOX_PORTS.service
  const servicePort = await choosePort(servicePreferred, host)
  note('service', servicePreferred, servicePort)
  const simPorts: Record<'espocrm' | 'advoware' | 'watcher', number> = { espocrm: 0, advoware: 0, watcher: 0 }
  for (const name of ['espocrm', 'advoware', 'watcher'] as const) {
    const preferred = options.ports?.[name] ?? DEFAULT_SANDBOX_PORTS[name]
    const choice = await preferPort(preferred, host)
    note(name, preferred, choice)
    simPorts[name] = choice.port
  }
  const serviceUrl = `http://${host.includes(':') ? `[${host}]` : host}:${servicePort.port}`

  // Absolute, so the printed paths work from any directory.
  const shareRoot = options.shareRoot === undefined ? undefined : resolve(options.shareRoot)
  if (shareRoot !== undefined) await mkdir(shareRoot, { recursive: true })
  // No push URL yet: the seeding is not news, and the service is not listening.
  const systems = await startSystems({
    shareRoot,
    host,
    ports: simPorts,
    espo: { webhooks: { intervalMs: options.espoWebhookIntervalMs ?? 5_000 } }
  })
  let app: FastifyInstance | undefined
  try {
    systems.espo.addUser({ ...SANDBOX_PERSON, type: 'api', authMethod: 'ApiKey' })
    const seed = await seedSandbox(systems)

    const config = loadConfig({
      ...serviceEnv(options.env),
      ...systems.env,
      PUBLIC_URL: serviceUrl,
      PORT: String(servicePort.port),
      HOST: host,
      LOG_LEVEL: level
    })
    app = await buildApp({ config, logger: logger(options.logFormat, level) })
    await app.ready()
    // Redis commands fail fast until the connection is up: the registration below must not race it.
    await storeAnswers(app)
    await registerSandboxWebhooks(app, serviceUrl)
    await app.listen({ port: config.PORT, host: config.HOST })
    systems.watcher.push.configure(`${serviceUrl}/webhooks/watcher`, SANDBOX_SECRETS.watcherPushToken)
    await enqueue(app, seed.akten.map(a => a.aktennummer))

    const urls: SandboxUrls = {
      service: serviceUrl,
      espocrm: systems.espo.url,
      espocrmOrigin: systems.espo.origin,
      advoware: systems.advoware.url,
      watcher: systems.watcher.url
    }
    const ownsShare = options.shareRoot === undefined
    const engineWired = isEngineWired(app)
    const startupMs = Math.round(performance.now() - started)
    const running = app
    const input: OverviewInput = {
      urls,
      shareRoot: systems.shareRoot,
      ownsShare,
      seed,
      storeKind: app.store.kind,
      engineWired,
      routes: {
        admin: app.hasRoute({ method: 'GET', url: '/admin/' }) || app.hasRoute({ method: 'GET', url: '/admin' }),
        adminApi: app.hasRoute({ method: 'GET', url: '/admin/api/queue' }),
        watcherWebhook: app.hasRoute({ method: 'POST', url: '/webhooks/watcher' }),
        espoWebhook: app.hasRoute({ method: 'POST', url: '/webhooks/espocrm' })
      },
      secrets: { ...SANDBOX_SECRETS, personApiKey: SANDBOX_PERSON.apiKey },
      fellBack,
      startupMs,
      espoWebhookIntervalMs: options.espoWebhookIntervalMs ?? 5_000
    }
    let closing: Promise<void> | undefined
    return {
      app,
      systems,
      seed,
      urls,
      shareRoot: systems.shareRoot,
      ownsShare,
      engineWired,
      startupMs,
      overview: formatOverview(input),
      close: async () => {
        closing ??= (async () => {
          // Stop the Watcher's pushes first: the service is about to go away.
          systems.watcher.push.configure(undefined, undefined)
          try {
            await running.close()
          } finally {
            await systems.close()
          }
        })()
        await closing
      }
    }
  } catch (error) {
    await app?.close().catch(() => {})
    await systems.close()
    throw error
  }
}
