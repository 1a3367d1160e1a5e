import { blake3Hex } from '../../../src/hash/blake3.js'
import { documentsNeedingHash } from '../../../src/sync/document-hash.js'
import { planAkte } from '../../../src/sync/plan.js'
import type { SyncLogger } from '../../../src/sync/ports.js'
import type { PropagateContext } from '../../../src/sync/propagate-context.js'
import { propagate, snapshotOnce, type PropagateOptions, type PropagationResult } from '../../../src/sync/propagate.js'
import { ProgressReporter, type SyncProgressEvent } from '../../../src/sync/progress.js'
import { StateKeeper } from '../../../src/sync/state-keeper.js'
import type { AkteSyncState, Plan, SyncOptionsInput } from '../../../src/sync/index.js'
import { MemoryStore } from '../../../src/store/memory-store.js'
import { AKTE_ID, NR, type FakeSystems } from './fake-systems.js'

/* Plans from the fake systems' current data, and propagation against them. */

export const NOW = new Date('2026-03-24T12:00:00Z')

export function silentLog (): SyncLogger & { lines: Array<{ level: string, obj: object, msg?: string }> } {
  const lines: Array<{ level: string, obj: object, msg?: string }> = []
  const at = (level: string) => (obj: object, msg?: string): void => { lines.push({ level, obj, msg }) }
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

export async function planFor (sys: FakeSystems, state: AkteSyncState | null = null, options: SyncOptionsInput = {}): Promise<Plan> {
  const documents = [...sys.documents.values()]
  const hashes = new Map<string, string>()
  for (const doc of documentsNeedingHash(documents, state)) {
    const bytes = doc.fileId === null ? undefined : sys.attachments.get(doc.fileId)
    if (bytes !== undefined) hashes.set(doc.id, await blake3Hex(bytes))
  }
  const files = [...sys.files.values()].map(f => ({ path: f.path, size: f.bytes.length, usn: String(f.usn), blake3Hash: f.hash, modified: f.modified }))
  return planAkte({ aktennummer: NR, akte: sys.advowareAkte, files, documents, documentHashes: hashes, history: sys.history, state, options: { now: NOW, ...options } })
}

export interface Propagated extends PropagationResult {
  state: AkteSyncState
  events: SyncProgressEvent[]
  log: ReturnType<typeof silentLog>
}

export async function runPlan (
  sys: FakeSystems, plan: Plan, options: Partial<PropagateOptions> & { signal?: AbortSignal } = {}
): Promise<Propagated> {
  const log = silentLog()
  const events: SyncProgressEvent[] = []
  const state = new StateKeeper(new MemoryStore(), NR, plan.state, null)
  const ctx: PropagateContext = {
    clients: sys.clients,
    aktennummer: NR,
    espoAkteId: AKTE_ID,
    advowareAkteId: '4711',
    signal: options.signal ?? new AbortController().signal,
    now: () => NOW,
    state,
    progress: new ProgressReporter({ aktennummer: NR, log, onProgress: event => { events.push(event) } }),
    log,
    windows: snapshotOnce(sys.watcher, NR),
    createdDocumentIds: []
  }
  const result = await propagate(ctx, plan, { fileConcurrency: options.fileConcurrency ?? 1, maxTransientFailures: options.maxTransientFailures ?? 5 })
  return { ...result, state: state.state, events, log }
}

export const outcomes = (result: PropagationResult): string[] =>
  result.reports.filter(r => r.kind !== 'skip').map(r => `${r.kind} ${r.path}: ${r.outcome}`)
