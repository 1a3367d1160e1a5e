import t from 'tap'
import { formatBytes, formatPlan } from '../../src/sync/plan-format.js'
import { AKTE, baseEntry, changedInEspo, entry, file, newDoc, plan, state, syncedDoc } from './helpers/builders.js'

const e1 = entry('1', 'Klage.pdf')
const synced = syncedDoc('d1', 'Klage.pdf', 'h1', e1)
const changed = changedInEspo(synced, 'h2', '2026-03-24 11:00:00')
const busy = plan({
  files: [
    file('Klage.pdf', 'h3', { usn: '200', size: 2_500_000 }), file('Neu.pdf', 'h5', { size: 512 }),
    file('Unverändert.pdf', 'h6'), file('Neu/Name.pdf', 'h7')
  ],
  history: [e1, entry('2', 'Neu.pdf'), entry('3', 'Unverändert.pdf'), entry('4', 'Neu/Name.pdf')],
  documents: [
    changed.doc, syncedDoc('d3', 'Unverändert.pdf', 'h6', entry('3', 'Unverändert.pdf')), syncedDoc('d4', 'Alt.pdf', 'h7'),
    newDoc('d9', { name: 'Vollmacht', fileName: 'v.pdf' })
  ],
  hashes: [changed.hash, ['d9', 'h9']],
  state: state([baseEntry(synced)])
})

t.test('the dry-run table: one row per action, unchanged files summed up', async t => {
  const text = formatPlan(busy)
  const lines = text.trimEnd().split('\n')
  t.equal(lines[0], 'Akte 12345: ok: 4 writes, 2.4 MB to EspoCRM, 0 B to Windows (known sizes); ' +
    'create-document 1, upload-to-windows 1, move-document 1, conflict 1, skip 1')
  t.match(lines[1], /^ACTION +DIRECTION +SIZE +WRITES +PATH +REASON$/)
  t.match(lines[2], /^move-document +windows->espo +- +yes +Alt\.pdf -> Neu\/Name\.pdf +renamed on Windows from Alt\.pdf$/)
  t.match(lines[3], /^create-document +windows->espo +512 B +yes +Neu\.pdf +new on Windows$/)
  t.match(lines[4], /^conflict:espo-wins +espo->windows +\? +yes +Klage\.pdf +changed on both sides; EspoCRM wins \(newer\); the loser is kept as "Klage \(Konflikt 2026-03-24 13-00-00\)\.pdf"$/)
  t.match(lines[5], /^upload-to-windows +espo->windows +\? +yes +Vollmacht\.pdf +new in EspoCRM; History entry created$/)
  t.equal(lines[6], '(1 unchanged file not shown)')
  t.equal(lines.length, 7)
  t.equal(lines[2]?.indexOf('windows->espo'), lines[1]?.indexOf('DIRECTION'), 'columns line up')
})

t.test('verbose lists unchanged files too', async t => {
  const text = formatPlan(busy, { verbose: true })
  t.match(text, /\nskip:unchanged +- +- +no +Unverändert\.pdf +unchanged on both sides\n/)
  t.notMatch(text, /not shown/)
})

t.test('blocked, archived and empty plans say so in one line', async t => {
  t.equal(formatPlan(plan({ akte: { ...AKTE, archived: true, archivedAt: '2026-03-01' } })),
    'Akte 12345: ARCHIVED: Akte archived in Advoware on 2026-03-01: no file is synced\n')
  const blocked = formatPlan(plan({ documents: [synced], history: [e1], state: state([baseEntry(synced)]) }))
  t.match(blocked, /^Akte 12345: BLOCKED: the Watcher lists no files/)
  t.equal(formatPlan(plan({})), 'Akte 12345: ok: 0 writes, 0 B to EspoCRM, 0 B to Windows (known sizes)\n')
})

t.test('sizes', async t => {
  t.equal(formatBytes(null), '?')
  t.equal(formatBytes(0), '0 B')
  t.equal(formatBytes(1023), '1023 B')
  t.equal(formatBytes(1536), '1.5 KB')
  t.equal(formatBytes(5 * 1024 ** 3), '5.0 GB')
  t.equal(formatBytes(3 * 1024 ** 5), '3072.0 TB')
})
