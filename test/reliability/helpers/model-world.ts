import { loadConfig } from '../../../src/config/load.js'
import { createClients, type Clients } from '../../../src/plugins/clients.js'
import { startSystems, type Systems } from '../../../src/sandbox/systems.js'
import { MemoryStore } from '../../../src/store/memory-store.js'
import type { SyncLogger } from '../../../src/sync/ports.js'
import type { SyncAkteDeps } from '../../../src/sync/run-akte.js'

/*
 * One set of simulators shared by many random sequences: each sequence gets
 * a fresh Aktennummer (and Akte on all three systems) and a fresh store, so
 * starting servers is paid once. Two sets of clients: the faulty runs use
 * short timeouts so a hang costs little; the final, fault-free sync uses
 * generous ones so a slow machine cannot fake a failure there.
 */

/** Small chunks so that the chunked EspoCRM upload is part of the model too. */
const CHUNKS = { ESPOCRM_CHUNK_THRESHOLD_BYTES: String(48 * 1024), ESPOCRM_CHUNK_SIZE_BYTES: String(16 * 1024) }

export interface ModelAkte {
  nr: string
  advowareId: number
  akteId: string
  store: MemoryStore
  /** Engine dependencies with short timeouts and a retry (faults are injected around them). */
  faulty: SyncAkteDeps
  /** The same store with patient clients, for the fault-free sync at the end. */
  calm: SyncAkteDeps
  log: RecentLog
}

export interface ModelWorld {
  systems: Systems
  newAkte: () => Promise<ModelAkte>
  /** Sequences started on the current systems (recycled after `recycleEvery`). */
  readonly started: number
  close: () => Promise<void>
}

/** The last lines the engine logged, for the report of a failing sequence. */
export interface RecentLog extends SyncLogger {
  lines: string[]
}

export function recentLog (keep = 40): RecentLog {
  const lines: string[] = []
  const at = (level: string) => (obj: object, msg?: string): void => {
    if (level === 'debug') return
    const { err, ...rest } = obj as Record<string, unknown> & { err?: { message?: string } }
    lines.push(`${level} ${msg ?? ''} ${JSON.stringify(rest)}${err?.message === undefined ? '' : ` err=${err.message}`}`)
    if (lines.length > keep) lines.shift()
  }
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

async function closeClients (clients: Clients): Promise<void> {
  await Promise.allSettled([clients.espocrm?.close(), clients.advoware?.close(), clients.watcher?.close()])
}

interface Running { systems: Systems, faulty: Clients, calm: Clients, started: number }

async function start (): Promise<Running> {
  const systems = await startSystems()
  // 1 attempt + 1 retry: the retry path is exercised, and a fault of count 2 still reaches the engine.
  const faulty = createClients(loadConfig({ ...systems.env, ...CHUNKS, LOG_LEVEL: 'silent', EXTERNAL_TIMEOUT_MS: '400', EXTERNAL_RETRIES: '2' }))
  const calm = createClients(loadConfig({ ...systems.env, ...CHUNKS, LOG_LEVEL: 'silent', EXTERNAL_TIMEOUT_MS: '20000', EXTERNAL_RETRIES: '1' }))
  return { systems, faulty, calm, started: 0 }
}

async function stop (running: Running): Promise<void> {
  await closeClients(running.faulty)
  await closeClients(running.calm)
  await running.systems.close()
}

/**
 * `recycleEvery`: fresh simulators after this many sequences, so that their
 * in-memory records (every Akte ever made) do not slow a long soak down.
 */
export async function startModelWorld (options: { recycleEvery?: number, prefix?: string } = {}): Promise<ModelWorld> {
  const recycleEvery = options.recycleEvery ?? Number.POSITIVE_INFINITY
  const prefix = options.prefix ?? 'MB'
  let running = await start()
  let serial = 0
  const world: ModelWorld = {
    get systems () { return running.systems },
    get started () { return running.started },
    newAkte: async () => {
      if (running.started >= recycleEvery) {
        await stop(running)
        running = await start()
      }
      running.started++
      serial++
      const { espo, advoware, watcher } = running.systems
      const nr = `${prefix}-${serial}`
      const advowareId = 100_000 + serial
      const akte = espo.create('CAkte', { name: `Akte ${nr}`, aktennummer: nr, advowareAkteId: String(advowareId), status: 'Aktiv' })
      advoware.seedAkte({ id: advowareId, aktennummer: nr })
      await watcher.createAkte(nr)
      const store = new MemoryStore()
      const log = recentLog()
      const deps = (clients: Clients): SyncAkteDeps => ({
        espocrm: clients.espocrm!,
        advoware: clients.advoware!,
        watcher: clients.watcher!,
        store,
        log,
        options: { fileConcurrency: 2 }
      })
      return { nr, advowareId, akteId: String(akte.id), store, faulty: deps(running.faulty), calm: deps(running.calm), log }
    },
    close: async () => { await stop(running) }
  }
  return world
}
