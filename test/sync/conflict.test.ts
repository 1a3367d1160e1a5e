import t from 'tap'
import { berlinDate, berlinDateTime, datumDate, parseZonedInstant } from '../../src/sync/berlin-time.js'
import { conflictCopyName, conflictWinner, parseEspoDateTime, parseWindowsModified } from '../../src/sync/conflict.js'
import { sanitiseDocumentName } from '../../src/sync/document-name.js'

const AT = new Date('2026-03-24T12:00:00Z')

t.test('timestamps: EspoCRM is UTC without zone, Windows carries its offset', async t => {
  t.equal(parseEspoDateTime('2026-03-24 09:00:00'), Date.UTC(2026, 2, 24, 9))
  t.equal(parseEspoDateTime('2026-03-24T09:00:00'), null)
  t.equal(parseEspoDateTime('2026-13-40 09:00:00'), null)
  t.equal(parseEspoDateTime(null), null)
  t.equal(parseWindowsModified('2026-03-24T10:00:00+01:00'), Date.UTC(2026, 2, 24, 9))
  t.equal(parseWindowsModified('2026-03-24T09:00:00.123Z'), Date.UTC(2026, 2, 24, 9, 0, 0, 123))
  t.equal(parseWindowsModified('2026-03-24T10:00:00'), null, 'no zone is ambiguous, not local time')
  t.equal(parseZonedInstant('2026-03-24T10:00:00+0100'), null)
  t.equal(parseZonedInstant('gestern'), null)
})

t.test('the newer side wins; a tie or an unreadable time lets Windows win', async t => {
  t.equal(conflictWinner('2026-03-24T10:00:00+01:00', '2026-03-24 09:00:01'), 'espo')
  t.equal(conflictWinner('2026-03-24T10:00:01+01:00', '2026-03-24 09:00:00'), 'windows')
  t.equal(conflictWinner('2026-03-24T10:00:00+01:00', '2026-03-24 09:00:00'), 'windows', 'tie')
  t.equal(conflictWinner('kaputt', '2030-01-01 00:00:00'), 'windows')
  t.equal(conflictWinner('2020-01-01T00:00:00Z', null), 'windows')
  t.equal(conflictWinner(null, '2030-01-01 00:00:00'), 'windows')
})

t.test('conflict copy names', async t => {
  t.equal(conflictCopyName('Klageschrift.pdf', 'Klageschrift.pdf', AT), 'Klageschrift (Konflikt 2026-03-24 13-00-00).pdf')
  t.equal(conflictCopyName('Klageschrift', 'upload.pdf', AT), 'Klageschrift (Konflikt 2026-03-24 13-00-00).pdf', 'extension from the file')
  t.equal(conflictCopyName(null, 'Notiz.txt', AT), 'Notiz (Konflikt 2026-03-24 13-00-00).txt')
  t.equal(conflictCopyName('  ', 'README', AT), 'README (Konflikt 2026-03-24 13-00-00)')
  t.equal(conflictCopyName('Summer.pdf', 'Summer.pdf', new Date('2026-07-01T10:00:00Z')), 'Summer (Konflikt 2026-07-01 12-00-00).pdf', 'summer time')
  t.equal(conflictCopyName('a=b.pdf', 'a=b.pdf', AT), 'a_b (Konflikt 2026-03-24 13-00-00).pdf', 'EspoCRM refuses = in names')
  t.equal(conflictCopyName('x.pdf', 'x.pdf', AT, ({ stem, extension }) => `${stem}-copy${extension}`), 'x-copy.pdf', 'custom naming')
  const long = conflictCopyName(`${'n'.repeat(300)}.pdf`, 'x.pdf', AT)
  t.equal(long.length, 255)
  t.ok(long.endsWith('.pdf'))
})

t.test('Berlin dates and History datum', async t => {
  t.equal(berlinDate(new Date('2026-03-23T23:30:00Z')), '2026-03-24')
  t.equal(berlinDateTime(new Date('2026-10-25T00:30:00Z')), '2026-10-25T02:30:00')
  t.equal(berlinDateTime(new Date('2026-10-25T01:30:00Z')), '2026-10-25T02:30:00', 'the repeated hour after summer time')
  t.equal(datumDate('2026-03-24T00:30:00'), '2026-03-24', 'datum is already Berlin time')
  t.equal(datumDate('2026-03-24'), '2026-03-24')
  t.equal(datumDate('2026-03-24 10:15'), '2026-03-24')
  t.equal(datumDate('24.03.2026'), null)
  t.equal(datumDate(null), null)
})

t.test('Document names', async t => {
  t.equal(sanitiseDocumentName('<Klage>=1.pdf'), '_Klage__1.pdf')
  t.equal(sanitiseDocumentName('   '), 'Dokument')
  t.equal(sanitiseDocumentName(`${'x'.repeat(400)}.${'e'.repeat(40)}`).length, 255)
})
