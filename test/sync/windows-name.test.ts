import fc from 'fast-check'
import t from 'tap'
import { chooseWindowsPath, isValidWindowsPath, sanitiseSegment, type WindowsPathLimits } from '../../src/sync/windows-name.js'

const LIMITS: WindowsPathLimits = { maxPathLength: 259, akteFolderPathLength: 23 }

function chosen (candidate: Parameters<typeof chooseWindowsPath>[0], taken: string[] = [], limits = LIMITS): string {
  const result = chooseWindowsPath(candidate, new Set(taken), limits)
  if (!result.ok) throw new Error(result.reason)
  return result.path
}

t.test('segments lose what Windows forbids', async t => {
  t.equal(sanitiseSegment('a<b>c:d"e/f\\g|h?i*j.pdf'), 'a_b_c_d_e_f_g_h_i_j.pdf')
  t.equal(sanitiseSegment('tab\there\u0000nul\u001f.pdf'), 'tab_here_nul_.pdf')
  t.equal(sanitiseSegment('Klage. . .'), 'Klage', 'trailing dots and spaces')
  t.equal(sanitiseSegment('  Klage.pdf'), 'Klage.pdf', 'leading spaces')
  t.equal(sanitiseSegment('..'), '')
  t.equal(sanitiseSegment('.'), '')
  t.equal(sanitiseSegment('   '), '')
  t.equal(sanitiseSegment('Rechnung\u202Efdp.exe'), 'Rechnung_fdp.exe', 'bidi override cannot disguise the extension')
  t.equal(sanitiseSegment('x\uD800y.pdf'), 'x\uFFFDy.pdf', 'a lone surrogate would break URL encoding')
  t.equal(sanitiseSegment('Mu\u0308ller.pdf'), 'Müller.pdf', 'NFC')
})

t.test('reserved device names, also with an extension, get a prefix', async t => {
  for (const name of ['CON', 'con.txt', 'PRN.pdf', 'aux', 'NUL.tar.gz', 'COM1.pdf', 'com9', 'LPT0.doc', 'LPT9', 'COM¹.pdf', 'CON .pdf']) {
    t.ok(sanitiseSegment(name).startsWith('_'), name)
  }
  for (const name of ['CONSOLE.pdf', 'COM10.pdf', 'LPT.pdf', 'xCON.pdf', 'AUXILIAR.pdf']) {
    t.equal(sanitiseSegment(name), name, name)
  }
})

t.test('hostile paths never leave the Akte folder', async t => {
  t.equal(chosen({ path: '../../etc/passwd' }), 'etc/passwd')
  t.equal(chosen({ path: '..\\..\\..\\Windows\\win.ini' }), 'Windows/win.ini')
  t.equal(chosen({ path: 'C:\\Windows\\System32\\drivers.pdf' }), 'C_/Windows/System32/drivers.pdf')
  t.equal(chosen({ path: '\\\\server\\share\\x.pdf' }), 'server/share/x.pdf')
  t.equal(chosen({ path: '/abs/olute.pdf' }), 'abs/olute.pdf')
  t.equal(chosen({ path: 'Sub/./../x.pdf' }), 'Sub/x.pdf')
  t.equal(chosen({ name: '../../x.pdf' }), '.._.._x.pdf', 'a name is one segment: its slashes are characters')
  t.equal(chosen({ name: 'NUL' }), '_NUL')
  const empty = chooseWindowsPath({ name: ' . . ' }, new Set(), LIMITS)
  t.same(empty, { ok: false, reason: 'name is empty after removing invalid characters' })
  t.notOk(chooseWindowsPath({ path: '../..' }, new Set(), LIMITS).ok)
  t.same(chooseWindowsPath({ name: '\u0000' }, new Set(), LIMITS), { ok: true, path: '_' })
})

t.test('long names are cut to the path limit, keeping the extension', async t => {
  const long = `${'ä'.repeat(300)}.pdf`
  const path = chosen({ name: long })
  t.equal(path.length, 259 - 23 - 1)
  t.ok(path.endsWith('ä.pdf'))
  const inFolder = chosen({ path: `Sub/${long}` }, [], { maxPathLength: 259, akteFolderPathLength: 200 })
  t.equal(200 + 1 + inFolder.length, 259)
  t.ok(inFolder.startsWith('Sub/') && inFolder.endsWith('.pdf'))
  t.equal(chosen({ name: `${'a'.repeat(300)}` }, [], { maxPathLength: 259, akteFolderPathLength: 0 }).length, 255, 'NTFS allows 255 per segment')
  const emoji = chosen({ name: `${'😀'.repeat(200)}.pdf` })
  t.notOk(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/u.test(emoji), 'no surrogate pair is split')
  t.equal(chosen({ name: 'CONTRACT.pdf' }, [], { maxPathLength: 7, akteFolderPathLength: 0 }), '_CO.pdf', 'a cut that leaves CON is not reserved')
  const noRoom = chooseWindowsPath({ path: `${'x'.repeat(250)}/a.pdf` }, new Set(), LIMITS)
  t.notOk(noRoom.ok)
  t.match(noRoom, { reason: /259-character/ })
  t.notOk(chooseWindowsPath({ path: `${'x'.repeat(256)}/a.pdf` }, new Set(), { maxPathLength: 1000, akteFolderPathLength: 0 }).ok)
  t.equal(chosen({ name: `a.${'x'.repeat(40)}` }), `a.${'x'.repeat(40)}`, 'a 40-character "extension" is just part of the name')
})

t.test('collisions resolve by case and NFC, with a suffix that still fits', async t => {
  t.equal(chosen({ name: 'Klage.pdf' }, ['klage.pdf']), 'Klage (2).pdf')
  t.equal(chosen({ name: 'Müller.pdf' }, ['mu\u0308ller.pdf'.normalize('NFC'), 'müller (2).pdf']), 'Müller (3).pdf')
  t.equal(chosen({ path: 'Sub/Klage' }, ['sub/klage']), 'Sub/Klage (2)')
  const fitted = chosen({ name: `${'b'.repeat(300)}.pdf` }, [`${'b'.repeat(231)}.pdf`])
  t.equal(fitted, `${'b'.repeat(227)} (2).pdf`)
  t.equal(fitted.length, 235)
  const allowOwn = chooseWindowsPath({ name: 'Klage.pdf' }, new Set(['klage.pdf']), LIMITS, () => true)
  t.same(allowOwn, { ok: true, path: 'Klage.pdf' })
  const crowded = chooseWindowsPath({ name: 'x' }, new Set(), LIMITS, () => false)
  t.notOk(crowded.ok)
})

t.test('whatever EspoCRM sends, the result is a valid relative Windows path', async t => {
  const hostile = fc.string({
    unit: fc.constantFrom('a', 'Z', 'ä', 'e\u0301', '.', ' ', '/', '\\', ':', '*', '?', '"', '<', '>', '|', '\u0000', '\u001f', '\u202e', 'CON', 'lpt1', '..', '😀', '\uD800'),
    maxLength: 120
  })
  fc.assert(fc.property(hostile, fc.boolean(), fc.integer({ min: 0, max: 250 }), (text, asPath, folder) => {
    const limits = { maxPathLength: 259, akteFolderPathLength: folder }
    const result = chooseWindowsPath(asPath ? { path: text } : { name: text }, new Set(), limits)
    if (!result.ok) return
    const path = result.path
    if (path.startsWith('/') || path.includes('\\') || /^[a-z]:/iu.test(path)) throw new Error(`absolute: ${path}`)
    for (const segment of path.split('/')) {
      // eslint-disable-next-line no-control-regex
      if (segment === '' || segment === '.' || segment === '..' || /[<>:"|?*\u0000-\u001f]/u.test(segment)) throw new Error(`bad segment in ${path}`)
      if (/[. ]$/u.test(segment)) throw new Error(`trailing dot or space in ${path}`)
      if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/iu.test(segment)) throw new Error(`reserved in ${path}`)
      if (!segment.isWellFormed()) throw new Error(`lone surrogate in ${path}`)
    }
    if (folder + (folder > 0 ? 1 : 0) + path.length > 259) throw new Error(`too long: ${path}`)
    if (!isValidWindowsPath(path, limits)) throw new Error(`not stable: ${path}`)
  }), { numRuns: 1000 })
  t.pass()
})
