import t from 'tap'
import { NR, world } from '../integration/helpers/sync-world.js'

/*
 * Found by the model-based test: a Watcher download that breaks (corrupt
 * bytes, a reset) while a chunked EspoCRM upload reads ahead left a rejected
 * promise nobody listened to yet. Node reports it as an unhandledRejection,
 * and close-with-grace shuts the whole service down on one. tap fails a test
 * on any unhandled rejection, so these runs must end in a plain transient
 * failure and nothing else.
 */

const CHUNKS = { ESPOCRM_CHUNK_THRESHOLD_BYTES: String(16 * 1024), ESPOCRM_CHUNK_SIZE_BYTES: String(16 * 1024) }
const SIZE = 400 * 1024
const big = (size: number): Buffer => Buffer.from(Array.from({ length: size }, (_, i) => (i * 7) % 251))

for (const fault of ['corrupt', 'reset'] as const) {
  t.test(`a ${fault} Watcher download during a chunked upload fails the run, not the process`, async t => {
    const w = await world(t, { env: CHUNKS, sync: { fileConcurrency: 1 } })
    await w.systems.watcher.writeFile(NR, 'Gutachten.pdf', big(SIZE))
    w.history('Gutachten.pdf')
    // Slow chunks keep the read-ahead waiting while the download fails.
    w.systems.espo.faults.latencyMs = 30
    if (fault === 'corrupt') w.systems.watcher.faults.corruptNext(1, 'GET /file')
    else w.systems.watcher.faults.resetMidBody(1, 'GET /file')
    const failed = await w.sync()
    t.match(failed, { status: 'failed', transient: true })
    t.equal(w.documents().length, 0, 'no Document from broken bytes')
    w.systems.espo.faults.latencyMs = 0
    const healed = await w.sync()
    t.equal(healed.status, 'synced')
    t.same(await w.systems.espo.readAttachment(String(w.documents()[0]?.fileId)), big(SIZE))
  })
}
