import t, { type Test } from 'tap'
import { NR, hashOf, world, type World } from './helpers/sync-world.js'

/* Changes on either side after a first import, carried out against the simulators. */

const KLAGE = Buffer.from('%PDF-1.4 Klageschrift v1')

async function imported (t: Test, extra: Array<[string, string]> = []): Promise<{ w: World, docId: string }> {
  const w = await world(t)
  await w.systems.watcher.writeFile(NR, 'Klageschrift.pdf', KLAGE, { mtime: new Date(Date.now() - 3_600_000) })
  w.history('Klageschrift.pdf', { text: 'Klageschrift eingereicht' })
  for (const [path, content] of extra) {
    await w.systems.watcher.writeFile(NR, path, Buffer.from(content), { mtime: new Date(Date.now() - 3_600_000) })
    w.history(path)
  }
  const first = await w.sync()
  t.equal(first.status, 'synced', `first import: ${first.reason ?? ''}`)
  const doc = w.documents().find(d => d.windowsPath === 'Klageschrift.pdf')
  return { w, docId: String(doc?.id) }
}

t.test('a Document new in EspoCRM goes to the share with a History entry', async t => {
  const { w } = await imported(t)
  const vertrag = Buffer.from('Vertrag aus EspoCRM')
  const id = await w.newDocument('Vertrag.pdf', vertrag, { description: 'Mietvertrag' })
  const historyBefore = w.systems.advoware.history(4711).length
  const summary = await w.sync()
  t.equal(summary.status, 'synced', summary.reason ?? 'synced')
  t.equal(summary.counts['upload-to-windows'], 1)
  t.same(await w.systems.watcher.readFile(NR, 'Vertrag.pdf'), vertrag, 'file on the share')
  const history = w.systems.advoware.history(4711)
  t.equal(history.length, historyBefore + 1, 'one History entry created')
  const entry = history.at(-1)
  t.match(entry, { datei: 'Vertrag.pdf', text: 'Mietvertrag', art: 'Dokument' })
  const doc = w.systems.espo.get('Document', id)
  t.match(doc, { windowsPath: 'Vertrag.pdf', advowareHistoryId: String(entry?.id), fileStatus: 'synced', syncHash: await hashOf(vertrag) })
  const listed = (await w.systems.watcher.listing(NR))?.files.find(f => f.path === 'Vertrag.pdf')
  t.equal(doc?.sync_usn, listed?.usn)
  t.equal(summary.bytes.toWindows, vertrag.length)
  const again = await w.sync()
  t.same(Object.entries(again.counts).filter(([, n]) => n > 0), [], 'settled: the next run does nothing')
})

t.test('a change on Windows updates the Document', async t => {
  const { w, docId } = await imported(t)
  const before = w.systems.espo.get('Document', docId)
  const v2 = Buffer.from('%PDF-1.4 Klageschrift v2, überarbeitet')
  await w.systems.watcher.writeFile(NR, 'Klageschrift.pdf', v2)
  const summary = await w.sync()
  t.equal(summary.status, 'synced', summary.reason ?? 'synced')
  t.equal(summary.counts['update-document-file'], 1)
  const after = w.systems.espo.get('Document', docId)
  t.not(after?.fileId, before?.fileId, 'a new attachment')
  t.same(await w.systems.espo.readAttachment(String(after?.fileId)), v2)
  t.match(after, { syncHash: await hashOf(v2), blake3Hash: await hashOf(v2), syncFileId: after?.fileId, fileStatus: 'synced' })
  t.equal(w.documents().length, 1, 'no second Document')
})

t.test('a change in EspoCRM updates the share', async t => {
  const { w, docId } = await imported(t)
  const v2 = Buffer.from('%PDF-1.4 Klageschrift aus EspoCRM')
  const attachment = await w.systems.espo.seedAttachment({ name: 'Klageschrift.pdf', data: v2, relatedType: 'Document', field: 'file' })
  w.systems.espo.update('Document', docId, { fileId: attachment.id })
  const historyBefore = w.systems.advoware.history(4711).length
  const summary = await w.sync()
  t.equal(summary.status, 'synced', summary.reason ?? 'synced')
  t.equal(summary.counts['upload-to-windows'], 1)
  t.same(await w.systems.watcher.readFile(NR, 'Klageschrift.pdf'), v2)
  t.equal(w.systems.advoware.history(4711).length, historyBefore, 'the file is linked already: no new History entry')
  t.match(w.systems.espo.get('Document', docId), { syncHash: await hashOf(v2), syncFileId: attachment.id })
})

t.test('conflict: Windows newer wins, EspoCRM content kept as a conflict copy', async t => {
  const { w, docId } = await imported(t)
  const espoV2 = Buffer.from('EspoCRM edit')
  const attachment = await w.systems.espo.seedAttachment({ name: 'Klageschrift.pdf', data: espoV2, relatedType: 'Document', field: 'file' })
  w.systems.espo.update('Document', docId, { fileId: attachment.id })
  const winV2 = Buffer.from('Windows edit, later')
  await w.systems.watcher.writeFile(NR, 'Klageschrift.pdf', winV2, { mtime: new Date(Date.now() + 3_600_000) })
  const summary = await w.sync()
  t.equal(summary.status, 'synced', summary.reason ?? 'synced')
  t.equal(summary.counts.conflict, 1)
  const docs = w.documents()
  t.equal(docs.length, 2)
  const copy = docs.find(d => d.fileStatus === 'conflict')
  t.match(copy?.name, /^Klageschrift \(Konflikt \d{4}-\d{2}-\d{2} \d{2}-\d{2}-\d{2}\)/)
  t.same(await w.systems.espo.readAttachment(String(copy?.fileId)), espoV2, 'the loser is kept')
  t.equal(copy?.windowsPath ?? null, null, 'a copy is never synced')
  const original = w.systems.espo.get('Document', docId)
  t.same(await w.systems.espo.readAttachment(String(original?.fileId)), winV2, 'the winner overwrote')
  t.same(await w.systems.watcher.readFile(NR, 'Klageschrift.pdf'), winV2)
  t.ok(String(copy?.createdAt) <= String(original?.modifiedAt), 'copy made before the overwrite')
  const again = await w.sync()
  t.same(Object.entries(again.counts).filter(([, n]) => n > 0), [], 'settled')
})

t.test('conflict: EspoCRM newer wins, Windows content kept as a conflict copy', async t => {
  const { w, docId } = await imported(t)
  await w.systems.watcher.writeFile(NR, 'Klageschrift.pdf', Buffer.from('Windows edit, earlier'), { mtime: new Date(Date.now() - 1_800_000) })
  const espoV2 = Buffer.from('EspoCRM edit, later')
  const attachment = await w.systems.espo.seedAttachment({ name: 'Klageschrift.pdf', data: espoV2, relatedType: 'Document', field: 'file' })
  w.systems.espo.update('Document', docId, { fileId: attachment.id })
  const summary = await w.sync()
  t.equal(summary.status, 'synced', summary.reason ?? 'synced')
  t.equal(summary.counts.conflict, 1)
  const copy = w.documents().find(d => d.fileStatus === 'conflict')
  t.same(await w.systems.espo.readAttachment(String(copy?.fileId)), Buffer.from('Windows edit, earlier'))
  t.same(await w.systems.watcher.readFile(NR, 'Klageschrift.pdf'), espoV2)
})

t.test('deleted on Windows: the Document is soft-deleted, its file kept', async t => {
  const { w, docId } = await imported(t, [['Anlage.pdf', 'Anlage']])
  const before = w.systems.espo.get('Document', docId)
  await w.systems.watcher.deleteFile(NR, 'Klageschrift.pdf')
  const summary = await w.sync()
  t.equal(summary.status, 'synced', summary.reason ?? 'synced')
  t.equal(summary.counts['soft-delete-document'], 1)
  const after = w.systems.espo.get('Document', docId)
  t.match(after, { fileStatus: 'deleted', fileId: before?.fileId })
  t.ok(w.systems.espo.attachmentFileExists(String(before?.fileId)), 'attachment kept')
  const again = await w.sync()
  t.same(Object.entries(again.counts).filter(([, n]) => n > 0), [], 'settled')
})

t.test('renamed on Windows: the Document follows', async t => {
  const { w, docId } = await imported(t)
  await w.systems.watcher.renameFile(NR, 'Klageschrift.pdf', 'Schriftsatz/Klageschrift final.pdf')
  const entry = w.history('Schriftsatz/Klageschrift final.pdf', { text: 'Klageschrift (final)' })
  const summary = await w.sync()
  t.equal(summary.status, 'synced', summary.reason ?? 'synced')
  t.equal(summary.counts['move-document'], 1)
  t.equal(summary.counts['soft-delete-document'], 0)
  t.match(w.systems.espo.get('Document', docId), { windowsPath: 'Schriftsatz/Klageschrift final.pdf', advowareHistoryId: String(entry), fileStatus: 'synced' })
  t.equal(w.documents().length, 1)
})
