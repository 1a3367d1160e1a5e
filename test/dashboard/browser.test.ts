import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config/load.js'
import { MemoryStore } from '../../src/store/memory-store.js'

/*
 * The dashboard in a real browser: Debian's headless Chromium driven by
 * playwright-core. Without either the test is skipped, unless REQUIRE_BROWSER=1
 * (CI), where a missing browser must fail rather than hide the test.
 */

const CHROMIUM = '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const TOKEN = 'admin-token-for-browser-tests'
const FAILED = '4711/2026'
const ERROR = 'Advoware answered 401: <b>token expired</b>'
const BLOCKED = '12/2026'

type Playwright = typeof import('playwright-core')

async function loadPlaywright (): Promise<Playwright | string> {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium)`
  try {
    return await import('playwright-core')
  } catch {
    return 'playwright-core is not installed (npm devDependency)'
  }
}

async function seededStore (): Promise<MemoryStore> {
  const store = new MemoryStore()
  await store.enqueue([FAILED])
  await store.claim('worker-1', 60_000, 1)
  await store.retryLater(FAILED, 'worker-1', { error: ERROR, delayMs: 0, maxAttempts: 1 })
  await store.setState('result', BLOCKED, {
    aktennummer: BLOCKED, status: 'blocked', reason: 'the plan would soft-delete 4 of 5 synced Documents',
    counts: { 'soft-delete-document': 0 }, bytes: { toEspo: 0, toWindows: 0 }, durationMs: 800, errors: [], finishedAt: new Date().toISOString()
  })
  return store
}

const playwright = await loadPlaywright()
if (typeof playwright === 'string') {
  if (process.env['REQUIRE_BROWSER'] === '1') t.fail(`REQUIRE_BROWSER=1, but ${playwright}`)
  else t.plan(0, `no browser: ${playwright}`)
} else {
  t.test('an admin logs in, retries a failed Akte and forces a blocked one without reloading', async t => {
    const store = await seededStore()
    const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent', ADMIN_TOKEN: TOKEN }), store, logger: false })
    const base = await app.listen({ host: '127.0.0.1', port: 0 })
    const profile = await mkdtemp(join(tmpdir(), 'dashboard-chromium-'))
    const context = await playwright.chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS })
    t.teardown(async () => {
      await context.close()
      await app.close()
      await rm(profile, { recursive: true, force: true })
    })
    const page = context.pages()[0] ?? await context.newPage()
    page.setDefaultTimeout(15_000)
    const problems: string[] = []
    page.on('pageerror', error => problems.push(error.message))
    page.on('console', message => {
      // The login page is a 401 by design; Chromium logs that as a failed load.
      if (message.type() === 'error' && !/status of 401/.test(message.text())) problems.push(message.text())
    })

    const first = await page.goto(`${base}/admin/`)
    t.equal(first?.status(), 401, 'no session: the login form')
    await page.getByLabel('Admin token').fill(TOKEN)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.getByRole('heading', { name: 'advoware-sync status' }).waitFor()
    const [cookie] = await context.cookies(`${base}/admin/`)
    t.match(cookie, { name: 'advoware_sync_admin', path: '/admin', httpOnly: true, sameSite: 'Strict' })

    const failedRow = page.locator('#queue tr', { hasText: FAILED })
    t.equal(await failedRow.locator('td.error').textContent(), ERROR, 'the error shows as text, markup and all')
    // Survives only as long as the page is not reloaded.
    await page.evaluate(() => { (globalThis as unknown as { marker: number }).marker = 1 })

    await page.getByRole('button', { name: `Retry Akte ${FAILED}` }).click()
    await page.locator('#action-status', { hasText: `Akte ${FAILED} is queued again.` }).waitFor()
    await page.getByRole('heading', { name: 'Failed (0)' }).waitFor()
    await page.locator('ul[aria-label="Pending Akten"] li', { hasText: FAILED }).waitFor()
    t.same((await store.overview()).pending, [FAILED])

    page.once('dialog', dialog => { void dialog.accept() })
    await page.getByRole('button', { name: `Forced sync Akte ${BLOCKED}` }).click()
    await page.locator('#action-status', { hasText: `Akte ${BLOCKED} is queued for a forced sync.` }).waitFor()
    await page.locator('#blocked tr', { hasText: BLOCKED }).filter({ hasText: 'pending' }).filter({ hasText: 'requested' }).waitFor()
    await page.locator('ul[aria-label="Pending Akten"] li', { hasText: BLOCKED }).waitFor()
    t.ok(await store.getState('force', BLOCKED), 'the forced sync is recorded')

    // A change nobody clicked for arrives with the next poll.
    await store.enqueue(['from-elsewhere'])
    await page.locator('ul[aria-label="Pending Akten"] li', { hasText: 'from-elsewhere' }).waitFor({ timeout: 12_000 })

    await page.getByLabel(/Aktennummern, one per line/).fill('55/2026\n56/2026, 12/2026')
    await page.getByRole('button', { name: 'Enqueue' }).click()
    await page.locator('#action-status', { hasText: '2 enqueued, 1 already pending.' }).waitFor()
    await page.locator('ul[aria-label="Pending Akten"] li', { hasText: '56/2026' }).waitFor()

    t.equal(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker), 1, 'all of it without a reload')
    t.same(problems, [], 'no script errors or CSP violations')

    await page.getByRole('button', { name: 'Log out' }).click()
    await page.getByLabel('Admin token').waitFor()
    t.same(await context.cookies(`${base}/admin/`), [], 'the cookie is gone')
  })
}
