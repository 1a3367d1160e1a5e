import t from 'tap'
import { pickHistoryEntry } from '../../src/sync/history-links.js'
import { sameUsn } from '../../src/sync/usn.js'
import { entry } from './helpers/builders.js'

t.test('USNs compare as 64-bit numbers, never as floats', async t => {
  t.ok(sameUsn('9007199254740993', '9007199254740993'))
  t.notOk(sameUsn('9007199254740993', '9007199254740992'), 'equal as JS numbers, different USNs')
  t.ok(sameUsn('007', '7'))
  t.ok(sameUsn(' 7 ', '7'))
  t.notOk(sameUsn('abc', '7'))
  t.ok(sameUsn('abc', 'abc'))
  t.ok(sameUsn(null, null))
  t.notOk(sameUsn(null, '7'))
})

t.test('History entry for a file: the named one, else the earliest, ties by id', async t => {
  const early = entry('10', 'x', { datum: '2026-01-01T00:00:00' })
  const tie = entry('9', 'x', { datum: '2026-01-01T00:00:00' })
  const late = entry('2', 'x', { datum: '2026-02-01T00:00:00' })
  t.equal(pickHistoryEntry([late, early, tie], null), tie, '9 before 10 numerically')
  t.equal(pickHistoryEntry([late, early, tie], '2'), late)
  t.equal(pickHistoryEntry([late, early], 'gone'), early)
  t.equal(pickHistoryEntry([entry('b', 'x'), entry('a', 'x')], null)?.id, 'a', 'non-numeric ids as text')
  t.equal(pickHistoryEntry(undefined, null), null)
  t.equal(pickHistoryEntry([], null), null)
})
