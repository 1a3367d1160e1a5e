import t, { type Test } from 'tap'
import { runCli } from '../../src/cli/main.js'
import type { Output } from '../../src/cli/output.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config/load.js'
import { startSystems } from '../../src/sandbox/systems.js'
import { waitFor } from '../helpers/process.js'

const TOKEN = 'cli-admin-token'

function capture (json = false): Output & { text: () => string, errors: () => string } {
  const lines: string[] = []
  const errors: string[] = []
  return { json, out: s => { lines.push(s) }, err: s => { errors.push(s) }, text: () => lines.join('\n'), errors: () => errors.join('\n') }
}

async function service (t: Test, store = new MemoryStore()): Promise<string> {
  const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent', ADMIN_TOKEN: TOKEN }), store, logger: false })
  t.teardown(async () => { await app.close() })
  return await app.listen({ port: 0, host: '127.0.0.1' })
}

t.test('enqueue, status and retry talk to the running service', async t => {
  const store = new MemoryStore()
  const url = await service(t, store)
  const base = ['--url', url, '--token', TOKEN]
  const out = capture()
  t.equal(await runCli(['enqueue', '12345', '12/2026', ...base], out), 0)
  t.match(out.text(), /2 of 2 Akten added/)
  await store.claim('w', 60_000, 1)
  await store.enqueue(['9'])
  const [claimed] = (await store.overview()).processing
  await store.retryLater(claimed!.aktennummer, 'w', { error: 'EspoCRM 503 Service Unavailable', delayMs: 0, maxAttempts: 1 })

  const table = capture()
  t.equal(await runCli(['status', ...base], table), 1, 'exit 1 while Akten have failed')
  t.match(table.text(), /failed 1/)
  t.match(table.text(), /EspoCRM 503 Service Unavailable/)

  const json = capture(true)
  await runCli(['status', '--json', ...base], json)
  t.equal(JSON.parse(json.text()).failed[0].error, 'EspoCRM 503 Service Unavailable')

  t.equal(await runCli(['retry', claimed!.aktennummer, ...base], capture()), 0)
  t.equal(await runCli(['status', ...base], capture()), 0)
})

t.test('usage errors and an unreachable service have their own exit codes', async t => {
  t.equal(await runCli([], capture()), 2)
  t.equal(await runCli(['bogus', '--token', TOKEN], capture()), 2)
  const bad = capture()
  t.equal(await runCli(['enqueue', '../etc', '--token', TOKEN], bad), 2)
  t.match(bad.errors(), /not a valid Aktennummer/)
  const down = capture()
  t.equal(await runCli(['status', '--url', 'http://127.0.0.1:9', '--token', TOKEN], down), 3)
  t.match(down.errors(), /does not answer/)
  const url = await service(t)
  const wrong = capture()
  t.equal(await runCli(['status', '--url', url, '--token', 'wrong-token'], wrong), 2)
  t.match(wrong.errors(), /refused the admin token/)
})

t.test('doctor reaches each system and says what is wrong in plain words', async t => {
  const systems = await startSystems()
  t.teardown(systems.close)
  const saved = { ...process.env }
  t.teardown(() => { process.env = saved })
  Object.assign(process.env, systems.env)
  const good = capture(true)
  t.equal(await runCli(['doctor', '--json'], good), 0)
  const checks = JSON.parse(good.text()).checks as Array<{ name: string, level: string }>
  t.same(checks.map(c => [c.name, c.level]), [['store', 'warn'], ['EspoCRM', 'ok'], ['Advoware', 'ok'], ['Watcher', 'ok']])

  process.env.ESPOCRM_API_KEY = 'wrong-api-key-000'
  process.env.ADVOWARE_WATCHER_AUTH_TOKEN = 'wrong-watcher-token'
  process.env.REDIS_URL = 'redis://127.0.0.1:9'
  const bad = capture()
  t.equal(await runCli(['doctor'], bad), 1)
  t.match(bad.text(), /✘ store: cannot reach Redis/)
  t.match(bad.text(), /✘ EspoCRM: EspoCRM refused the API key/)
  t.match(bad.text(), /✘ Watcher: the Watcher refused the token/)
  t.notMatch(bad.text(), /wrong-api-key|wrong-watcher-token/, 'no secrets in the output')
})

t.test('plan shows the dry run as a table; sync runs one Akte with progress and a summary', async t => {
  const { startSandbox } = await import('../../src/sandbox/sandbox.js')
  const sandbox = await startSandbox({ port: 0, ports: { espocrm: 0, advoware: 0, watcher: 0 }, logFormat: 'none', env: { SYNC_INTERVAL_MS: '3600000', SYNC_WAKE_ON_ENQUEUE: 'false' } })
  t.teardown(sandbox.close)
  const base = ['--url', sandbox.urls.service, '--token', sandbox.app.config.ADMIN_TOKEN as string]
  // The sandbox syncs its seeded Akten at start; then a new file is filed on the share and linked in the History.
  await waitFor(async () => { const d = await sandbox.app.store.depths(); return d.pending + d.processing === 0 }, 20_000, 'the initial sync')
  await sandbox.systems.watcher.writeFile('12345', 'Beweisantrag Jäger.pdf', Buffer.from('%PDF-1.4 Beweisantrag'))
  sandbox.systems.advoware.addHistory(4711, { datum: '2026-12-01T09:30:00', text: 'Beweisantrag', art: 'Schriftsatz', datei: 'Beweisantrag Jäger.pdf' })
  const planned = capture()
  t.equal(await runCli(['plan', '12345', ...base], planned), 0)
  t.match(planned.text(), /Akte 12345: ok/)
  t.match(planned.text(), /create-document/)
  t.match(planned.text(), /Beweisantrag Jäger\.pdf/)

  const dry = capture(true)
  t.equal(await runCli(['sync', '12345', '--dry-run', '--json', ...base], dry), 0)
  t.equal(JSON.parse(dry.text()).status, 'planned')

  const real = capture()
  t.equal(await runCli(['sync', '12345', ...base], real), 0)
  t.match(real.text(), /Akte 12345: synced/)
  t.match(real.text(), /create-document/)

  const again = capture(true)
  await runCli(['plan', '12345', '--json', ...base], again)
  t.equal(JSON.parse(again.text()).plan.counts.writes, 0, 'nothing left to do')
})
