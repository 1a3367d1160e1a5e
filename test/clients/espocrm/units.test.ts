import t from 'tap'
import { Readable } from 'node:stream'
import { FieldMap, formatEspoDate, formatEspoDateTime, isEspoDateTime, parseEspoDate, parseEspoDateTime, toEspoDateTime } from '../../../src/clients/espocrm/index.js'
import { rechunk } from '../../../src/clients/espocrm/rechunk.js'
import { fileNameFrom } from '../../../src/clients/espocrm/download.js'

t.test('datetimes are UTC without zone', async t => {
  const d = new Date('2026-03-24T10:15:07.900Z')
  t.equal(formatEspoDateTime(d), '2026-03-24 10:15:07')
  t.equal(formatEspoDate(d), '2026-03-24')
  t.equal(parseEspoDateTime('2026-03-24 10:15:07').toISOString(), '2026-03-24T10:15:07.000Z')
  t.equal(parseEspoDateTime('2026-03-24 10:15').toISOString(), '2026-03-24T10:15:00.000Z')
  t.equal(parseEspoDate('2026-02-28').toISOString(), '2026-02-28T00:00:00.000Z')
  t.equal(toEspoDateTime('2026-01-01 00:00:00'), '2026-01-01 00:00:00')
  t.equal(toEspoDateTime(new Date(Date.UTC(2025, 11, 31, 23, 59, 59))), '2025-12-31 23:59:59')
  for (const bad of ['2026-03-24T10:15:07Z', '2026-02-30 10:00:00', '2026-03-24 24:00:00', '24.03.2026', '']) {
    t.notOk(isEspoDateTime(bad), bad)
  }
  t.ok(isEspoDateTime('2026-03-24 10:15:07'))
  t.throws(() => parseEspoDate('2026-02-30'))
  t.throws(() => formatEspoDateTime(new Date('nope')))
})

t.test('field map: defaults, prefixes, patches', async t => {
  const plain = new FieldMap()
  const doc = plain.toDomainDocument({ id: 'd1', name: 'a.pdf', sync_usn: '123', advowareHistoryId: 17, akteId: 'a1', fileStatus: 'synced', versionNumber: 3 })
  t.match(doc, { id: 'd1', syncUsn: '123', advowareHistoryId: '17', akteId: 'a1', fileStatus: 'synced', versionNumber: 3, blake3Hash: null })
  t.same(plain.toEspoPatch({ syncUsn: '9', blake3Hash: null, windowsPath: undefined }), { sync_usn: '9', blake3Hash: null })

  const prefixed = new FieldMap({ document: { syncHash: 'cSyncHash', syncUsn: 'cSyncUsn', akteId: 'cAkteId' }, akte: { aktennummer: 'cAktennummer' } })
  t.same(prefixed.toEspoPatch({ syncHash: 'h', syncUsn: '1', name: 'n' }), { cSyncHash: 'h', cSyncUsn: '1', name: 'n' })
  t.equal(prefixed.toDomainDocument({ id: 'd', cAkteId: 'x' }).akteId, 'x')
  t.equal(prefixed.toDomainAkte({ id: 'a', cAktennummer: '12/26' }).aktennummer, '12/26')
  t.ok(prefixed.documentSelect().includes('cSyncUsn'))
  t.same(prefixed.toEspoAktePatch({ syncStatus: 'synced', lastSync: '2026-03-24 10:00:00' }), { syncStatus: 'synced', lastSync: '2026-03-24 10:00:00' })

  t.throws(() => plain.toDomainDocument({ name: 'no id' }))
  t.throws(() => plain.toEspoPatch({ type: 'Contract' } as never), /unknown field 'type'/, 'History types never reach the Document.type enum')
  t.same(plain.toEspoPatch({ modifiedAt: 'x' } as never), {}, 'EspoCRM timestamps are never written')
})

t.test('rechunk regroups into exact pieces', async t => {
  const source = Readable.from([Buffer.alloc(3, 1), Buffer.alloc(10, 2), Buffer.alloc(1, 3)])
  const sizes: number[] = []
  const all: Buffer[] = []
  for await (const piece of rechunk(source, 4)) { sizes.push(piece.length); all.push(piece) }
  t.same(sizes, [4, 4, 4, 2])
  t.same(Buffer.concat(all), Buffer.concat([Buffer.alloc(3, 1), Buffer.alloc(10, 2), Buffer.alloc(1, 3)]))
  const none: Buffer[] = []
  for await (const piece of rechunk(Readable.from([]), 4)) none.push(piece)
  t.same(none, [])
  await t.rejects(async () => { for await (const _ of rechunk(Readable.from([Buffer.alloc(1)]), 0)) void _ }, RangeError)
})

t.test('file names from Content-Disposition', async t => {
  t.equal(fileNameFrom('attachment; filename="Klageschrift.pdf"'), 'Klageschrift.pdf')
  t.equal(fileNameFrom('attachment; filename*=UTF-8\'\'Schrifts%C3%A4tze%20neu.pdf; filename="Schriftsatze neu.pdf"'), 'Schriftsätze neu.pdf')
  t.equal(fileNameFrom('inline; filename=plain.txt'), 'plain.txt')
  t.equal(fileNameFrom('attachment; filename="say \\"hi\\".txt"'), 'say "hi".txt')
  t.equal(fileNameFrom('attachment'), null)
  t.equal(fileNameFrom(null), null)
})
