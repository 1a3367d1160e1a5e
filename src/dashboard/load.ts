import { FORCE_NAMESPACE } from '../sync/run-options.js'
import { RECENT_ACTIONS as RECENT_ACTIONS_NAMESPACE, RESULT_NAMESPACE } from '../sync/summary.js'
import type { QueueOverview, Store } from '../store/types.js'
import { byActionTimeDesc, readRecentActions, type RecentAction } from './recent-actions.js'
import { byFinishedDesc, readAkteResult, type AkteResult } from './summary.js'
import { firstInstant, isRecord } from './coerce.js'

/** State reads in flight at once: enough to pipeline to Redis, few enough not to swamp it. */
const READ_BATCH = 100
/** Recent actions come from this many most recently synced Akten. */
const RECENT_AKTEN = 20
const RECENT_ROWS = 100

export interface BlockedAkte extends AkteResult {
  /** When a forced sync was last requested and not yet consumed by the engine. */
  forceRequestedAt: string | null
}

export interface DashboardData {
  now: number
  queue: QueueOverview
  /** Every Akte with a stored result, newest first. */
  results: AkteResult[]
  blocked: BlockedAkte[]
  recent: RecentAction[]
}

async function readAll<I, T> (items: readonly I[], read: (item: I) => Promise<T>): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < items.length; i += READ_BATCH) out.push(...await Promise.all(items.slice(i, i + READ_BATCH).map(read)))
  return out
}

/** Every stored result, newest first (one read per Akte). */
export async function loadResults (store: Store): Promise<AkteResult[]> {
  const ids = await store.listStateIds(RESULT_NAMESPACE)
  const results = await readAll(ids, async id => {
    const raw = await store.getState<unknown>(RESULT_NAMESPACE, id)
    return raw === undefined ? undefined : readAkteResult(id, raw)
  })
  return results.filter((r): r is AkteResult => r !== undefined).sort(byFinishedDesc)
}

async function loadBlocked (store: Store, results: readonly AkteResult[]): Promise<BlockedAkte[]> {
  const blocked = results.filter(r => r.status === 'blocked')
  return await readAll(blocked, async result => {
    const force = await store.getState<unknown>(FORCE_NAMESPACE, result.aktennummer)
    return { ...result, forceRequestedAt: isRecord(force) ? firstInstant(force, ['requestedAt']) : null }
  })
}

async function loadRecent (store: Store, results: readonly AkteResult[]): Promise<RecentAction[]> {
  const ids = results.slice(0, RECENT_AKTEN).map(r => r.aktennummer)
  const lists = await readAll(ids, async id => readRecentActions(id, await store.getState<unknown>(RECENT_ACTIONS_NAMESPACE, id)))
  return lists.flat().sort(byActionTimeDesc).slice(0, RECENT_ROWS)
}

export async function loadDashboard (store: Store): Promise<DashboardData> {
  const [queue, results] = await Promise.all([store.overview(), loadResults(store)])
  const [blocked, recent] = await Promise.all([loadBlocked(store, results), loadRecent(store, results)])
  return { now: Date.now(), queue, results, blocked, recent }
}
