import t from 'tap'
import { baseName, extensionOf, fileKey, historyDateiToRelativePath, normalisePath, stemOf } from '../../src/sync/paths.js'
import { defaultAkteFolderNames } from '../../src/sync/options.js'

const AKTE = ['12345']

t.test('one key per file, however it is spelled', async t => {
  t.equal(fileKey('Schriftsa\u0308tze\\Klage.PDF'), 'schriftsätze/klage.pdf')
  t.equal(fileKey('schriftsätze/klage.pdf'), fileKey('SCHRIFTSÄTZE//Klage.pdf'))
  t.equal(fileKey('./a/./b.pdf'), 'a/b.pdf')
  t.equal(normalisePath('Sub\\Mu\u0308ller.pdf'), 'Sub/Müller.pdf', 'spelling kept, NFC and / applied')
  t.equal(baseName('a/b/c.pdf'), 'c.pdf')
  t.equal(extensionOf('Klage.final.PDF'), '.PDF')
  t.equal(extensionOf('.hidden'), '')
  t.equal(extensionOf('README'), '')
  t.equal(stemOf('Klage.final.pdf'), 'Klage.final')
  t.equal(stemOf('README'), 'README')
})

t.test('History datei: relative paths', async t => {
  t.equal(historyDateiToRelativePath('Klageschrift.pdf', AKTE), 'Klageschrift.pdf')
  t.equal(historyDateiToRelativePath('Schriftsatz\\Klageschrift.pdf', AKTE), 'Schriftsatz/Klageschrift.pdf')
  t.equal(historyDateiToRelativePath('  .\\x.pdf ', AKTE), 'x.pdf')
  t.equal(historyDateiToRelativePath(null, AKTE), null)
  t.equal(historyDateiToRelativePath('', AKTE), null)
  t.equal(historyDateiToRelativePath('   ', AKTE), null)
  t.equal(historyDateiToRelativePath('..\\andere Akte\\x.pdf', AKTE), null, 'climbing out links nothing')
  t.equal(historyDateiToRelativePath('12345\\x.pdf', AKTE, new Set(['x.pdf'])), 'x.pdf', 'a relative path naming the Akte folder first')
  t.equal(historyDateiToRelativePath('12345\\x.pdf', AKTE, new Set(['12345/x.pdf', 'x.pdf'])), '12345/x.pdf', 'unless a subfolder of that name exists')
  t.equal(historyDateiToRelativePath('12345\\x.pdf', AKTE), '12345/x.pdf')
})

t.test('History datei: absolute Windows and UNC paths count below the Akte folder', async t => {
  t.equal(historyDateiToRelativePath('D:\\Advoware\\Akten\\12345\\Schriftsatz\\Klageschrift.pdf', AKTE), 'Schriftsatz/Klageschrift.pdf')
  t.equal(historyDateiToRelativePath('\\\\srv\\akten\\12345\\Klageschrift.pdf', AKTE), 'Klageschrift.pdf')
  t.equal(historyDateiToRelativePath('//srv/akten/12345/Sub/x.pdf', AKTE), 'Sub/x.pdf')
  t.equal(historyDateiToRelativePath('d:/advoware/akten/12345/x.pdf', AKTE), 'x.pdf')
  t.equal(historyDateiToRelativePath('D:\\Akten\\Müller\\Sub\\x.pdf', ['Mu\u0308ller']), 'Sub/x.pdf', 'folder names compare in NFC, case-insensitively')
  t.equal(historyDateiToRelativePath('D:\\Akten\\12345\\Sub\\12345\\x.pdf', AKTE), 'Sub/12345/x.pdf', 'the first folder of that name is the Akte')
  t.equal(historyDateiToRelativePath('D:\\Akten\\123-24\\x.pdf', defaultAkteFolderNames('123/24')), 'x.pdf', 'Aktennummer with a slash')
  t.equal(historyDateiToRelativePath('D:\\Akten\\2024\\123\\24\\x.pdf', ['123/24']), 'x.pdf', 'a folder name of several segments')
  t.equal(historyDateiToRelativePath('D:\\Akten\\12345\\..\\99999\\x.pdf', AKTE), null)
})

t.test('History datei: absolute paths without the Akte folder fall back to known files, then the file name', async t => {
  const known = new Set(['schriftsatz/klage.pdf', 'klage.pdf'])
  t.equal(historyDateiToRelativePath('E:\\Umzug\\Alt\\Schriftsatz\\Klage.pdf', AKTE, known), 'Schriftsatz/Klage.pdf', 'longest known tail')
  t.equal(historyDateiToRelativePath('E:\\Umzug\\Alt\\Klage.pdf', AKTE, known), 'Klage.pdf')
  t.equal(historyDateiToRelativePath('\\\\srv\\share\\Neu.pdf', AKTE, known), 'Neu.pdf', 'nothing known: the file name')
  t.equal(historyDateiToRelativePath('D:\\', AKTE), null)
  t.equal(historyDateiToRelativePath('D:\\Akten\\12345', AKTE), '12345', 'the folder itself is no file below it')
})

t.test('default Akte folder names', async t => {
  t.same(defaultAkteFolderNames('12345'), ['12345'])
  t.same(defaultAkteFolderNames('123/24'), ['123/24', '123-24', '123_24'])
})
