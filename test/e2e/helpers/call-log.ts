import type { CallRecord } from '../../../src/simulators/faults.js'

/*
 * Whether two syncs of one Akte ever ran at once, read from the EspoCRM
 * simulator's call log alone (what the service did, not what it says it
 * did). A sync starts with the Akte lookup (`GET CAkte` filtered on the
 * Aktennummer) and ends with its one write of the Akte record
 * (`PUT CAkte/{id}`); between the two it reads and writes everything else.
 */

const API = '/api/v1/'

/** The Aktennummer a `GET {entity}?where...` list request filters on; undefined for any other call. */
export function lookedUp (call: Pick<CallRecord, 'method' | 'url'>, entity = 'CAkte', field = 'aktennummer'): string | undefined {
  if (call.method !== 'GET') return undefined
  const [path, query = ''] = call.url.split('?', 2) as [string, string | undefined]
  if (path !== `${API}${entity}`) return undefined
  const params = new URLSearchParams(query)
  for (const [key, value] of params) {
    const m = /^where\[(\d+)\]\[attribute\]$/.exec(key)
    if (m !== null && value === field) return params.get(`where[${m[1] ?? ''}][value]`) ?? undefined
  }
  const search = params.get('searchParams')
  if (search !== null) {
    const where = (JSON.parse(search) as { where?: Array<{ attribute?: string, value?: unknown }> }).where ?? []
    const hit = where.find(w => w.attribute === field)
    if (typeof hit?.value === 'string') return hit.value
  }
  return undefined
}

/** The id of a `PUT|PATCH {entity}/{id}`; undefined for any other call. */
export function akteWritten (call: Pick<CallRecord, 'method' | 'url'>, entity = 'CAkte'): string | undefined {
  if (call.method !== 'PUT' && call.method !== 'PATCH') return undefined
  const m = new RegExp(`^${API}${entity}/([A-Za-z0-9]+)$`).exec(call.url.split('?')[0] ?? '')
  return m?.[1]
}

export interface SyncSpan {
  aktennummer: string
  start: number
  /** When the Akte write was answered; null: this sync never wrote its Akte (stopped, crashed). */
  end: number | null
}

export interface SpanReport {
  spans: SyncSpan[]
  /** A lookup of an Akte while an earlier lookup of it still waited for its write. */
  overlaps: Array<{ aktennummer: string, first: SyncSpan, second: SyncSpan }>
  /** Syncs that looked up their Akte and never wrote it. */
  unfinished: SyncSpan[]
}

/**
 * Pairs each lookup with the next write of the same Akte (first in, first
 * out). One sync at a time means lookup, write, lookup, write...: a second
 * lookup before the write is an overlap, whichever instance made it.
 * `akteIds` maps CAkte ids to Aktennummern.
 */
export function syncSpans (calls: readonly CallRecord[], akteIds: ReadonlyMap<string, string>): SpanReport {
  type Event = { at: number, nr: string, kind: 'lookup' | 'write' }
  const events: Event[] = []
  for (const call of calls) {
    const nr = lookedUp(call)
    if (nr !== undefined) { events.push({ at: call.at, nr, kind: 'lookup' }); continue }
    const id = akteWritten(call)
    const owner = id === undefined ? undefined : akteIds.get(id)
    // An answered write ends its sync whatever the status (it is the sync's last step); one never
    // answered (its caller died) ends nothing. A client retry of the lookup would count twice:
    // tests inject no faults into the lookup.
    if (owner !== undefined && call.status !== undefined) events.push({ at: call.finishedAt ?? call.at, nr: owner, kind: 'write' })
  }
  // At equal milliseconds the write came first: the next sync waits for the lock its end releases.
  events.sort((a, b) => a.at - b.at || (a.kind === b.kind ? 0 : a.kind === 'write' ? -1 : 1))
  const open = new Map<string, SyncSpan[]>()
  const report: SpanReport = { spans: [], overlaps: [], unfinished: [] }
  for (const event of events) {
    const queue = open.get(event.nr) ?? []
    open.set(event.nr, queue)
    if (event.kind === 'lookup') {
      const span: SyncSpan = { aktennummer: event.nr, start: event.at, end: null }
      if (queue[0] !== undefined) report.overlaps.push({ aktennummer: event.nr, first: queue[0], second: span })
      queue.push(span)
      report.spans.push(span)
    } else {
      const span = queue.shift()
      if (span !== undefined) span.end = event.at
    }
  }
  for (const queue of open.values()) report.unfinished.push(...queue)
  return report
}

/** CAkte id -> Aktennummer, from the simulator's records. */
export function akteIdMap (akten: Iterable<{ espoId: string, aktennummer: string }>): Map<string, string> {
  return new Map([...akten].map(a => [a.espoId, a.aktennummer]))
}

/** Resolves once none of the logs grew for `quietMs`: whatever was still running has finished or stopped. */
export async function untilQuiet (logs: ReadonlyArray<readonly CallRecord[]>, quietMs: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let sizes = logs.map(l => l.length).join()
  let since = Date.now()
  while (Date.now() - since < quietMs) {
    if (Date.now() > deadline) throw new Error(`the simulators were still busy after ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 50))
    const now = logs.map(l => l.length).join()
    if (now !== sizes) { sizes = now; since = Date.now() }
  }
}

/** Answered calls after index `from` matching method and exact path. */
export function countCalls (calls: readonly CallRecord[], from: number, method: string, path: string | RegExp): number {
  return calls.slice(from).filter(c => c.method === method && c.status !== undefined && c.status < 300 &&
    (typeof path === 'string' ? c.url.split('?')[0] === path : path.test(c.url.split('?')[0] ?? ''))).length
}
