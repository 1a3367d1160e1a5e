import t from 'tap'
import { defaultAkteFolderName, foldName, formatLocalIso, segmentProblem } from '../../../src/simulators/watcher/index.js'

t.test('Windows-invalid segments', async t => {
  for (const name of ['a<b', 'a>b', 'a:b', 'a"b', 'a\\b', 'a|b', 'a?b', 'a*b', 'tab\there', 'dot.', 'space ', '', '.', '..',
    'CON', 'con.txt', 'Nul.pdf', 'COM1', 'lpt9.doc', 'AUX .txt', 'COM¹']) {
    t.type(segmentProblem(name), 'string', JSON.stringify(name))
  }
  for (const name of ['Klageschrift.pdf', 'CONSOLE.txt', 'com10', '.hidden', 'Müller & Söhne (Kopie).docx', 'a..b']) {
    t.equal(segmentProblem(name), undefined, name)
  }
})

t.test('Aktennummer to folder name', async t => {
  t.equal(defaultAkteFolderName('12345'), '12345')
  t.equal(defaultAkteFolderName('12/2026'), '12_2026')
  t.equal(defaultAkteFolderName('..'), '__')
  t.equal(defaultAkteFolderName('a\\..\\b'), 'a_.._b')
  t.equal(defaultAkteFolderName('CON'), undefined)
  t.equal(defaultAkteFolderName(''), undefined)
})

t.test('NTFS-like folding', async t => {
  t.equal(foldName('klage.pdf'), foldName('KLAGE.PDF'))
  t.equal(foldName('Mu\u0308ller'), foldName('MÜLLER'))
  t.not(foldName('straße'), foldName('STRASSE'))
})

t.test('local ISO time with offset', async t => {
  const winter = Date.UTC(2026, 0, 15, 9, 30, 0)
  const summer = Date.UTC(2026, 6, 15, 9, 30, 0, 250)
  t.equal(formatLocalIso(winter), '2026-01-15T10:30:00+01:00')
  t.equal(formatLocalIso(summer), '2026-07-15T11:30:00.250+02:00')
  t.equal(formatLocalIso(summer, { fixedOffset: '+01:00' }), '2026-07-15T10:30:00.250+01:00')
  t.equal(formatLocalIso(winter, { timeZone: 'America/New_York' }), '2026-01-15T04:30:00-05:00')
  t.equal(Date.parse(formatLocalIso(summer)), summer)
  t.throws(() => formatLocalIso(winter, { fixedOffset: 'CET' }))
})
