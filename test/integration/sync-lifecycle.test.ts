import t from 'tap'
import { toSyncOutcome } from '../../src/sync/run-akte.js'
import { ADVOWARE_ID, NR, world } from './helpers/sync-world.js'

/* How an Akte's sync ends outside the ordinary path: archived, inactive, blocked, forced, dry run. */

const kinds = (counts: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(counts).filter(([kind, n]) => n > 0 && kind !== 'skip'))

t.test('no EspoCRM Akte: not-found, leaves the queue, nothing written', async t => {
  const w = await world(t)
  w.resetRequests()
  const summary = await w.sync({ aktennummer: 'gibt-es-nicht' })
  t.match(summary, { status: 'not-found', transient: false })
  t.same(toSyncOutcome(summary), { kind: 'done', status: 'not-found' })
  t.same(w.writes(), [])
})

t.test('an Akte whose status is not synced: inactive, nothing written', async t => {
  const w = await world(t, { akteStatus: 'Abgelegt' })
  await w.systems.watcher.writeFile(NR, 'a.pdf', Buffer.from('a'))
  w.history('a.pdf')
  w.resetRequests()
  const summary = await w.sync()
  t.match(summary, { status: 'inactive', transient: false })
  t.same(w.writes(), [])
  t.equal(w.requests().total, 1, 'only the Akte record was read')
})

t.test('an Akte without advowareAkteId fails for good with a reason on the Akte', async t => {
  const w = await world(t, { advowareAkteId: null })
  const summary = await w.sync()
  t.match(summary, { status: 'failed', transient: false })
  t.same(toSyncOutcome(summary), { kind: 'done', status: 'failed' })
  t.match(w.systems.espo.get('CAkte', w.akteId), { syncStatus: 'failed', syncError: /advowareAkteId/ })
})

t.test('archived in Advoware: no file actions, the EspoCRM Akte becomes inactive', async t => {
  const w = await world(t)
  await w.systems.watcher.writeFile(NR, 'a.pdf', Buffer.from('a'))
  w.history('a.pdf')
  w.systems.advoware.archiveAkte(ADVOWARE_ID, '2026-03-01T10:00:00')
  w.resetRequests()
  const summary = await w.sync()
  t.match(summary, { status: 'archived', transient: false })
  t.same(toSyncOutcome(summary), { kind: 'done', status: 'archived' })
  t.same(w.writes(), [`PUT /api/v1/CAkte/${w.akteId}`])
  t.match(w.systems.espo.get('CAkte', w.akteId), { status: 'Abgelegt', syncStatus: 'synced' })
  t.equal(w.documents().length, 0)
  const next = await w.sync()
  t.equal(next.status, 'inactive', 'from then on the Akte is not synced')
})

t.test('the mass-delete guard blocks until a forced sync', async t => {
  const w = await world(t)
  for (const name of ['a.pdf', 'b.pdf', 'c.pdf', 'd.pdf']) {
    await w.systems.watcher.writeFile(NR, name, Buffer.from(name))
    w.history(name)
  }
  t.equal((await w.sync()).status, 'synced')
  for (const name of ['a.pdf', 'b.pdf', 'c.pdf']) await w.systems.watcher.deleteFile(NR, name)

  w.resetRequests()
  const blocked = await w.sync()
  t.match(blocked, { status: 'blocked', transient: false, reason: /mass delete: 3 of 4/ })
  t.same(toSyncOutcome(blocked), { kind: 'done', status: 'blocked' })
  t.same(w.writes(), [`PUT /api/v1/CAkte/${w.akteId}`], 'nothing but the Akte record')
  t.match(w.systems.espo.get('CAkte', w.akteId), { syncStatus: 'blocked', syncError: /mass delete/ })
  t.equal(w.documents().filter(d => d.fileStatus === 'deleted').length, 0)
  t.equal((await w.sync()).status, 'blocked', 'still blocked on the next run')

  await w.store.setState('force', NR, { by: 'admin', at: new Date().toISOString() })
  const forced = await w.sync()
  t.match(forced, { status: 'synced', forced: true })
  t.equal(forced.counts['soft-delete-document'], 3)
  t.equal(await w.store.getState('force', NR), undefined, 'the force request is used up')
  t.match(w.systems.espo.get('CAkte', w.akteId), { syncStatus: 'synced', syncError: null })
})

t.test('a share that lists nothing where files were synced blocks; force by request passes', async t => {
  const w = await world(t)
  for (const name of ['a.pdf', 'b.pdf']) {
    await w.systems.watcher.writeFile(NR, name, Buffer.from(name))
    w.history(name)
  }
  t.equal((await w.sync()).status, 'synced')
  await w.systems.watcher.removeAkte(NR)
  const blocked = await w.sync()
  t.match(blocked, { status: 'blocked', reason: /lists no files/ })
  t.equal(w.documents().filter(d => d.fileStatus === 'deleted').length, 0)
  const forced = await w.sync({ force: true })
  t.equal(forced.counts['soft-delete-document'], 2)
})

t.test('a dry run writes nothing; the real run then carries out exactly that plan', async t => {
  const w = await world(t)
  for (const name of ['a.pdf', 'b.pdf', 'c.pdf']) {
    await w.systems.watcher.writeFile(NR, name, Buffer.from(name))
    w.history(name)
  }
  t.equal((await w.sync()).status, 'synced')
  await w.systems.watcher.writeFile(NR, 'a.pdf', Buffer.from('a, changed'))
  await w.systems.watcher.deleteFile(NR, 'c.pdf')
  await w.systems.watcher.writeFile(NR, 'neu.pdf', Buffer.from('neu'))
  w.history('neu.pdf')
  await w.newDocument('Aus EspoCRM.pdf', Buffer.from('espo'))
  const stateBefore = JSON.stringify(await w.store.getState('akte-state', NR))
  const resultBefore = JSON.stringify(await w.store.getState('result', NR))

  w.resetRequests()
  const dry = await w.sync({ dryRun: true })
  t.match(dry, { status: 'planned', dryRun: true, transient: false })
  t.same(w.writes(), [], 'not a single write, not even the Akte record')
  t.equal(JSON.stringify(await w.store.getState('akte-state', NR)), stateBefore, 'store state untouched')
  t.equal(JSON.stringify(await w.store.getState('result', NR)), resultBefore, 'no result kept')
  const plan = dry.plan
  t.ok(plan)
  const planned = (plan?.actions ?? []).filter(a => a.kind !== 'skip').map(a => `${a.kind} ${a.path}`).sort()
  t.same(planned, ['create-document neu.pdf', 'soft-delete-document c.pdf', 'update-document-file a.pdf', 'upload-to-windows Aus EspoCRM.pdf'])

  const real = await w.sync()
  t.equal(real.status, 'synced', real.reason ?? 'synced')
  t.same(kinds(real.counts), kinds(dry.planned))
  const recent = await w.store.getState<Array<{ kind: string, path: string, outcome: string }>>('recent-actions', NR) ?? []
  const performed = recent.slice(-planned.length).map(a => `${a.kind} ${a.path}`).sort()
  t.same(performed, planned, 'the same actions on the same paths')
})
