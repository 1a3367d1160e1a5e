import { setTimeout as sleep } from 'node:timers/promises'
import { startSystems, type Systems, type SystemsOptions } from '../../src/sandbox/systems.js'
import type { CallRecord } from '../../src/simulators/faults.js'
import type { TemplateFile } from './files.js'

/* The three simulators in the bench process, and what the benchmarks read from their call logs. */

export interface World {
  systems: Systems
  /** Creates the Akte in EspoCRM (status Aktiv), Advoware and on the share; resolves to the EspoCRM id. */
  addAkte: (aktennummer: string, advowareId: number) => Promise<string>
  /** One History entry per file, as Advoware users link documents. */
  linkHistory: (advowareId: number, files: readonly Pick<TemplateFile, 'path'>[]) => void
  /** Resolves to when the Akte write after `since` was answered (the end of a sync). */
  waitForAkteWrite: (akteId: string, since: number, timeoutMs?: number) => Promise<number>
  /** Calls each simulator received so far. */
  callCounts: () => { espo: number, advoware: number, watcher: number }
  /** Calls after the given counts, all systems, oldest first. */
  callsSince: (marks: { espo: number, advoware: number, watcher: number }) => Array<CallRecord & { system: string }>
  close: () => Promise<void>
}

const GiB = 1024 * 1024 * 1024

export async function startWorld (options: SystemsOptions = {}): Promise<World> {
  const systems = await startSystems({
    ...options,
    // 1 GiB files must be accepted (EspoCRM's default limit is far lower).
    espo: { attachmentUploadMaxSize: 4 * GiB, ...options.espo }
  })
  const { espo, advoware, watcher } = systems
  const logs = { espo: espo.faults.calls, advoware: advoware.faults.calls, watcher: watcher.faults.calls }
  return {
    systems,
    addAkte: async (aktennummer, advowareId) => {
      const akte = espo.create('CAkte', { name: `Bench ${aktennummer}`, aktennummer, advowareAkteId: String(advowareId), status: 'Aktiv' })
      advoware.seedAkte({ id: advowareId, aktennummer })
      await watcher.createAkte(aktennummer)
      return String(akte.id)
    },
    linkHistory: (advowareId, files) => {
      for (const file of files) advoware.addHistory(advowareId, { datum: '2026-03-20T09:30:00', text: `Eingang ${file.path}`, art: 'Schriftsatz', datei: file.path })
    },
    waitForAkteWrite: async (akteId, since, timeoutMs = 600_000) => {
      const url = `/api/v1/CAkte/${akteId}`
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const write = logs.espo.findLast(c => c.at >= since && c.method === 'PUT' && c.url === url && c.finishedAt !== undefined)
        if (write?.finishedAt !== undefined) return write.finishedAt
        if (Date.now() > deadline) throw new Error(`no write of Akte ${akteId} within ${timeoutMs} ms`)
        await sleep(5)
      }
    },
    callCounts: () => ({ espo: logs.espo.length, advoware: logs.advoware.length, watcher: logs.watcher.length }),
    callsSince: marks => (['espo', 'advoware', 'watcher'] as const)
      .flatMap(system => logs[system].slice(marks[system]).map(c => ({ ...c, system })))
      .sort((a, b) => a.at - b.at),
    close: async () => { await systems.close() }
  }
}
