import t from 'tap'
import { AKTE_OF_DOCUMENT, AKTE_BY_ID } from '../../src/webhooks/inbox.js'
import { ADVOWARE_ID, NR, hashOf, world } from './helpers/sync-world.js'

/* First import and the steady state after it, against the simulators over real HTTP. */

t.test('first import: files linked from the History become Documents', async t => {
  const w = await world(t)
  const klage = Buffer.from('%PDF-1.4 Klageschrift '.repeat(2000))
  const notiz = Buffer.from('Notiz zur Akte')
  await w.systems.watcher.writeFile(NR, 'Schriftsatz/Klageschrift.pdf', klage)
  await w.systems.watcher.writeFile(NR, 'Notiz.txt', notiz)
  await w.systems.watcher.writeFile(NR, 'nicht verlinkt.pdf', Buffer.from('unlinked'))
  w.history('D:\\Advoware\\Akten\\2026-0042\\Schriftsatz\\Klageschrift.pdf', { datum: '2026-03-24T00:30:00', text: 'Klageschrift eingereicht', art: 'Schriftsatz' })
  w.history('Notiz.txt', { datum: '2026-03-02T14:00:00', text: 'Notiz', art: 'Notiz' })

  const summary = await w.sync()
  t.equal(summary.status, 'synced', summary.reason ?? 'synced')
  t.equal(summary.counts['create-document'], 2)
  t.equal(summary.bytes.toEspo, klage.length + notiz.length)
  t.same(summary.errors, [])

  const docs = w.documents()
  t.equal(docs.length, 2, 'the unlinked file stays out')
  const klageDoc = docs.find(d => d.windowsPath === 'Schriftsatz/Klageschrift.pdf')
  t.ok(klageDoc, 'Document at the Windows path')
  t.equal(klageDoc?.name, 'Klageschrift.pdf')
  t.match(klageDoc, {
    publishDate: '2026-03-24',
    description: 'Klageschrift eingereicht',
    historyArt: 'Schriftsatz',
    fileStatus: 'synced',
    syncStatus: 'synced',
    syncError: null,
    blake3Hash: await hashOf(klage),
    syncHash: await hashOf(klage)
  })
  t.equal(klageDoc?.syncFileId, klageDoc?.fileId, 'base fileId is the attachment written')
  const listed = (await w.systems.watcher.listing(NR))?.files.find(f => f.path === 'Schriftsatz/Klageschrift.pdf')
  t.equal(klageDoc?.sync_usn, listed?.usn, 'base USN is the listed one, as a string')
  t.ok(typeof klageDoc?.advowareHistoryId === 'string' && klageDoc.advowareHistoryId !== '')
  t.same(await w.systems.espo.readAttachment(String(klageDoc?.fileId)), klage, 'bytes equal')

  const akte = w.systems.espo.get('CAkte', w.akteId)
  t.match(akte, { syncStatus: 'synced', syncError: null })
  t.ok(typeof akte?.lastSync === 'string')
  t.equal(await w.store.getState(AKTE_BY_ID, w.akteId), NR, 'webhook index: Akte id')
  for (const doc of docs) t.equal(await w.store.getState(AKTE_OF_DOCUMENT, String(doc.id)), NR, 'webhook index: Document id')
  t.ok(w.log.lines.some(l => l.msg === 'sync action' && l.obj.kind === 'create-document' && l.obj.path === 'Notiz.txt' && l.obj.bytes === notiz.length),
    'one log line per action with kind, path and bytes')
  t.ok(await w.store.getState('result', NR), 'last result kept')
  t.equal((await w.store.getState<unknown[]>('recent-actions', NR))?.length, 2)
  void ADVOWARE_ID
})

t.test('a second run after a clean run makes no write and at most 10 requests', async t => {
  const w = await world(t)
  for (let i = 0; i < 5; i++) {
    await w.systems.watcher.writeFile(NR, `Datei ${i}.pdf`, Buffer.from(`Inhalt ${i}`))
    w.history(`Datei ${i}.pdf`)
  }
  await w.newDocument('Vertrag.pdf', Buffer.from('Vertrag aus EspoCRM'))
  const first = await w.sync()
  t.equal(first.status, 'synced', first.reason ?? 'synced')
  t.equal(first.counts['create-document'], 5)
  t.equal(first.counts['upload-to-windows'], 1)

  w.resetRequests()
  const calm = await w.sync()
  t.equal(calm.status, 'synced')
  const writes = w.writes()
  t.same(writes, [`PUT /api/v1/CAkte/${w.akteId}`], 'the only write is the Akte record')
  const requests = w.requests()
  t.ok(requests.total <= 10, `requests: ${JSON.stringify(requests)}`)
  t.same(requests, { espo: 3, advoware: 2, watcher: 1, total: 6 }, 'Akte record, one Document page, Akte write; Akte + History; listing')
  t.same(Object.entries(calm.counts).filter(([, n]) => n > 0), [], 'no action carried out')
})

t.test('an unchanged Akte of 1,000 files costs 10 requests (clarification 2)', async t => {
  const w = await world(t)
  const files = 1000
  for (let i = 0; i < files; i++) {
    const name = `Ordner ${i % 10}/Datei ${String(i).padStart(4, '0')}.txt`
    await w.systems.watcher.writeFile(NR, name, Buffer.from(`Inhalt ${i}`))
    w.history(name)
  }
  w.deps.options = { ...w.deps.options, fileConcurrency: 8 }
  const first = await w.sync()
  t.equal(first.status, 'synced', first.reason ?? 'synced')
  t.equal(first.counts['create-document'], files)

  w.resetRequests()
  const calm = await w.sync()
  t.equal(calm.status, 'synced')
  t.same(w.writes(), [`PUT /api/v1/CAkte/${w.akteId}`], 'no Document, file or History write')
  t.same(w.requests(), { espo: 7, advoware: 2, watcher: 1, total: 10 }, '1 Akte record + 5 Document pages + 1 Akte write; Akte + History; listing')
})
