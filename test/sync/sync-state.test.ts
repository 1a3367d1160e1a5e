import t from 'tap'
import { applyBaseChange, completeBaseEntry, emptySyncState, recordFailure } from '../../src/sync/sync-state.js'
import type { BaseEntry } from '../../src/sync/types.js'

const entry = (key: string, hash = 'h1'): BaseEntry => ({ key, path: key, hash, usn: '1', fileId: `f-${key}`, documentId: `d-${key}` })
const start = {
  ...emptySyncState('12345'),
  entries: [entry('b'), entry('a')],
  tombstones: [{ key: 't', path: 'T', hash: 'h', documentId: null, deletedAt: 'x' }],
  failures: [{ source: 'windows' as const, key: 'a', hash: 'h0', documentId: null, fileId: null, reason: 'r', at: 'x' }]
}

t.test('set writes the entry, fills answered fields, drops tombstone, failure and the previous key', async t => {
  const next = applyBaseChange(start, 'c', { op: 'set', entry: { ...entry('c'), usn: null }, fromResult: ['usn'], previousKey: 'a' }, { usn: '99' })
  t.same(next.entries.map(e => `${e.key}:${e.usn ?? ''}`), ['b:1', 'c:99'])
  t.same(next.failures, [], 'the failure at the previous key is gone')
  const revived = applyBaseChange(start, 't', { op: 'set', entry: entry('t'), fromResult: [], previousKey: null })
  t.same(revived.tombstones, [])
  t.same(start.entries.map(e => e.key), ['b', 'a'], 'the input is untouched')
})

t.test('forget, tombstone, keep', async t => {
  t.same(applyBaseChange(start, 'a', { op: 'forget' }).entries.map(e => e.key), ['b'])
  const buried = applyBaseChange(start, 'a', { op: 'tombstone', tombstone: { key: 'a', path: 'a', hash: 'h1', documentId: 'd-a', deletedAt: 'now' } })
  t.same(buried.entries.map(e => e.key), ['b'])
  t.same(buried.tombstones.map(x => x.key), ['a', 't'])
  t.equal(applyBaseChange(start, 'a', { op: 'keep' }), start)
})

t.test('answered fields must be there', async t => {
  t.throws(() => completeBaseEntry(entry('a'), ['fileId', 'documentId'], { fileId: 'x' }), /documentId/)
  t.same(completeBaseEntry(entry('a'), ['fileId'], { fileId: 'x' }).fileId, 'x')
})

t.test('a new refusal replaces the old one for the same file', async t => {
  const next = recordFailure(start, { ...start.failures[0]!, hash: 'h5', reason: 'again' })
  t.same(next.failures.map(f => `${f.hash}:${f.reason}`), ['h5:again'])
})
