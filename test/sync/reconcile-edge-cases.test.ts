import t from 'tap'
import type { Plan } from '../../src/sync/types.js'
import {
  baseEntry, changedInEspo, entry, file, labels, newDoc, only, plan, state, syncedDoc, type Scenario
} from './helpers/builders.js'

/*
 * The truth table's edge cases: hashes nobody computed, refusals, names,
 * duplicates, History quirks, and what an interrupted run leaves behind.
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
    name: 'refused before for the same content -> not retried',
    scenario: { files: [file('Mail.msg', 'h1')], history: [entry('1', 'Mail.msg')], state: state([], { failures: [{ source: 'windows', key: 'mail.msg', hash: 'h1', documentId: null, fileId: null, reason: 'Not allowed file type.', at: 'x' }] }) },
    expect: ['skip:permanent-failure']
  },
  {
    name: 'refused before, content changed since -> tried again',
    scenario: { files: [file('Mail.msg', 'h2')], history: [entry('1', 'Mail.msg')], state: state([], { failures: [{ source: 'windows', key: 'mail.msg', hash: 'h1', documentId: null, fileId: null, reason: 'Not allowed file type.', at: 'x' }] }) },
    expect: ['create-document']
  },
  {
    name: 'attachment changed but nobody hashed it -> skipped, not guessed',
    scenario: { files: [file('Klage.pdf', 'h1')], history: [e1], documents: [espoChange.doc], state: base },
    expect: ['skip:hash-missing']
  },
  {
    name: 'attachment re-uploaded with the same content -> base records the new fileId',
    scenario: { files: [file('Klage.pdf', 'h1')], history: [e1], documents: [changedInEspo(synced, 'h1').doc], hashes: [[synced.id, 'h1']], state: base },
    expect: ['advance-base'],
    check: (t, p) => t.match(only(p, 'advance-base').base, { entry: { fileId: 'file-d1-v2' } })
  },
  {
    name: 'synced file no longer linked from the History -> stays synced, no delete',
    scenario: { files: [file('Klage.pdf', 'h1')], documents: [synced], state: base },
    expect: ['skip:unchanged']
  },
  {
    name: 'windowsPath spelled in another case and Unicode form -> same file',
    scenario: {
      files: [file('Schriftsätze/Klage.pdf', 'h1')],
      history: [entry('1', 'D:\\Advoware\\Akten\\12345\\Schriftsätze\\Klage.pdf')],
      documents: [syncedDoc('d1', 'SCHRIFTSA\u0308TZE/klage.PDF', 'h1', entry('1', 'x'))],
      state: null
    },
    expect: ['skip:unchanged']
  },
  {
    name: 'hostile EspoCRM name -> a valid name inside the Akte folder',
    scenario: { documents: [newDoc('d9', { windowsPath: '..\\..\\Windows\\System32\\CON.pdf' }), newDoc('d8', { name: 'a<b>:c?.pdf ', fileName: 'x.pdf' })], hashes: [['d9', 'h9'], ['d8', 'h8']] },
    expect: ['upload-to-windows', 'upload-to-windows'],
    check: (t, p) => t.same(p.actions.map(a => a.path).sort(), ['Windows/System32/_CON.pdf', 'a_b__c_.pdf'])
  },
  {
    name: 'name that cannot be made valid -> permanent skip with a reason',
    scenario: { documents: [newDoc('d9', { name: ' .. ', fileName: null })], hashes: [['d9', 'h9']] },
    expect: ['skip:invalid-name']
  },
  {
    name: 'two new Documents and a file with one name -> (2), (3)',
    scenario: { files: [file('Vertrag.pdf', 'h1')], documents: [newDoc('d2', { name: 'vertrag.PDF', createdAt: '2026-01-02 00:00:00' }), newDoc('d1', { name: 'Vertrag', fileName: 'v.pdf', createdAt: '2026-01-01 00:00:00' })], hashes: [['d1', 'h8'], ['d2', 'h9']] },
    expect: ['upload-to-windows', 'upload-to-windows'],
    check: (t, p) => t.same(p.actions.map(a => `${a.document?.documentId ?? ''}:${a.path}`), ['d1:Vertrag (2).pdf', 'd2:vertrag (3).PDF'])
  },
  {
    name: 'new in EspoCRM, hash not computed -> skipped',
    scenario: { documents: [newDoc('d9')] },
    expect: ['skip:hash-missing']
  },
  {
    name: 'upload refused before for the same attachment -> not retried, not even hashed',
    scenario: {
      documents: [newDoc('d9', { name: 'Riesig.pdf' })],
      state: state([], { failures: [{ source: 'espo', key: 'riesig.pdf', hash: 'h9', documentId: 'd9', fileId: 'file-d9', reason: 'too large', at: 'x' }] })
    },
    expect: ['skip:permanent-failure']
  },
  {
    name: 'two History entries link one file -> the Document keeps mirroring the one it names',
    scenario: { files: [file('Klage.pdf', 'h1')], history: [entry('0', 'Klage.pdf', { datum: '2026-01-01T00:00:00' }), e1], documents: [synced], state: base },
    expect: ['skip:unchanged']
  },
  {
    name: 'two History entries link a new file -> the earliest gives the metadata',
    scenario: { files: [file('Klage.pdf', 'h1')], history: [entry('10', 'Klage.pdf'), entry('9', 'Klage.pdf'), entry('11', 'Klage.pdf', { datum: '2026-01-01T00:00:00' })] },
    expect: ['create-document'],
    check: (t, p) => t.equal(only(p, 'create-document').newDocument.advowareHistoryId, '11')
  },
  {
    name: 'synced Document without windowsPath -> reported',
    scenario: { documents: [{ ...synced, windowsPath: null }] },
    expect: ['skip:no-path']
  },
  {
    name: 'synced Document lost its windowsPath, the store still knows it -> path put back',
    scenario: { files: [file('Klage.pdf', 'h1')], history: [e1], documents: [{ ...synced, windowsPath: null }], state: base },
    expect: ['update-metadata'],
    check: (t, p) => t.same(only(p, 'update-metadata').patch, { windowsPath: 'Klage.pdf' })
  },
  {
    name: 'new Document points at an unlinked file with its content -> link and add a History entry',
    scenario: { files: [file('Anlage.pdf', 'h9')], documents: [newDoc('d9', { windowsPath: 'Anlage.pdf' })], hashes: [['d9', 'h9']] },
    expect: ['link'],
    check: (t, p) => t.equal(only(p, 'link').historyEntry?.datei, 'Anlage.pdf')
  },
  {
    name: 'new Document points at an unlinked file with other content -> uploaded beside it',
    scenario: { files: [file('Anlage.pdf', 'h1')], documents: [newDoc('d9', { windowsPath: 'Anlage.pdf' })], hashes: [['d9', 'h9']] },
    expect: ['upload-to-windows'],
    check: (t, p) => t.equal(only(p, 'upload-to-windows').path, 'Anlage (2).pdf')
  },
  {
    name: 'an earlier upload stopped before its History entry -> the file is adopted, not copied again',
    scenario: { files: [file('Vollmacht.pdf', 'h1'), file('Vertrag.pdf', 'h7'), file('Vertrag (2).pdf', 'h8')], documents: [newDoc('d9', { name: 'Vollmacht.pdf' }), newDoc('d8', { name: 'Vertrag.pdf' })], hashes: [['d9', 'h1'], ['d8', 'h8']] },
    expect: ['link', 'link'],
    check: (t, p) => t.same(p.actions.map(a => a.kind === 'link' ? `${a.path}:${a.historyEntry?.datei ?? ''}` : ''), ['Vertrag (2).pdf:Vertrag (2).pdf', 'Vollmacht.pdf:Vollmacht.pdf'])
  },
  {
    name: 'a conflict copy made by an interrupted run is not made again',
    scenario: {
      files: [file('Klage.pdf', 'h3', { usn: '200', modified: '2026-03-24T10:00:00+01:00' })], history: [e1],
      documents: [{ ...espoChange.doc, modifiedAt: '2026-03-24 08:00:00' }, newDoc('c1', { fileStatus: 'conflict', blake3Hash: 'h2' })],
      hashes: [espoChange.hash], state: base
    },
    expect: ['conflict:windows-wins'],
    check: (t, p) => t.equal(only(p, 'conflict').copy.keptAs, 'c1')
  },
  {
    name: 'Watcher listed a file without hash -> skipped',
    scenario: { files: [file('Klage.pdf', '')], history: [e1], documents: [synced], state: base },
    expect: ['skip:hash-missing']
  }
]

for (const row of rows) {
  t.test(row.name, async t => {
    const p = plan(row.scenario)
    t.same(labels(p), [...row.expect].sort())
    row.check?.(t, p)
  })
}
