import t from 'tap'
import { compileIgnore, DEFAULT_IGNORE_PATTERNS } from '../../src/sync/ignore.js'

t.test('defaults: Office lock files, temp files, Explorer files, any case, any depth', async t => {
  const ignored = compileIgnore()
  for (const path of ['~$Klage.docx', 'Sub/~$x.xlsx', 'a.tmp', 'A.TMP', 'Thumbs.db', 'sub/THUMBS.DB', 'Desktop.ini']) t.ok(ignored(path), path)
  for (const path of ['Klage.docx', 'tmp.pdf', 'x.tmp.pdf', 'Thumbs.db.pdf', 'a~$b.docx']) t.notOk(ignored(path), path)
  t.same(DEFAULT_IGNORE_PATTERNS, ['~$*', '*.tmp', 'Thumbs.db', 'desktop.ini'])
})

t.test('configured globs add to the defaults', async t => {
  const ignored = compileIgnore(['*.bak', 'Entwu\u0308rfe', 'scan/**', 'x?.pdf', 'a[1].pdf'])
  t.ok(ignored('Klage.BAK'))
  t.ok(ignored('Entwürfe/Klage.pdf'), 'a folder name excludes its contents, NFC')
  t.ok(ignored('Scan/2026/roh.tif'))
  t.notOk(ignored('Sub/scan/roh.tif'), 'a pattern with / matches from the Akte folder')
  t.ok(ignored('x1.pdf'))
  t.notOk(ignored('x12.pdf'))
  t.ok(ignored('a[1].pdf'), 'brackets are literal')
  t.ok(ignored('~$x.docx'), 'defaults still apply')
  t.notOk(compileIgnore([], false)('~$x.docx'))
})
