import t from 'tap'
import { startSystems, SANDBOX_SECRETS } from '../../src/sandbox/systems.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import { freePort, waitFor } from '../helpers/process.js'
import { call, percentile, startService } from './helpers/service.js'
import { fileBytes, World } from './helpers/world.js'

/*
 * A file saved on the share reaches EspoCRM through the Watcher's push: the
 * Watcher POSTs {akte, paths} with its push token to /webhooks/watcher, the
 * service enqueues and wakes its worker, and the sync creates the Document.
 * Latency is measured on the simulators' clocks: from the push leaving the
 * Watcher to EspoCRM answering the Document's creation.
 */

const ROUNDS = process.env.SOAK === '1' ? 50 : 6

t.test('a file written on the share becomes an EspoCRM Document with the same bytes, pushed', async t => {
  const port = await freePort()
  const systems = await startSystems({ watcherPushUrl: `http://127.0.0.1:${port}/webhooks/watcher` })
  t.teardown(systems.close)
  const world = new World(systems)
  const nr = 'M-2026/77'
  await world.addAkte(nr)
  const store = new MemoryStore()
  // A long drain interval: only the push can start these syncs quickly.
  await startService(t, systems, { PORT: String(port), SYNC_INTERVAL_MS: '60000' }, store)
  await waitFor(async () => (await store.depths()).processing === 0 && world.documents(nr).length === 0, 10_000, 'the first drain')

  const { espo, watcher } = systems
  const latencies: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const path = round % 2 === 0 ? `Eingang ${round}.pdf` : `Korrespondenz/Schreiben ${round}.pdf`
    const data = fileBytes(`Schreiben ${round}`, 20_000 + round * 1000)
    const pushesBefore = watcher.push.sent.length
    await world.addShareFile(nr, path, data)
    const push = watcher.push.sent.slice(pushesBefore).find(p => p.paths.includes(path))
    if (push === undefined) throw new Error(`the Watcher did not push ${path}`)
    await waitFor(async () => world.documents(nr).some(d => d.windowsPath === path), 10_000, `the Document of ${path}`)
    await watcher.push.drain()
    t.equal(push.status, 202, `push of ${path} accepted`)
    const created = espo.faults.calls.findLast(c => c.method === 'POST' && c.url === '/api/v1/Document')
    latencies.push((created?.finishedAt ?? NaN) - push.at)
    const doc = world.documents(nr).find(d => d.windowsPath === path) ?? {}
    t.ok((await espo.readAttachment(String(doc.fileId))).equals(data), `the Document of ${path} holds the same ${data.length} bytes`)
  }
  await waitFor(async () => (await store.depths()).processing === 0, 10_000, 'the last sync to end')
  t.same(await world.problems(nr), [], `all ${ROUNDS} files: one Document each, one History entry each, nothing else`)
  t.comment(`push -> Document over ${ROUNDS} files: median ${percentile(latencies, 50)} ms, max ${Math.max(...latencies)} ms (${latencies.join(', ')})`)
  t.ok(Math.max(...latencies) < 5_000, 'each well before the 60 s drain would have found it')
})

t.test('a push without the push token is refused and enqueues nothing', async t => {
  const systems = await startSystems()
  t.teardown(systems.close)
  const store = new MemoryStore()
  const service = await startService(t, systems, { SYNC_INTERVAL_MS: '60000' }, store)
  const body = { akte: 'M-2026/77', paths: ['Eingang.pdf'] }
  for (const authorization of ['', `Bearer ${SANDBOX_SECRETS.watcherToken}`, `Bearer ${SANDBOX_SECRETS.watcherPushToken}x`]) {
    const answer = await call(service.url, 'POST', '/webhooks/watcher', body, { authorization })
    t.equal(answer.status, 401, `authorization '${authorization.slice(0, 12)}...': 401`)
  }
  t.same(await store.depths(), { pending: 0, processing: 0, delayed: 0, failed: 0 })
  const accepted = await call(service.url, 'POST', '/webhooks/watcher', body, { authorization: `Bearer ${SANDBOX_SECRETS.watcherPushToken}` })
  t.equal(accepted.status, 202, 'the right token is accepted (the control)')
})
