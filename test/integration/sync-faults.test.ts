import t, { type Test } from 'tap'
import { blake3Hex } from '../../src/hash/blake3.js'
import { fileKey } from '../../src/sync/paths.js'
import { toSyncOutcome, type SyncAkteOptions } from '../../src/sync/run-akte.js'
import type { AkteSyncState } from '../../src/sync/types.js'
import { NR, world, type World } from './helpers/sync-world.js'

/*
 * Faults injected while a sync runs: the run reports a transient failure,
 * nothing wrong is written, and the next run converges without duplicates.
 * Chunks are small here, so the chunked EspoCRM upload is exercised too.
 */

const SMALL_CHUNKS = { ESPOCRM_CHUNK_THRESHOLD_BYTES: String(64 * 1024), ESPOCRM_CHUNK_SIZE_BYTES: String(32 * 1024) }
const big = (seed: number, size = 200 * 1024): Buffer => Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seed) % 251))

async function scene (t: Test, sync: SyncAkteOptions = {}): Promise<World> {
  const w = await world(t, { env: SMALL_CHUNKS, sync: { fileConcurrency: 1, ...sync } })
  await w.systems.watcher.writeFile(NR, 'Gutachten.pdf', big(1))
  await w.systems.watcher.writeFile(NR, 'Brief.pdf', Buffer.from('Brief'))
  await w.systems.watcher.writeFile(NR, 'Zeugen/Aussage.pdf', big(2, 100 * 1024))
  for (const path of ['Gutachten.pdf', 'Brief.pdf', 'Zeugen/Aussage.pdf']) w.history(path)
  await w.newDocument('Vollmacht.pdf', big(3, 80 * 1024))
  return w
}

/** Every Document's bytes are what it claims, and every synced one matches its file on the share. */
async function checkNothingWrong (t: Test, w: World): Promise<void> {
  for (const doc of w.documents()) {
    const bytes = await w.systems.espo.readAttachment(String(doc.fileId))
    if (doc.blake3Hash !== null && doc.blake3Hash !== undefined) t.equal(await blake3Hex(bytes), doc.blake3Hash, `${String(doc.name)}: attachment matches blake3Hash`)
    if (typeof doc.syncHash === 'string' && doc.syncHash !== '') {
      const file = await w.systems.watcher.readFile(NR, String(doc.windowsPath))
      t.ok(file !== undefined && await blake3Hex(file) === doc.syncHash, `${String(doc.name)}: share matches its base`)
    }
  }
}

async function converge (t: Test, w: World): Promise<void> {
  const rerun = await w.sync()
  t.equal(rerun.status, 'synced', rerun.reason ?? 'synced')
  const paths = w.documents().map(d => fileKey(String(d.windowsPath)))
  t.same(paths.sort(), ['brief.pdf', 'gutachten.pdf', 'vollmacht.pdf', 'zeugen/aussage.pdf'], 'one Document per windowsPath')
  const files = (await w.systems.watcher.listing(NR))?.files.map(f => f.path).sort()
  t.same(files, ['Brief.pdf', 'Gutachten.pdf', 'Vollmacht.pdf', 'Zeugen/Aussage.pdf'], 'no second copy on the share')
  await checkNothingWrong(t, w)
  const calm = await w.sync()
  t.same(Object.entries(calm.counts).filter(([, n]) => n > 0), [], 'then nothing more to do')
}

function expectRetry (t: Test, summary: Awaited<ReturnType<World['sync']>>): void {
  t.match(summary, { status: 'failed', transient: true })
  t.equal(toSyncOutcome(summary).kind, 'retry')
  t.ok(summary.errors.some(e => !e.permanent), 'a transient error is reported')
}

t.test('a 503 on one EspoCRM upload: the other files go through, the Akte is retried', async t => {
  const w = await scene(t)
  w.systems.espo.faults.failNext(1, 503, 'POST /api/v1/Attachment')
  const summary = await w.sync()
  expectRetry(t, summary)
  t.equal(summary.counts['create-document'], 2, 'the other files were not held up')
  t.match(w.systems.espo.get('CAkte', w.akteId), { syncStatus: 'failed', syncError: /transient/ })
  await checkNothingWrong(t, w)
  await converge(t, w)
})

t.test('a 503 on the Watcher upload', async t => {
  const w = await scene(t)
  w.systems.watcher.faults.failNext(1, 503, 'PUT /files')
  expectRetry(t, await w.sync())
  t.equal(await w.systems.watcher.readFile(NR, 'Vollmacht.pdf'), undefined)
  await checkNothingWrong(t, w)
  await converge(t, w)
})

t.test('a connection reset mid-download', async t => {
  const w = await scene(t)
  w.systems.watcher.faults.resetMidBody(1, 'GET /file')
  const summary = await w.sync()
  expectRetry(t, summary)
  t.equal(w.documents().filter(d => d.windowsPath === 'Brief.pdf' || d.windowsPath === 'Gutachten.pdf').length, 1, 'the interrupted file has no Document')
  await checkNothingWrong(t, w)
  await converge(t, w)
})

t.test('a corrupted download from the share is never written', async t => {
  const w = await scene(t)
  w.systems.watcher.faults.corruptNext(1, 'GET /file')
  const summary = await w.sync()
  expectRetry(t, summary)
  t.ok(summary.errors.some(e => /BLAKE3 mismatch/.test(e.message)), 'reported as a hash mismatch')
  await checkNothingWrong(t, w)
  await converge(t, w)
})

t.test('a corrupted download from EspoCRM is never written to the share', async t => {
  const w = await scene(t)
  const first = await w.sync()
  t.equal(first.status, 'synced')
  const doc = w.documents().find(d => d.windowsPath === 'Vollmacht.pdf')
  const attachment = await w.systems.espo.seedAttachment({ name: 'Vollmacht.pdf', data: big(4, 90 * 1024), relatedType: 'Document', field: 'file' })
  w.systems.espo.update('Document', String(doc?.id), { fileId: attachment.id })
  // The hashing download is clean; the transfer's is not.
  const summary = await w.sync({
    onProgress: event => {
      if (event.type === 'stage' && event.stage === 'propagate') w.systems.espo.faults.corruptNext(1, `GET /api/v1/Attachment/file/${String(attachment.id)}`)
    }
  })
  expectRetry(t, summary)
  t.same(await w.systems.watcher.readFile(NR, 'Vollmacht.pdf'), big(3, 80 * 1024), 'the share keeps the old content')
  const rerun = await w.sync()
  t.equal(rerun.status, 'synced')
  t.same(await w.systems.watcher.readFile(NR, 'Vollmacht.pdf'), big(4, 90 * 1024))
})

t.test('EspoCRM dropping the connection mid-download: the share is not touched, nothing is booked as refused', async t => {
  const w = await scene(t)
  const summary = await w.sync({
    onProgress: event => { if (event.type === 'stage' && event.stage === 'propagate') w.systems.espo.faults.resetMidBody(1, 'GET /api/v1/Attachment/file') }
  })
  expectRetry(t, summary)
  t.match(summary.errors, [{ path: 'Vollmacht.pdf', permanent: false }])
  t.equal(await w.systems.watcher.readFile(NR, 'Vollmacht.pdf'), undefined)
  t.same((await w.store.getState<AkteSyncState>('akte-state', NR))?.failures ?? [], [], 'no refusal recorded')
  t.not(w.documents().find(d => d.name === 'Vollmacht.pdf')?.fileStatus, 'skipped')
  await converge(t, w)
})

t.test('an expired Advoware token is renewed; a refused renewal fails the History step only', async t => {
  const w = await scene(t)
  const renewed = await w.sync({
    onProgress: event => { if (event.type === 'stage' && event.stage === 'propagate') w.systems.advoware.expireAllTokens() }
  })
  t.equal(renewed.status, 'synced', 'one new token, the run goes on')

  const w2 = await scene(t)
  const summary = await w2.sync({
    onProgress: event => {
      if (event.type === 'stage' && event.stage === 'propagate') {
        w2.systems.advoware.expireAllTokens()
        w2.systems.advoware.faults.failNext(1, 503, '/Token')
      }
    }
  })
  expectRetry(t, summary)
  t.equal(summary.counts['create-document'], 3)
  const vollmacht = w2.documents().find(d => d.name === 'Vollmacht.pdf')
  t.equal(vollmacht?.syncHash ?? null, null, 'the Document records no base without its History entry')
  await checkNothingWrong(t, w2)
  await converge(t, w2)
  t.equal(w2.systems.advoware.history(4711).filter(h => h.datei === 'Vollmacht.pdf').length, 1, 'one History entry for the file')
})

t.test('a file type EspoCRM refuses is recorded and not sent again', async t => {
  const w = await world(t)
  await w.systems.watcher.writeFile(NR, 'Mail.msg', Buffer.from('From: a@b'))
  await w.systems.watcher.writeFile(NR, 'Brief.pdf', Buffer.from('Brief'))
  w.history('Mail.msg')
  w.history('Brief.pdf')
  const first = await w.sync()
  t.match(first, { status: 'partial', transient: false })
  t.same(toSyncOutcome(first), { kind: 'done', status: 'partial' })
  t.match(first.errors, [{ path: 'Mail.msg', permanent: true, message: /Not allowed file type/ }])
  t.equal(first.counts['create-document'], 1)
  const state = await w.store.getState<AkteSyncState>('akte-state', NR)
  t.match(state?.failures, [{ source: 'windows', key: 'mail.msg', reason: /Not allowed file type/ }])
  t.match(w.systems.espo.get('CAkte', w.akteId), { syncStatus: 'partial', syncError: /Mail\.msg/ })

  w.resetRequests()
  const uploadsBefore = w.systems.espo.countRequests('POST /api/v1/Attachment')
  const second = await w.sync()
  t.match(second, { status: 'partial', transient: false })
  t.equal(w.systems.espo.countRequests('POST /api/v1/Attachment'), uploadsBefore, 'no second upload attempt')
  t.same(w.writes(), [`PUT /api/v1/CAkte/${w.akteId}`])

  await w.systems.watcher.writeFile(NR, 'Mail.msg', Buffer.from('From: a@b, changed'))
  const changed = await w.sync()
  t.equal(changed.errors.length, 1, 'new content is tried again (and refused again)')
})
