import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { request } from 'undici'
import { startSandbox, SANDBOX_PERSON, type Sandbox, type SandboxOptions } from '../../src/sandbox/sandbox.js'
import { ESPO_API_USER_ID, SANDBOX_SECRETS } from '../../src/sandbox/systems.js'
import { freePort, waitFor } from '../helpers/process.js'

const QUIET: SandboxOptions = { port: 0, ports: { espocrm: 0, advoware: 0, watcher: 0 }, logFormat: 'none', logLevel: 'silent' }

async function start (t: Test, options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox({ ...QUIET, ...options })
  t.teardown(sandbox.close)
  return sandbox
}

async function getJson (url: string, headers: Record<string, string> = {}): Promise<{ status: number, body: any }> {
  const res = await request(url, { headers, headersTimeout: 5_000 })
  const text = await res.body.text()
  return { status: res.statusCode, body: text === '' ? undefined : JSON.parse(text) }
}

const fold = (path: string): string => path.normalize('NFC').toLowerCase()

t.test('the sandbox starts on free ports, seeds all three systems consistently, and closes cleanly', async t => {
  const sandbox = await start(t)
  t.comment(`started in ${sandbox.startupMs} ms`)
  const { urls, systems } = sandbox

  t.equal((await getJson(`${urls.service}/health/ready`)).status, 200, 'ready on the embedded store')
  t.equal(sandbox.app.store.kind, 'memory')

  // EspoCRM, through its API with the service's key: the credentials match.
  const akten = await getJson(`${urls.espocrm}CAkte?orderBy=aktennummer&order=asc`, { 'X-Api-Key': SANDBOX_SECRETS.espoApiKey })
  t.equal(akten.status, 200)
  t.same(akten.body.list.map((a: { aktennummer: string }) => a.aktennummer), ['12345', '2026/0815'])
  t.match(akten.body.list, [
    { name: 'Müller ./. Schröder', advowareAkteId: '4711', status: 'Aktiv' },
    { name: 'Bäckerei Weiß GmbH', advowareAkteId: '4712', status: 'Aktiv' }
  ])
  // Created by a person (the admin, user 1); once the engine runs, the service adds its own.
  const espoOnly = systems.espo.list('Document').filter(d => d.createdById === '1')
  t.equal(espoOnly.length, 1, 'one Document, only in EspoCRM')
  t.equal(espoOnly[0]?.akteId, sandbox.seed.akten[0]?.espoId)
  const attachment = await systems.espo.readAttachment(String(espoOnly[0]?.fileId))
  t.equal(attachment.subarray(0, 5).toString('latin1'), '%PDF-')

  // Advoware: the same Akten, with History linking files in every way Advoware writes them.
  const state = await getJson(`${urls.advoware}/__sim/state`)
  t.match(state.body.akten, [{ id: 4711, aktennummer: '12345', ablage: 0 }, { id: 4712, aktennummer: '2026/0815', ablage: 0 }])
  const dateien = systems.advoware.history(4711).map(h => h.datei)
  t.ok(dateien.includes('D:\\Advoware\\Akten\\12345\\Schriftsatz\\Klageschrift.pdf'), 'an absolute Windows path')
  t.ok(dateien.includes('Klageerwiderung Müller.pdf'), 'a relative path with an umlaut')
  t.ok(dateien.includes(null), 'an entry linking no file')

  // The share, through the Watcher's API with the service's token.
  const auth = { authorization: `Bearer ${SANDBOX_SECRETS.watcherToken}` }
  const first = await getJson(`${urls.watcher}/akte-details?akte=12345`, auth)
  t.equal(first.status, 200)
  const paths = (first.body.files as Array<{ path: string }>).map(f => f.path)
  for (const path of ['Entwurf.docx', 'Klageerwiderung Müller.pdf', 'Notizen intern.txt', 'Schriftsatz/Klageschrift.pdf', 'Schriftsatz/Replik.pdf', 'Vollmacht.pdf', '~$Entwurf.docx']) {
    t.ok(paths.includes(path), `the Watcher lists ${path}`)
  }
  const second = await getJson(`${urls.watcher}/akte-details?akte=${encodeURIComponent('2026/0815')}`, auth)
  t.equal(second.status, 200, "the Aktennummer with '/' has its folder")
  t.ok(sandbox.seed.akten[1]?.folder.endsWith('2026_0815'))

  // Linked files and unlinked ones alike are on the share: the unlinked must just never sync.
  for (const akte of sandbox.seed.akten) {
    for (const path of [...akte.linkedFiles, ...akte.unlinkedFiles.map(f => f.path)]) {
      t.ok(await systems.watcher.readFile(akte.aktennummer, path), `${akte.aktennummer}: ${path} on the share`)
    }
  }

  if (!sandbox.engineWired) {
    t.same((await sandbox.app.store.overview()).pending.sort(), ['12345', '2026/0815'], 'the seeded Akten are enqueued')
  }

  const webhooks = systems.espo.list('Webhook')
  t.equal(webhooks.length, 7, "EspoCRM's webhooks are registered")
  t.ok(webhooks.every(w => w.skipOwn === true && w.userId === ESPO_API_USER_ID && String(w.url).startsWith(`${urls.service}/webhooks/espocrm`)))

  for (const url of [`${urls.service}/health/ready`, `${urls.service}/metrics`, `${urls.service}/admin/`, urls.espocrm, urls.advoware, urls.watcher, sandbox.shareRoot, SANDBOX_SECRETS.adminToken]) {
    t.ok(sandbox.overview.includes(url), `the overview mentions ${url}`)
  }
  t.match(sandbox.overview, /Klageerwiderung Müller\.pdf/)
  t.match(sandbox.overview, /~\$Entwurf\.docx: Office lock file/)

  const { shareRoot } = sandbox
  const espoData = systems.espo.dataDir
  t.ok(existsSync(shareRoot))
  await sandbox.close()
  await sandbox.close()
  t.notOk(existsSync(shareRoot), 'the temp share is removed')
  t.notOk(existsSync(espoData), "EspoCRM's attachment folder is removed")
  await t.rejects(getJson(`${urls.service}/health/live`), 'the service is closed')
  await t.rejects(getJson(`${urls.watcher}/__sim/usn`), 'the Watcher is closed')
})

t.test("a person's change in EspoCRM reaches the service signed; the service's own writes are not echoed", async t => {
  const sandbox = await start(t)
  const { espo } = sandbox.systems
  const akte = sandbox.seed.akten[1]!
  const attachment = await espo.seedAttachment({ name: 'Notiz.txt', type: 'text/plain', data: Buffer.from('Notiz'), relatedType: 'Document', field: 'file' })
  espo.create('Document', { name: 'Notiz', fileId: attachment.id, publishDate: '2026-03-20', akteId: akte.espoId }, { userId: SANDBOX_PERSON.id })
  espo.update('CAkte', akte.espoId, { syncStatus: 'synced' }, { userId: ESPO_API_USER_ID })
  t.equal(espo.pendingWebhookItems().length, 1, 'only the person\'s write is queued')
  await espo.deliverAllWebhooks()
  t.match(espo.deliveryLog.at(-1), { status: 200, outcome: 'success' }, 'the signature checks out')
})

t.test('the Watcher pushes share changes to the service', async t => {
  const sandbox = await start(t)
  const { watcher } = sandbox.systems
  await watcher.writeFile('12345', 'Aktennotiz.txt', 'Rückruf erbeten')
  await watcher.push.drain()
  t.match(watcher.push.sent.at(-1), { akte: '12345', paths: ['Aktennotiz.txt'], status: 202 })
})

t.test('taken preferred ports fall back to free ones', async t => {
  const taken = await freePort()
  const blocker: Server = createServer()
  await new Promise<void>(resolve => blocker.listen(taken, '127.0.0.1', resolve))
  t.teardown(() => { blocker.close() })
  const sandbox = await start(t, { port: taken, ports: { espocrm: taken, advoware: 0, watcher: 0 } })
  t.not(new URL(sandbox.urls.service).port, String(taken))
  t.not(new URL(sandbox.urls.espocrm).port, String(taken))
  t.equal((await getJson(`${sandbox.urls.service}/health/ready`)).status, 200)
  t.match(sandbox.overview, new RegExp(`Ports taken, free ones used instead: service ${taken}, espocrm ${taken}`))
})

t.test('a given share folder is used and kept', async t => {
  const shareRoot = await mkdtemp(join(tmpdir(), 'sandbox-share-kept-'))
  t.teardown(async () => { await rm(shareRoot, { recursive: true, force: true }) })
  const sandbox = await startSandbox({ ...QUIET, shareRoot })
  t.equal(sandbox.shareRoot, shareRoot)
  t.notOk(sandbox.ownsShare)
  await sandbox.close()
  t.ok(existsSync(join(shareRoot, '12345', 'Klageerwiderung Müller.pdf')), 'the share stays')
  t.match(sandbox.overview, /kept on exit/)
})

t.test('only REDIS_*, SYNC_* and EXTERNAL_* reach the service from the environment', async t => {
  const sandbox = await start(t, { env: { SYNC_INTERVAL_MS: '2500', ADVOWARE_BASE_URL: 'https://real-advoware.example/', ESPOCRM_URL: 'https://crm.example/api/v1/' } })
  t.equal(sandbox.app.config.SYNC_INTERVAL_MS, 2500)
  t.equal(sandbox.app.config.ADVOWARE_BASE_URL, undefined, 'never a real system')
  t.equal(sandbox.app.config.ESPOCRM_URL, sandbox.urls.espocrm)
})

// The sync engine is being wired into buildApp in parallel; until then this test is skipped.
const probe = await startSandbox(QUIET)
const engineWired = probe.engineWired
await probe.close()

t.test('sandbox syncs the seeded Akten', { skip: engineWired ? false : 'the sync engine is not wired into buildApp yet' }, async t => {
  const sandbox = await start(t)
  const { espo, watcher } = sandbox.systems
  const documentsOf = (espoId: string): Array<Record<string, unknown>> => espo.list('Document').filter(d => d.akteId === espoId)
  await waitFor(async () => sandbox.seed.akten.every(akte => {
    const synced = new Set(documentsOf(akte.espoId).map(d => fold(String(d.windowsPath ?? ''))))
    return akte.linkedFiles.every(path => synced.has(fold(path)))
  }), 30_000, 'a Document for every linked share file')
  for (const akte of sandbox.seed.akten) {
    const synced = new Set(documentsOf(akte.espoId).map(d => fold(String(d.windowsPath ?? ''))))
    for (const file of akte.unlinkedFiles) t.notOk(synced.has(fold(file.path)), `${akte.aktennummer}: ${file.path} is not synced (${file.reason})`)
  }
  const akte = sandbox.seed.akten[0]!
  for (const doc of akte.espoOnlyDocuments) {
    await waitFor(async () => await watcher.readFile(akte.aktennummer, doc.fileName) !== undefined, 30_000, `${doc.fileName} on the share`)
    t.pass(`${doc.fileName} went from EspoCRM to the share`)
  }
})
