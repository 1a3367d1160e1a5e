import t from 'tap'
import { massDeleteReason } from '../../src/sync/guard.js'
import { baseEntry, entry, file, labels, plan, state, syncedDoc } from './helpers/builders.js'

function akte (count: number, present: number, extra: { renamed?: number, force?: boolean, options?: { maxDeleteShare?: number, minDeleteCount?: number } } = {}) {
  const names = Array.from({ length: count }, (_, i) => `f${i}.pdf`)
  const history = names.map((name, i) => entry(String(i), name))
  const docs = names.map((name, i) => syncedDoc(`d${i}`, name, `h${i}`, history[i] ?? null))
  const renamed = extra.renamed ?? 0
  const files = [
    ...names.slice(0, present).map((name, i) => file(name, `h${i}`)),
    ...names.slice(present, present + renamed).map((_, j) => file(`neu${j}.pdf`, `h${present + j}`))
  ]
  return plan({
    files,
    history: [...history, ...files.map((f, i) => entry(`n${i}`, f.path))],
    documents: docs,
    state: state(docs.map(baseEntry)),
    options: { force: extra.force ?? false, ...extra.options }
  })
}

t.test('more than half and at least three soft-deletes: blocked, no actions', async t => {
  const p = akte(4, 1)
  t.equal(p.status, 'blocked')
  t.same(p.actions, [])
  t.match(p.reason, /3 of 4 synced Documents \(75 %\)/)
  t.equal(p.counts.writes, 0)
  t.equal(p.state.entries.length, 4, 'the base is kept as it was')
})

t.test('force lets the same plan through', async t => {
  const p = akte(4, 1, { force: true })
  t.equal(p.status, 'ok')
  t.same(labels(p), ['skip:unchanged', 'soft-delete-document', 'soft-delete-document', 'soft-delete-document'])
})

t.test('at the limits the plan runs', async t => {
  t.equal(akte(6, 3).status, 'ok', 'exactly half is not more than half')
  t.equal(akte(4, 2).status, 'ok', 'two deletes are fewer than three')
  t.equal(akte(3, 1).status, 'ok', 'two of three is more than half but fewer than three')
  t.equal(akte(7, 3).status, 'blocked', 'four of seven')
})

t.test('renames are not deletes', async t => {
  const p = akte(4, 1, { renamed: 3 })
  t.equal(p.status, 'ok')
  t.same(labels(p), ['move-document', 'move-document', 'move-document', 'skip:unchanged'])
})

t.test('thresholds are configurable', async t => {
  t.equal(akte(10, 8, { options: { maxDeleteShare: 0.1, minDeleteCount: 2 } }).status, 'blocked')
  t.equal(akte(10, 8, { options: { maxDeleteShare: 0.2, minDeleteCount: 2 } }).status, 'ok')
})

t.test('an empty listing where files were synced blocks, even for one file', async t => {
  const p = akte(1, 0)
  t.equal(p.status, 'blocked')
  t.match(p.reason, /lists no files/)
  t.equal(akte(1, 0, { force: true }).status, 'ok')
  const tombstoned = plan({ state: state([], { tombstones: [{ key: 'a.pdf', path: 'a.pdf', hash: 'h', documentId: null, deletedAt: 'x' }] }) })
  t.equal(tombstoned.status, 'blocked', 'a tombstoned file was on the share too')
  t.equal(plan({}).status, 'ok', 'nothing synced yet: an empty folder is fine')
})

t.test('massDeleteReason on its own', async t => {
  const base = { actions: [], syncedDocuments: 0, listingEmpty: false, baseHasFiles: false, maxDeleteShare: 0.5, minDeleteCount: 3 }
  t.equal(massDeleteReason(base), null)
  t.equal(massDeleteReason({ ...base, listingEmpty: true }), null)
  t.type(massDeleteReason({ ...base, listingEmpty: true, baseHasFiles: true }), 'string')
})
