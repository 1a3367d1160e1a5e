import t from 'tap'
import { ExternalError } from '../../src/clients/errors.js'
import { ServiceMetrics } from '../../src/metrics/service-metrics.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import type { SyncProgressEvent } from '../../src/sync/progress.js'
import { syncAkte, toSyncOutcome, type SyncAkteDeps, type SyncRequest } from '../../src/sync/run-akte.js'
import { AKTE_BY_ID, AKTE_OF_DOCUMENT } from '../../src/webhooks/inbox.js'
import { FakeSystems, NR } from './helpers/fake-systems.js'
import { NOW, silentLog } from './helpers/propagate-harness.js'

/* One Akte's run with in-memory systems: statuses, the one Akte write, store bookkeeping, metrics. */

class CountingStore extends MemoryStore {
  readonly sets: string[] = []
  override async setState (namespace: string, id: string, value: unknown): Promise<void> {
    this.sets.push(`${namespace}/${id}`)
    await super.setState(namespace, id, value)
  }
}

async function scene (files: string[] = ['a.pdf', 'b.pdf']): Promise<FakeSystems> {
  const sys = new FakeSystems()
  for (const name of files) {
    await sys.addFile(name, `content of ${name}`)
    sys.history.push({ id: String(100 + sys.history.length), datum: '2026-03-20T09:30:00', text: name, art: 'Schriftsatz', datei: name })
  }
  return sys
}

function deps (sys: FakeSystems, extra: Partial<SyncAkteDeps> = {}): SyncAkteDeps & { store: CountingStore } {
  return { ...sys.clients, store: new CountingStore(), log: silentLog(), now: () => NOW, ...extra } as SyncAkteDeps & { store: CountingStore }
}

const request = (extra: Partial<SyncRequest> = {}): SyncRequest => ({ aktennummer: NR, signal: new AbortController().signal, ...extra })

t.test('a clean run: one Akte write, the summary, metrics, stages', async t => {
  const sys = await scene()
  const metrics = new ServiceMetrics()
  const d = deps(sys, { metrics })
  const events: SyncProgressEvent[] = []
  const summary = await syncAkte(d, request({ onProgress: e => { events.push(e) } }))
  t.match(summary, { aktennummer: NR, status: 'synced', transient: false, dryRun: false, forced: false, errors: [], skipped: [] })
  t.equal(summary.counts['create-document'], 2)
  t.equal(summary.planned['create-document'], 2)
  t.equal(summary.bytes.toEspo, 'content of a.pdf'.length * 2)
  t.equal(summary.startedAt, NOW.toISOString())
  t.same(toSyncOutcome(summary), { kind: 'done', status: 'synced' })
  t.same(sys.writes.filter(w => w.startsWith('espo.updateAkte')), ['espo.updateAkte lastSync,syncError,syncStatus'], 'exactly one Akte write')
  t.match(sys.akte, { syncStatus: 'synced', syncError: null, lastSync: '2026-03-24 12:00:00' })
  t.same(events.filter(e => e.type === 'stage').map(e => e.type === 'stage' ? e.stage : ''), ['gather', 'hash', 'propagate', 'finish'])
  const text = await metrics.registry.metrics()
  t.match(text, /advoware_sync_runs_total\{result="synced"\} 1/)
  t.match(text, /advoware_sync_actions_total\{action="create-document"\} 2/)
  t.match(text, /advoware_sync_bytes_total\{direction="to-espo"\} 32/)
  t.match(text, /advoware_sync_duration_seconds_count\{result="synced"\} 1/)
})

t.test('the webhook indexes are written once and then only when they change', async t => {
  const sys = await scene()
  const d = deps(sys)
  await syncAkte(d, request())
  const docs = [...sys.documents.keys()]
  t.equal(await d.store.getState(AKTE_BY_ID, 'akte-1'), NR)
  for (const id of docs) t.equal(await d.store.getState(AKTE_OF_DOCUMENT, id), NR)
  d.store.sets.length = 0
  await syncAkte(d, request())
  t.same(d.store.sets.filter(s => !s.startsWith('result/')), [], 'an unchanged Akte writes no index and no state')
  const gone = docs[0] ?? ''
  sys.documents.delete(gone)
  await syncAkte(d, request())
  t.equal(await d.store.getState(AKTE_OF_DOCUMENT, gone), undefined, 'a Document gone from the Akte leaves the index')
})

t.test('a run aborted midway writes neither the Akte nor the state', async t => {
  const sys = await scene(['a.pdf', 'b.pdf', 'c.pdf'])
  const d = deps(sys, { options: { fileConcurrency: 1 } })
  const controller = new AbortController()
  sys.before = (call, detail) => { if (call === 'watcher.download' && detail === 'b.pdf') controller.abort(new Error('shutting down')) }
  const summary = await syncAkte(d, request({ signal: controller.signal }))
  t.match(summary, { status: 'failed', transient: true })
  t.equal(toSyncOutcome(summary).kind, 'retry')
  t.notOk(sys.writes.some(w => w.startsWith('espo.updateAkte')), 'no Akte write after the abort')
  t.equal(await d.store.getState('akte-state', NR), undefined, 'no state save after the abort')
})

t.test('Advoware down while gathering: failed and retried; an unknown Advoware Akte fails for good', async t => {
  const sys = await scene()
  sys.advoware.getAkte = async () => { throw new ExternalError({ system: 'advoware', kind: 'unavailable', status: 503, message: 'advoware get Akte: 503' }) }
  const down = await syncAkte(deps(sys), request())
  t.match(down, { status: 'failed', transient: true, reason: /503/ })
  t.match(sys.akte, { syncStatus: 'failed', syncError: /503/ })

  sys.advoware.getAkte = async () => { throw new ExternalError({ system: 'advoware', kind: 'not-found', status: 404, message: 'advoware get Akte: 404' }) }
  const unknown = await syncAkte(deps(sys), request())
  t.match(unknown, { status: 'failed', transient: false })
  t.same(toSyncOutcome(unknown), { kind: 'done', status: 'failed' })
})

t.test('an attachment that cannot be hashed: gone is permanent, an outage is retried', async t => {
  const sys = await scene([])
  sys.addDocument({ name: 'x.pdf', fileId: 'att-missing' })
  const gone = await syncAkte(deps(sys), request())
  t.match(gone, { status: 'partial', transient: false })
  t.match(gone.errors, [{ kind: 'hash', permanent: true }])

  const sys2 = await scene([])
  sys2.addDocument({ name: 'x.pdf', fileId: sys2.addAttachment('x') })
  sys2.before = call => { if (call === 'espo.downloadAttachment') throw new ExternalError({ system: 'espocrm', kind: 'unavailable', status: 503, message: '503' }) }
  const down = await syncAkte(deps(sys2), request())
  t.match(down, { status: 'failed', transient: true })
})

t.test('a file that changed during the run: partial, and retried soon', async t => {
  const sys = await scene(['a.pdf'])
  let listings = 0
  // The second listing is the one taken right before the writes: the file moved on in between.
  sys.before = async (call) => { if (call === 'watcher.listFiles' && ++listings === 2) await sys.addFile('a.pdf', 'changed') }
  const d = deps(sys)
  const summary = await syncAkte(d, request())
  t.match(summary, { status: 'partial', transient: true })
  t.equal(summary.skipped.length, 1)
  t.equal(toSyncOutcome(summary).kind, 'retry')
  t.match(sys.akte, { syncStatus: 'partial', syncError: /changed during the sync/ })
})

t.test('a force request in the store is used once; a dry run leaves it', async t => {
  const sys = await scene(['a.pdf', 'b.pdf', 'c.pdf', 'd.pdf'])
  const d = deps(sys)
  t.equal((await syncAkte(d, request())).status, 'synced')
  for (const key of ['a.pdf', 'b.pdf', 'c.pdf']) sys.files.delete(key)
  t.equal((await syncAkte(d, request())).status, 'blocked')
  await d.store.setState('force', NR, true)
  const dry = await syncAkte(d, request({ dryRun: true }))
  t.match(dry, { status: 'planned', forced: true, dryRun: true })
  t.equal(dry.plan?.counts.byKind['soft-delete-document'], 3)
  t.equal(await d.store.getState('force', NR), true, 'a dry run uses nothing up')
  const forced = await syncAkte(d, request())
  t.match(forced, { status: 'synced', forced: true })
  t.equal(await d.store.getState('force', NR), undefined)
})

t.test('the result and the recent actions are kept, capped', async t => {
  const sys = await scene([])
  const d = deps(sys)
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 20; i++) {
      const name = `r${round}-${i}.pdf`
      await sys.addFile(name, name)
      sys.history.push({ id: `${round}-${i}`, datum: '2026-03-20T09:30:00', text: name, art: 'Schriftsatz', datei: name })
    }
    await syncAkte(d, request())
  }
  const recent = await d.store.getState<Array<{ path: string }>>('recent-actions', NR) ?? []
  t.equal(recent.length, 50)
  t.equal(recent.at(-1)?.path, 'r2-9.pdf')
  t.match(await d.store.getState('result', NR), { status: 'synced', aktennummer: NR })
  t.notOk((await d.store.getState<Record<string, unknown>>('result', NR))?.plan, 'no plan in the stored result')
})
