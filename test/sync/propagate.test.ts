import t from 'tap'
import { ExternalError } from '../../src/clients/errors.js'
import { FakeSystems, refusal } from './helpers/fake-systems.js'
import { outcomes, planFor, runPlan } from './helpers/propagate-harness.js'

/* Propagation against in-memory systems: preconditions, aborts, error classes, conflict order. */

function entry (sys: FakeSystems, datei: string): void {
  sys.history.push({ id: String(100 + sys.history.length), datum: '2026-03-20T09:30:00', text: `Eintrag ${datei}`, art: 'Schriftsatz', datei })
}

/** A file synced at `path`: on the share, linked, with its Document and base. */
async function synced (sys: FakeSystems, path: string, content: string): Promise<string> {
  const file = await sys.addFile(path, content)
  entry(sys, path)
  const history = sys.history.at(-1)
  const fileId = sys.addAttachment(content)
  const doc = sys.addDocument({
    name: path, fileId, windowsPath: path, blake3Hash: file.blake3Hash, syncHash: file.blake3Hash, syncUsn: file.usn, syncFileId: fileId,
    fileStatus: 'synced', description: history?.text ?? null, publishDate: '2026-03-20', historyArt: 'Schriftsatz', advowareHistoryId: history?.id ?? null
  })
  return doc.id
}

t.test('a file changed on the share after the plan is left for the next run', async t => {
  const sys = new FakeSystems()
  await sys.addFile('a.pdf', 'a')
  entry(sys, 'a.pdf')
  const plan = await planFor(sys)
  await sys.addFile('a.pdf', 'a, edited meanwhile')
  const result = await runPlan(sys, plan)
  t.same(outcomes(result), ['create-document a.pdf: precondition'])
  t.same(sys.writes, [], 'nothing written')
})

t.test('a Document that got another file after the plan is left alone', async t => {
  const sys = new FakeSystems()
  const id = await synced(sys, 'a.pdf', 'a')
  await sys.addFile('a.pdf', 'a v2')
  const plan = await planFor(sys)
  t.equal(plan.actions.find(a => a.kind !== 'skip')?.kind, 'update-document-file')
  const doc = sys.documents.get(id)
  if (doc !== undefined) doc.fileId = sys.addAttachment('edited in EspoCRM meanwhile')
  const result = await runPlan(sys, plan)
  t.same(outcomes(result), ['update-document-file a.pdf: precondition'])
  t.same(sys.writes, [])
})

t.test('a metadata edit after the plan does not stop a transfer; the write carries the version read', async t => {
  const sys = new FakeSystems()
  const id = await synced(sys, 'a.pdf', 'a')
  await sys.addFile('a.pdf', 'a v2')
  const plan = await planFor(sys)
  const doc = sys.documents.get(id)
  if (doc !== undefined) Object.assign(doc, { name: 'renamed in the UI', modifiedAt: '2026-03-24 11:59:59', versionNumber: 7 })
  const result = await runPlan(sys, plan)
  t.same(outcomes(result), ['update-document-file a.pdf: done'])
  t.equal(sys.documents.get(id)?.versionNumber, 8, 'written against version 7')
  t.equal(sys.documents.get(id)?.name, 'renamed in the UI', 'the edit survives')
})

t.test('after the signal aborts, nothing more is written', async t => {
  const sys = new FakeSystems()
  for (const name of ['a.pdf', 'b.pdf', 'c.pdf']) {
    await sys.addFile(name, name)
    entry(sys, name)
  }
  const plan = await planFor(sys)
  const controller = new AbortController()
  sys.before = (call, detail) => { if (call === 'watcher.download' && detail === 'b.pdf') controller.abort(new Error('lease lost')) }
  const result = await runPlan(sys, plan, { signal: controller.signal })
  t.same(sys.writes, ['espo.uploadAttachment a.pdf', 'espo.createDocument a.pdf'], 'only the action before the abort')
  t.same(outcomes(result), ['create-document a.pdf: done', 'create-document b.pdf: aborted', 'create-document c.pdf: not-run'])
  t.ok(result.aborted)
})

t.test('EspoCRM refusing the file type is permanent: recorded, the other files go on', async t => {
  const sys = new FakeSystems()
  for (const name of ['Mail.msg', 'b.pdf']) {
    await sys.addFile(name, name)
    entry(sys, name)
  }
  sys.before = (call, detail) => { if (call === 'espo.uploadAttachment' && detail === 'Mail.msg') throw refusal('espocrm', 403, 'Not allowed file type.') }
  const result = await runPlan(sys, await planFor(sys))
  t.same(outcomes(result), ['create-document b.pdf: done', 'create-document Mail.msg: failed'])
  t.match(result.reports.find(r => r.path === 'Mail.msg'), { permanent: true, errorKind: 'forbidden' })
  t.match(result.state.failures, [{ source: 'windows', key: 'mail.msg', hash: await sys.hashOf('Mail.msg'), reason: /Not allowed file type/ }])
  const again = await planFor(sys, result.state)
  t.match(again.actions.find(a => a.key === 'mail.msg'), { kind: 'skip', code: 'permanent-failure' }, 'not sent again')
})

t.test('a 503 or a 403 that is not about the file is transient: nothing recorded', async t => {
  for (const error of [refusal('espocrm', 503, 'Injected fault'), refusal('espocrm', 403, 'No access.'), new ExternalError({ system: 'espocrm', kind: 'network', message: 'reset' })]) {
    const sys = new FakeSystems()
    await sys.addFile('a.pdf', 'a')
    entry(sys, 'a.pdf')
    sys.before = call => { if (call === 'espo.uploadAttachment') throw error }
    const result = await runPlan(sys, await planFor(sys))
    t.match(result.reports.find(r => r.path === 'a.pdf'), { outcome: 'failed', permanent: false }, error.message)
    t.same(result.state.failures, [])
  }
})

t.test('the Watcher refusing a name is permanent: the Document is marked skipped', async t => {
  const sys = new FakeSystems()
  const fileId = sys.addAttachment('espo content')
  const doc = sys.addDocument({ name: 'Vertrag.pdf', fileId, fileName: 'Vertrag.pdf' })
  sys.before = call => { if (call === 'watcher.upload') throw refusal('watcher', 400, 'invalid name') }
  const result = await runPlan(sys, await planFor(sys))
  t.same(outcomes(result), ['upload-to-windows Vertrag.pdf: failed'])
  t.match(result.state.failures, [{ source: 'espo', documentId: doc.id, fileId, hash: await sys.hashOf('espo content') }])
  t.match(sys.documents.get(doc.id), { fileStatus: 'skipped', syncError: /invalid name/ })
  t.notOk(sys.writes.some(w => w.startsWith('advoware.')), 'no History entry for a file that is not there')
})

t.test('conflict, Windows wins: the EspoCRM content is copied before it is overwritten', async t => {
  const sys = new FakeSystems()
  const id = await synced(sys, 'a.pdf', 'base')
  await sys.addFile('a.pdf', 'windows edit', '2026-03-24T13:00:00+01:00')
  const doc = sys.documents.get(id)
  if (doc !== undefined) Object.assign(doc, { fileId: sys.addAttachment('espo edit'), modifiedAt: '2026-03-24 09:00:00' })
  const plan = await planFor(sys)
  t.match(plan.actions.find(a => a.kind === 'conflict'), { winner: 'windows' })
  const result = await runPlan(sys, plan)
  t.same(outcomes(result), ['conflict a.pdf: done'])
  t.same(sys.writes.map(w => w.replace(/ doc-\d+/, '')), [
    'espo.uploadAttachment a (Konflikt 2026-03-24 13-00-00).pdf',
    'espo.createDocument a (Konflikt 2026-03-24 13-00-00).pdf',
    'espo.uploadAttachment a.pdf',
    'espo.updateDocument blake3Hash,fileId,fileStatus,lastSync,syncError,syncFileId,syncHash,syncStatus,syncUsn,windowsPath'
  ], 'copy first, then the overwrite')
  const copy = [...sys.documents.values()].find(d => d.fileStatus === 'conflict')
  t.same(sys.attachments.get(String(copy?.fileId)), Buffer.from('espo edit'))
  t.equal(copy?.blake3Hash, await sys.hashOf('espo edit'), 'the copy is recognisable by its hash')
})

t.test('conflict, EspoCRM wins: the Windows content is copied before the share is overwritten', async t => {
  const sys = new FakeSystems()
  const id = await synced(sys, 'a.pdf', 'base')
  await sys.addFile('a.pdf', 'windows edit', '2026-03-24T08:00:00+01:00')
  const doc = sys.documents.get(id)
  if (doc !== undefined) Object.assign(doc, { fileId: sys.addAttachment('espo edit'), modifiedAt: '2026-03-24 11:00:00' })
  const result = await runPlan(sys, await planFor(sys))
  t.same(outcomes(result), ['conflict a.pdf: done'])
  const order = sys.writes.map(w => w.split(' ')[0])
  t.ok(order.indexOf('espo.createDocument') < order.indexOf('watcher.upload'), `copy before the overwrite: ${sys.writes.join(' | ')}`)
  t.same(sys.files.get('a.pdf')?.bytes, Buffer.from('espo edit'))
})

t.test('a refused conflict copy stops the winner: the loser is never overwritten unkept', async t => {
  const sys = new FakeSystems()
  const id = await synced(sys, 'a.pdf', 'base')
  await sys.addFile('a.pdf', 'windows edit', '2026-03-24T08:00:00+01:00')
  const doc = sys.documents.get(id)
  if (doc !== undefined) Object.assign(doc, { fileId: sys.addAttachment('espo edit'), modifiedAt: '2026-03-24 11:00:00' })
  sys.before = call => { if (call === 'espo.uploadAttachment') throw refusal('espocrm', 403, 'Not allowed file type.') }
  const result = await runPlan(sys, await planFor(sys))
  t.same(outcomes(result), ['conflict a.pdf: failed'])
  t.same(sys.files.get('a.pdf')?.bytes, Buffer.from('windows edit'), 'the share keeps the loser')
  t.match(result.state.failures, [{ source: 'windows', hash: await sys.hashOf('windows edit') }], 'the copy\'s content is booked as refused')
})

t.test('bytes that do not match the listed hash are never written', async t => {
  const sys = new FakeSystems()
  await sys.addFile('a.pdf', 'a')
  entry(sys, 'a.pdf')
  const plan = await planFor(sys)
  sys.before = (call, detail) => {
    const file = sys.files.get('a.pdf')
    // The listing was taken; the bytes change under the download (bit rot, a writer racing us).
    if (call === 'watcher.download' && detail === 'a.pdf' && file !== undefined) file.bytes = Buffer.from('b')
  }
  const result = await runPlan(sys, plan)
  t.match(result.reports.find(r => r.path === 'a.pdf'), { outcome: 'failed', permanent: false, errorKind: 'integrity' })
  t.same(sys.writes, [], 'no attachment, no Document')
})

t.test('after too many transient failures no further action starts', async t => {
  const sys = new FakeSystems()
  for (const name of ['a.pdf', 'b.pdf', 'c.pdf', 'd.pdf']) {
    await sys.addFile(name, name)
    entry(sys, name)
  }
  sys.before = call => { if (call === 'espo.uploadAttachment') throw refusal('espocrm', 503, 'maintenance') }
  const result = await runPlan(sys, await planFor(sys), { maxTransientFailures: 2 })
  t.same(outcomes(result).map(o => o.split(': ')[1]), ['failed', 'failed', 'not-run', 'not-run'])
  t.match(result.stoppedBecause, /2 transient failures/)
})

t.test('transfers report progress; independent files run side by side', async t => {
  const sys = new FakeSystems()
  for (const name of ['a.pdf', 'b.pdf', 'c.pdf']) {
    await sys.addFile(name, Buffer.alloc(1000, name))
    entry(sys, name)
  }
  let running = 0
  let peak = 0
  sys.before = async call => {
    if (call !== 'watcher.download') return
    running++
    peak = Math.max(peak, running)
    await new Promise(resolve => setTimeout(resolve, 20))
    running--
  }
  const result = await runPlan(sys, await planFor(sys), { fileConcurrency: 2 })
  t.equal(peak, 2, 'two at a time')
  t.equal(result.bytes.toEspo, 3000)
  const done = result.events.filter(e => e.type === 'transfer' && e.done)
  t.same(done.map(e => e.type === 'transfer' ? [e.path, e.bytes, e.total] : []).sort(), [['a.pdf', 1000, 1000], ['b.pdf', 1000, 1000], ['c.pdf', 1000, 1000]])
  t.equal(result.log.lines.filter(l => l.msg === 'sync action').length, 3, 'one log line per action')
})

t.test('a Document new in EspoCRM: path first, then the file, the History entry, the base', async t => {
  const sys = new FakeSystems()
  const fileId = sys.addAttachment('neu')
  const doc = sys.addDocument({ name: 'Neu.pdf', fileId, fileName: 'Neu.pdf', description: 'Neuer Vertrag' })
  const result = await runPlan(sys, await planFor(sys))
  t.same(outcomes(result), ['upload-to-windows Neu.pdf: done'])
  t.same(sys.writes.map(w => w.replace(` ${doc.id}`, '')), [
    'espo.updateDocument windowsPath',
    'watcher.upload Neu.pdf',
    'advoware.createHistoryEntry Neu.pdf',
    'espo.updateDocument advowareHistoryId,blake3Hash,fileStatus,historyArt,lastSync,publishDate,syncError,syncFileId,syncHash,syncStatus,syncUsn,windowsPath'
  ])
  t.match(sys.documents.get(doc.id), { syncUsn: String(sys.files.get('neu.pdf')?.usn), advowareHistoryId: sys.history.at(-1)?.id })
})
