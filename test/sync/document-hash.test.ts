import t from 'tap'
import { currentDocumentHash, documentsNeedingHash } from '../../src/sync/document-hash.js'
import { newDoc, state, syncedDoc } from './helpers/builders.js'

const synced = syncedDoc('s', 'a.pdf', 'h1')
const replaced = { ...synced, id: 'r', fileId: 'file-r-v2' }
const fresh = newDoc('n')
const noHash = { ...synced, id: 'x', blake3Hash: null }
const conflict = newDoc('c', { fileStatus: 'conflict' })
const noFile = newDoc('f', { fileId: null })
const refused = newDoc('p')
const failures = [{ source: 'espo' as const, key: 'p.pdf', hash: 'h9', documentId: 'p', fileId: 'file-p', reason: 'too big', at: 'x' }]

t.test('only attachments that changed since the base, or were never hashed', async t => {
  const needing = documentsNeedingHash([synced, replaced, fresh, noHash, conflict, noFile, refused], state([], { failures }))
  t.same(needing.map(d => d.id), ['r', 'n', 'x'])
  t.same(documentsNeedingHash([refused]).map(d => d.id), ['p'], 'without the store, a refused one is hashed')
})

t.test('the current hash: computed, else the recorded one when the attachment is the synced one', async t => {
  const hashes = new Map([['r', 'h2']])
  t.equal(currentDocumentHash(synced, hashes, []), 'h1')
  t.equal(currentDocumentHash(replaced, hashes, []), 'h2')
  t.equal(currentDocumentHash(fresh, hashes, []), null)
  t.equal(currentDocumentHash(noFile, hashes, []), null)
  t.equal(currentDocumentHash(refused, hashes, failures), 'h9')
})
