import t from 'tap'
import { isValidAktennummer, assertAktennummer } from '../../src/domain/aktennummer.js'

t.test('accepts real-world Aktennummern', async t => {
  for (const nr of ['12345', '12/2026', 'A-17_3', 'Müller 2026', '2026.001', 'x']) t.ok(isValidAktennummer(nr), nr)
})

t.test('refuses everything else', async t => {
  const bad: unknown[] = ['', ' 1', '1 ', '/1', '1/', '../etc', 'a..b', 'a\u0000b', 'a\nb', 'a*b', 'a:b', 'a\\b', 'x'.repeat(65), 12345, null, 'e\u0301' /* not NFC */, '<script>']
  for (const nr of bad) t.notOk(isValidAktennummer(nr), JSON.stringify(nr))
  t.throws(() => assertAktennummer('../x'), /not a valid Aktennummer/)
  t.equal(assertAktennummer('12/2026'), '12/2026')
})
