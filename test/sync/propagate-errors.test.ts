import t from 'tap'
import { ExternalError, type ExternalErrorInit } from '../../src/clients/errors.js'
import { Blake3MismatchError } from '../../src/hash/blake3-stream.js'
import { classifyFailure, ConflictCopyFailed, MissingAkteFolder, PreconditionFailed, SyncAborted } from '../../src/sync/propagate-errors.js'

/* Which failures are remembered for the content, which retry the Akte, which wait for the next plan. */

const live = new AbortController().signal
const err = (init: Omit<ExternalErrorInit, 'message'>): ExternalError => new ExternalError({ ...init, message: `${init.system} ${init.status ?? ''} ${init.reason ?? ''}` })

const cases: Array<[string, unknown, Record<string, unknown>]> = [
  ['EspoCRM refuses the file type', err({ system: 'espocrm', kind: 'forbidden', status: 403, reason: 'Not allowed file type.' }), { outcome: 'failed', permanent: true, record: true }],
  ['EspoCRM refuses the size (single upload)', err({ system: 'espocrm', kind: 'validation', status: 400, reason: 'File size should not exceed 256 Mb.' }), { outcome: 'failed', permanent: true, record: true }],
  ['EspoCRM refuses the declared size (chunked)', err({ system: 'espocrm', kind: 'forbidden', status: 403, reason: 'Attachment size exceeds `attachmentUploadMaxSize`.' }), { outcome: 'failed', permanent: true, record: true }],
  ['EspoCRM 403 for an ACL or a lockout', err({ system: 'espocrm', kind: 'forbidden', status: 403, reason: 'No access.' }), { outcome: 'failed', permanent: false }],
  ['EspoCRM maintenance', err({ system: 'espocrm', kind: 'unavailable', status: 503 }), { outcome: 'failed', permanent: false }],
  ['EspoCRM optimistic lock', err({ system: 'espocrm', kind: 'conflict', status: 409, reason: 'modified' }), { outcome: 'failed', permanent: false }],
  ['a Document gone meanwhile', err({ system: 'espocrm', kind: 'not-found', status: 404 }), { outcome: 'precondition' }],
  ['a share file gone meanwhile', err({ system: 'watcher', kind: 'not-found', status: 404, operation: 'download' }), { outcome: 'precondition' }],
  ['the Akte folder missing on upload', err({ system: 'watcher', kind: 'not-found', status: 404, operation: 'upload' }), { outcome: 'failed', permanent: true, record: false }],
  ['the Watcher refuses a name', err({ system: 'watcher', kind: 'validation', status: 400, reason: 'invalid name' }), { outcome: 'failed', permanent: true, record: true }],
  ['the Watcher saw other bytes', err({ system: 'watcher', kind: 'integrity', status: 422 }), { outcome: 'failed', permanent: false }],
  ['Advoware refuses the History entry', err({ system: 'advoware', kind: 'validation', status: 400 }), { outcome: 'failed', permanent: true, record: false }],
  ['Advoware token refused', err({ system: 'advoware', kind: 'auth', status: 401 }), { outcome: 'failed', permanent: false }],
  ['a local hash mismatch', new Blake3MismatchError('a'.repeat(64), 'b'.repeat(64), 3), { outcome: 'failed', permanent: false, errorKind: 'integrity' }],
  ['a bug', new TypeError('x is undefined'), { outcome: 'failed', permanent: false, errorKind: 'internal' }],
  ['plan outdated', new PreconditionFailed('moved'), { outcome: 'precondition' }],
  ['stopped', new SyncAborted(new Error('lease lost')), { outcome: 'aborted' }],
  ['no Akte folder', new MissingAkteFolder('1'), { outcome: 'failed', permanent: true, record: false }],
  ['a refused conflict copy', new ConflictCopyFailed(err({ system: 'espocrm', kind: 'forbidden', status: 403, reason: 'Not allowed file type.' })), { outcome: 'failed', permanent: true, record: true }]
]

for (const [name, error, expected] of cases) {
  t.test(name, async t => { t.match(classifyFailure(error, live), expected) })
}

t.test('anything after the signal aborted counts as the stop', async t => {
  const controller = new AbortController()
  controller.abort(new Error('shutting down'))
  t.match(classifyFailure(err({ system: 'espocrm', kind: 'network' }), controller.signal), { outcome: 'aborted' })
})
