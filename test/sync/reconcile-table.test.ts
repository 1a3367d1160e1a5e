import t from 'tap'
import type { Plan } from '../../src/sync/types.js'
import {
  AKTE, baseEntry, changedInEspo, entry, file, labels, newDoc, only, plan, state, syncedDoc, type Scenario
} from './helpers/builders.js'

/*
 * The truth table: one row per rule of the issue, each with the action kinds
 * the plan must hold. Rows may check details of the action as well.
 */

const e1 = entry('1', 'Klage.pdf')
const synced = syncedDoc('d1', 'Klage.pdf', 'h1', e1)
const base = state([baseEntry(synced)])
const espoChange = changedInEspo(synced, 'h2')

type Assert = Pick<typeof t, 'equal' | 'same' | 'match' | 'ok'>

interface Row {
  name: string
  scenario: Scenario
  expect: string[]
  check?: (t: Assert, p: Plan) => void
}

const rows: Row[] = [
  {
    name: 'new on Windows -> create the Document with History metadata',
    scenario: { files: [file('Klage.pdf', 'h1')], history: [e1] },
    expect: ['create-document'],
    check: (t, p) => {
      const a = only(p, 'create-document')
      t.match(a.newDocument, {
        name: 'Klage.pdf', publishDate: '2026-03-20', description: 'Eintrag 1', historyArt: 'Schriftsatz',
        advowareHistoryId: '1', windowsPath: 'Klage.pdf', fileStatus: 'synced'
      })
      t.same(a.windows, { path: 'Klage.pdf', state: 'present', usn: '100', hash: 'h1' })
      t.same(a.base, { op: 'set', entry: { key: 'klage.pdf', path: 'Klage.pdf', hash: 'h1', usn: '100', fileId: null, documentId: null }, fromResult: ['fileId', 'documentId'], previousKey: null })
      t.equal(a.direction, 'windows->espo')
      t.equal(a.size, 1000)
    }
  },
  {
    name: 'new on Windows, History datum unreadable -> publishDate is the file date in Berlin',
    scenario: { files: [file('Klage.pdf', 'h1', { modified: '2026-03-23T23:30:00+00:00' })], history: [entry('1', 'Klage.pdf', { datum: 'gestern' })] },
    expect: ['create-document'],
    check: (t, p) => t.equal(only(p, 'create-document').newDocument.publishDate, '2026-03-24')
  },
  { name: 'new on Windows, not linked from the History -> not synced', scenario: { files: [file('Notiz.pdf', 'h1')] }, expect: [] },
  {
    name: 'Office lock file linked from the History -> never synced',
    scenario: { files: [file('~$Klage.docx', 'h1'), file('x.tmp', 'h2')], history: [entry('1', '~$Klage.docx'), entry('2', 'x.tmp')] },
    expect: []
  },
  {
    name: 'configured ignore pattern -> never synced',
    scenario: { files: [file('Scan/roh.tif', 'h1')], history: [entry('1', 'Scan/roh.tif')], options: { ignorePatterns: ['scan/**'] } },
    expect: []
  },
  {
    name: 'new in EspoCRM -> upload under its name and link it from the History',
    scenario: { documents: [newDoc('d9', { name: 'Vollmacht', fileName: 'vollmacht.pdf', description: 'Vollmacht Mandant' })], hashes: [['d9', 'h9']] },
    expect: ['upload-to-windows'],
    check: (t, p) => {
      const a = only(p, 'upload-to-windows')
      t.equal(a.path, 'Vollmacht.pdf')
      t.same(a.windows, { path: 'Vollmacht.pdf', state: 'absent' })
      t.same(a.historyEntry, { datum: '2026-03-24T13:00:00', text: 'Vollmacht Mandant', art: 'Dokument', datei: 'Vollmacht.pdf' })
      t.match(a.patch, { windowsPath: 'Vollmacht.pdf', publishDate: '2026-03-24', historyArt: 'Dokument', fileStatus: 'synced' })
      t.same(a.base, { op: 'set', entry: { key: 'vollmacht.pdf', path: 'Vollmacht.pdf', hash: 'h9', usn: null, fileId: 'file-d9', documentId: 'd9' }, fromResult: ['path', 'usn'], previousKey: null })
      t.equal(a.direction, 'espo->windows')
    }
  },
  {
    name: 'new in EspoCRM with windowsPath, file missing on Windows -> upload to that path',
    scenario: { documents: [newDoc('d9', { windowsPath: 'Sub\\Anlage.pdf' })], hashes: [['d9', 'h9']], history: [entry('5', 'Sub/Anlage.pdf')] },
    expect: ['upload-to-windows'],
    check: (t, p) => {
      const a = only(p, 'upload-to-windows')
      t.equal(a.path, 'Sub/Anlage.pdf')
      t.equal(a.historyEntry, null, 'the History already links the path')
      t.equal(a.patch.advowareHistoryId, '5')
    }
  },
  {
    name: 'new on both sides with the same content -> link, no transfer',
    scenario: { files: [file('Klage.pdf', 'h1')], history: [e1], documents: [newDoc('d9', { windowsPath: 'Klage.pdf' })], hashes: [['d9', 'h1']] },
    expect: ['link'],
    check: (t, p) => {
      const a = only(p, 'link')
      t.equal(a.direction, 'none')
      t.equal(a.historyEntry, null)
      t.same(a.base, { op: 'set', entry: { key: 'klage.pdf', path: 'Klage.pdf', hash: 'h1', usn: '100', fileId: 'file-d9', documentId: 'd9' }, fromResult: [], previousKey: null })
    }
  },
  {
    name: 'new on both sides, different, Windows newer -> conflict, Windows wins',
    scenario: { files: [file('Klage.pdf', 'h1', { modified: '2026-03-24T11:00:00+01:00' })], history: [e1], documents: [newDoc('d9', { windowsPath: 'Klage.pdf', modifiedAt: '2026-03-24 09:59:59' })], hashes: [['d9', 'h2']] },
    expect: ['conflict:windows-wins']
  },
  {
    name: 'new on both sides, different, EspoCRM newer -> conflict, EspoCRM wins',
    scenario: { files: [file('Klage.pdf', 'h1', { modified: '2026-03-24T11:00:00+01:00' })], history: [e1], documents: [newDoc('d9', { windowsPath: 'Klage.pdf', modifiedAt: '2026-03-24 10:00:01' })], hashes: [['d9', 'h2']] },
    expect: ['conflict:espo-wins']
  },
  {
    name: 'unchanged on both sides -> skip, no write',
    scenario: { files: [file('Klage.pdf', 'h1')], history: [e1], documents: [synced], state: base },
    expect: ['skip:unchanged'],
    check: (t, p) => t.equal(p.counts.writes, 0)
  },
  {
    name: 'USN moved, same hash -> only the base moves on',
    scenario: { files: [file('Klage.pdf', 'h1', { usn: '18446744073709551615' })], history: [e1], documents: [synced], state: base },
    expect: ['advance-base'],
    check: (t, p) => {
      const a = only(p, 'advance-base')
      t.same(a.patch, {})
      t.match(a.base, { op: 'set', entry: { usn: '18446744073709551615', hash: 'h1' } })
    }
  },
  {
    name: 'same USN with leading zeros -> unchanged',
    scenario: { files: [file('Klage.pdf', 'h1', { usn: '00100' })], history: [e1], documents: [synced], state: base },
    expect: ['skip:unchanged']
  },
  {
    name: 'changed on Windows -> update the Document\'s attachment',
    scenario: { files: [file('Klage.pdf', 'h2', { usn: '200' })], history: [e1], documents: [synced], state: base },
    expect: ['update-document-file'],
    check: (t, p) => {
      const a = only(p, 'update-document-file')
      t.same(a.document, { documentId: 'd1', fileId: 'file-d1', modifiedAt: synced.modifiedAt, hash: 'h1' })
      t.same(a.base, { op: 'set', entry: { key: 'klage.pdf', path: 'Klage.pdf', hash: 'h2', usn: '200', fileId: null, documentId: 'd1' }, fromResult: ['fileId'], previousKey: null })
    }
  },
  {
    name: 'changed in EspoCRM -> upload to Windows over the existing file',
    scenario: { files: [file('Klage.pdf', 'h1')], history: [e1], documents: [espoChange.doc], hashes: [espoChange.hash], state: base },
    expect: ['upload-to-windows'],
    check: (t, p) => {
      const a = only(p, 'upload-to-windows')
      t.same(a.windows, { path: 'Klage.pdf', state: 'present', usn: '100', hash: 'h1' })
      t.equal(a.historyEntry, null)
      t.equal(a.document?.hash, 'h2')
    }
  },
  {
    name: 'changed on both sides to the same content -> base moves on, no conflict',
    scenario: { files: [file('Klage.pdf', 'h2', { usn: '200' })], history: [e1], documents: [espoChange.doc], hashes: [espoChange.hash], state: base },
    expect: ['advance-base']
  },
  {
    name: 'changed on both sides, Windows newer -> conflict, Windows wins',
    scenario: { files: [file('Klage.pdf', 'h3', { usn: '200', modified: '2026-03-24T10:00:00+01:00' })], history: [e1], documents: [{ ...espoChange.doc, modifiedAt: '2026-03-24 08:59:00' }], hashes: [espoChange.hash], state: base },
    expect: ['conflict:windows-wins'],
    check: (t, p) => {
      const a = only(p, 'conflict')
      t.equal(a.copy.from, 'espo')
      t.equal(a.copy.hash, 'h2')
      t.equal(a.copy.newDocument.name, 'Klage (Konflikt 2026-03-24 13-00-00).pdf')
      t.equal(a.copy.newDocument.fileStatus, 'conflict')
      t.equal(a.copy.newDocument.windowsPath, null)
      t.equal(a.then.kind, 'update-document-file')
      t.same(a.base, a.then.base)
    }
  },
  {
    name: 'changed on both sides, EspoCRM newer -> conflict, EspoCRM wins',
    scenario: { files: [file('Klage.pdf', 'h3', { usn: '200', modified: '2026-03-24T10:00:00+01:00' })], history: [e1], documents: [{ ...espoChange.doc, modifiedAt: '2026-03-24 09:01:00' }], hashes: [espoChange.hash], state: base },
    expect: ['conflict:espo-wins'],
    check: (t, p) => {
      const a = only(p, 'conflict')
      t.match(a.copy, { from: 'windows', hash: 'h3', size: 1000 })
      t.equal(a.then.kind, 'upload-to-windows')
      t.same(a.then.windows, { path: 'Klage.pdf', state: 'present', usn: '200', hash: 'h3' })
    }
  },
  {
    name: 'changed on both sides at the same instant -> Windows wins',
    scenario: { files: [file('Klage.pdf', 'h3', { usn: '200', modified: '2026-03-24T10:00:00+01:00' })], history: [e1], documents: [{ ...espoChange.doc, modifiedAt: '2026-03-24 09:00:00' }], hashes: [espoChange.hash], state: base },
    expect: ['conflict:windows-wins']
  },
  {
    name: 'changed on both sides, unreadable time -> Windows wins',
    scenario: { files: [file('Klage.pdf', 'h3', { usn: '200', modified: 'kaputt' })], history: [e1], documents: [{ ...espoChange.doc, modifiedAt: '2030-01-01 00:00:00' }], hashes: [espoChange.hash], state: base },
    expect: ['conflict:windows-wins']
  },
  {
    name: 'deleted on Windows, unchanged in EspoCRM -> soft-delete the Document',
    scenario: { history: [e1], documents: [synced], state: base, files: [file('Other.pdf', 'h7')] },
    expect: ['soft-delete-document'],
    check: (t, p) => {
      const a = only(p, 'soft-delete-document')
      t.same(a.patch, { fileStatus: 'deleted' })
      t.same(a.windows, { path: 'Klage.pdf', state: 'absent' })
      t.same(a.base, { op: 'forget' })
    }
  },
  {
    name: 'deleted in EspoCRM, unchanged on Windows -> tombstone, file stays',
    scenario: { files: [file('Klage.pdf', 'h1')], history: [e1], state: base },
    expect: ['tombstone'],
    check: (t, p) => {
      t.match(only(p, 'tombstone').base, { op: 'tombstone', tombstone: { key: 'klage.pdf', hash: 'h1', documentId: 'd1', deletedAt: '2026-03-24T12:00:00.000Z' } })
      t.equal(p.counts.writes, 0, 'the store only')
    }
  },
  {
    name: 'tombstoned file still unchanged -> not re-created',
    scenario: { files: [file('Klage.pdf', 'h1', { usn: '300' })], history: [e1], state: state([], { tombstones: [{ key: 'klage.pdf', path: 'Klage.pdf', hash: 'h1', documentId: 'd1', deletedAt: 'x' }] }) },
    expect: ['skip:tombstoned']
  },
  {
    name: 'deleted on Windows, changed in EspoCRM -> the change survives: upload',
    scenario: { history: [e1], documents: [espoChange.doc], hashes: [espoChange.hash], state: base, files: [file('Other.pdf', 'h7')] },
    expect: ['upload-to-windows'],
    check: (t, p) => t.same(only(p, 'upload-to-windows').windows, { path: 'Klage.pdf', state: 'absent' })
  },
  {
    name: 'deleted in EspoCRM, changed on Windows -> the change survives: re-create',
    scenario: { files: [file('Klage.pdf', 'h2', { usn: '200' })], history: [e1], state: base },
    expect: ['create-document']
  },
  {
    name: 'tombstoned, then changed on Windows -> re-create',
    scenario: { files: [file('Klage.pdf', 'h2')], history: [e1], state: state([], { tombstones: [{ key: 'klage.pdf', path: 'Klage.pdf', hash: 'h1', documentId: 'd1', deletedAt: 'x' }] }) },
    expect: ['create-document']
  },
  {
    name: 'gone on both sides -> forget the base',
    scenario: { history: [e1], state: state([baseEntry(synced)], { tombstones: [{ key: 'alt.pdf', path: 'Alt.pdf', hash: 'h5', documentId: null, deletedAt: 'x' }] }), files: [file('Other.pdf', 'h7')] },
    expect: ['forget', 'forget']
  },
  {
    name: 'renamed on Windows -> the Document follows, nothing deleted',
    scenario: { files: [file('Neu/Klage final.pdf', 'h1', { usn: '300' })], history: [e1, entry('2', 'Neu/Klage final.pdf')], documents: [synced], state: base },
    expect: ['move-document'],
    check: (t, p) => {
      const a = only(p, 'move-document')
      t.equal(a.fromPath, 'Klage.pdf')
      t.match(a.patch, { windowsPath: 'Neu/Klage final.pdf', advowareHistoryId: '2' })
      t.match(a.base, { op: 'set', entry: { key: 'neu/klage final.pdf', usn: '300', documentId: 'd1' }, previousKey: 'klage.pdf' })
    }
  },
  {
    name: 'History text changed -> only the mirrored fields are written',
    scenario: { files: [file('Klage.pdf', 'h1')], history: [{ ...e1, text: 'Klage eingereicht', datum: '2026-03-21T00:30:00' }], documents: [synced], state: base },
    expect: ['update-metadata'],
    check: (t, p) => t.same(only(p, 'update-metadata').patch, { description: 'Klage eingereicht', publishDate: '2026-03-21' })
  },
  {
    name: 'conflict copies are never synced or uploaded',
    scenario: { documents: [newDoc('c1', { name: 'Klage (Konflikt 2026-03-01 10-00-00).pdf', fileStatus: 'conflict' }), newDoc('c2', { windowsPath: 'Klage.pdf', fileStatus: 'conflict' })], hashes: [['c1', 'h1'], ['c2', 'h2']] },
    expect: []
  },
  {
    name: 'soft-deleted Document, file still gone -> nothing to do',
    scenario: { documents: [{ ...synced, fileStatus: 'deleted' }], history: [e1], files: [file('Other.pdf', 'h7')] },
    expect: ['skip:deleted-on-windows']
  },
  {
    name: 'soft-deleted Document changed in EspoCRM -> restored on Windows',
    scenario: { documents: [{ ...espoChange.doc, fileStatus: 'deleted' }], hashes: [espoChange.hash], history: [e1], files: [file('Other.pdf', 'h7')] },
    expect: ['upload-to-windows'],
    check: (t, p) => t.equal(only(p, 'upload-to-windows').patch.fileStatus, 'synced')
  },
  {
    name: 'soft-deleted Document, file back with the same content -> revived by link',
    scenario: { documents: [{ ...synced, fileStatus: 'deleted' }], history: [e1], files: [file('Klage.pdf', 'h1', { usn: '500' })] },
    expect: ['link']
  },
  {
    name: 'soft-deleted Document, file back with new content -> revived with it',
    scenario: { documents: [{ ...synced, fileStatus: 'deleted' }], history: [e1], files: [file('Klage.pdf', 'h4', { usn: '500' })] },
    expect: ['update-document-file']
  },
  {
    name: 'new in EspoCRM with a lock-file name -> never uploaded',
    scenario: { documents: [newDoc('d9', { name: '~$Klage.docx' })], hashes: [['d9', 'h9']] },
    expect: ['skip:ignored']
  },
  {
    name: 'archived Akte -> no file actions at all',
    scenario: { files: [file('Klage.pdf', 'h2')], history: [e1], documents: [synced], state: base, akte: { ...AKTE, archived: true, archivedAt: '2026-03-01' } },
    expect: [],
    check: (t, p) => {
      t.equal(p.status, 'archived')
      t.match(p.reason, /archived/)
    }
  }
]

for (const row of rows) {
  t.test(row.name, async t => {
    const p = plan(row.scenario)
    t.same(labels(p), [...row.expect].sort())
    row.check?.(t, p)
  })
}

t.test('an unchanged Akte plans no write at all', async t => {
  const docs = ['a', 'b', 'c'].map((n, i) => syncedDoc(`d${i}`, `${n}.pdf`, `h${i}`, entry(String(i), `${n}.pdf`)))
  const p = plan({
    files: docs.map(d => file(d.windowsPath ?? '', d.syncHash ?? '')),
    history: docs.map((_, i) => entry(String(i), `${['a', 'b', 'c'][i] ?? ''}.pdf`)),
    documents: docs,
    state: state(docs.map(baseEntry))
  })
  t.equal(p.counts.writes, 0)
  t.ok(p.actions.every(a => a.kind === 'skip'))
})

t.test('renames with several files of one content pair in key order', async t => {
  const docs = [syncedDoc('d1', 'a.pdf', 'h1'), syncedDoc('d2', 'b.pdf', 'h1'), syncedDoc('d3', 'c.pdf', 'h1')]
  const files = [file('y.pdf', 'h1'), file('x.pdf', 'h1')]
  const p = plan({ files, documents: docs, history: [entry('1', 'x.pdf'), entry('2', 'y.pdf')], state: state(docs.map(baseEntry)), options: { force: true } })
  const moves = p.actions.filter(a => a.kind === 'move-document').map(a => `${a.kind === 'move-document' ? a.fromPath : ''}->${a.path}`)
  t.same(moves, ['a.pdf->x.pdf', 'b.pdf->y.pdf'])
  t.same(labels(p), ['move-document', 'move-document', 'soft-delete-document'])
  const again = plan({ files: [...files].reverse(), documents: [...docs].reverse(), history: [entry('2', 'y.pdf'), entry('1', 'x.pdf')], state: state(docs.map(baseEntry)), options: { force: true } })
  t.same(again.actions, p.actions, 'input order does not matter')
})

t.test('soft-deletes come last, conflicts copy before they overwrite', async t => {
  const p = plan({
    files: [file('Neu.pdf', 'h5'), file('Klage.pdf', 'h3', { usn: '200' })],
    history: [e1, entry('2', 'Neu.pdf'), entry('3', 'Weg.pdf')],
    documents: [{ ...espoChange.doc, modifiedAt: '2026-03-24 11:00:00' }, syncedDoc('d3', 'Weg.pdf', 'h6', entry('3', 'Weg.pdf'))],
    hashes: [espoChange.hash],
    state: state([baseEntry(synced)])
  })
  t.same(p.actions.map(a => a.kind), ['create-document', 'conflict', 'soft-delete-document'])
})
