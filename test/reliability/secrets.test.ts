import { readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { runCli } from '../../src/cli/main.js'
import type { Output } from '../../src/cli/output.js'
import { SANDBOX_PERSON } from '../../src/sandbox/sandbox.js'
import { SANDBOX_SECRETS } from '../../src/sandbox/systems.js'
import { DEFAULT_ADVOWARE_CREDENTIALS } from '../../src/simulators/advoware/index.js'
import { spawnTs, waitFor } from '../helpers/process.js'
import { driveSandbox, WRONG, type SandboxUrls } from './helpers/secrets-traffic.js'
import { ownRedis, redisServerAvailable } from './helpers/redis-server.js'

/*
 * A full sandbox (its own process, pino JSON at trace level) synced while
 * every credential is in play and every system refuses it once, plus the
 * doctor run with wrong keys. Not one secret, right or wrong, may appear in
 * anything the service or the CLI printed.
 */

const REDIS_PASSWORD = 'redis-password-secret-0001'
const DOCTOR_WRONG = {
  espoKey: 'wrong-espo-api-key-0001',
  espoSecret: 'wrong-espo-hmac-secret-0001',
  advowarePassword: 'wrong-advoware-password-0001',
  advowareKey: Buffer.from('wrong-advoware-api-key-0001').toString('base64'),
  watcher: 'wrong-watcher-token-0001',
  redis: 'wrong-redis-password-0001'
}

/** The CLI's doctor in this process with `env`, everything it prints captured. */
async function doctor (env: Record<string, string>): Promise<{ code: number, text: string }> {
  let text = ''
  const output: Output = { json: false, out: line => { text += `${line}\n` }, err: line => { text += `${line}\n` } }
  const saved = { ...process.env }
  const writes = { out: process.stdout.write, err: process.stderr.write }
  const capture = (chunk: unknown): boolean => { text += String(chunk); return true }
  Object.assign(process.env, env)
  process.stdout.write = capture as typeof process.stdout.write
  process.stderr.write = capture as typeof process.stderr.write
  try {
    return { code: await runCli(['doctor'], output), text }
  } finally {
    process.stdout.write = writes.out
    process.stderr.write = writes.err
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
  }
}

t.test('no secret appears in the service log or the CLI output', async t => {
  const redis = redisServerAvailable() ? await ownRedis(t, { password: REDIS_PASSWORD }) : undefined
  if (redis === undefined) t.comment('no redis-server: the sandbox runs on the embedded store, REDIS_URL is not exercised')
  const tokensFile = join(tmpdir(), `advoware-tokens-${randomUUID()}.json`)
  const child = spawnTs(t, new URL('./helpers/sandbox-child.ts', import.meta.url).pathname, [], {
    SANDBOX_CHILD: '1', TOKENS_FILE: tokensFile, SYNC_INTERVAL_MS: '500', EXTERNAL_RETRIES: '1', ...(redis === undefined ? {} : { REDIS_URL: redis.url })
  })
  await waitFor(async () => child.output().includes('SANDBOX_READY'), 60_000, 'the sandbox to start')
  const ready = /SANDBOX_READY (.*)/.exec(child.output())?.[1] ?? '{}'
  const urls = JSON.parse(ready) as SandboxUrls & { store: string }
  t.equal(urls.store, redis === undefined ? 'memory' : 'redis', `the sandbox runs on the ${urls.store} store`)

  const traffic = await driveSandbox(urls)
  t.comment(`answers: ${JSON.stringify(traffic.statuses)}`)
  t.match(traffic.statuses, { 'admin queue': 200, 'admin queue, wrong bearer': 401, 'push, wrong token': 401, 'forged webhook': 401, 'dashboard login': 303 })

  const base: Record<string, string> = {
    ESPOCRM_URL: urls.espocrm,
    ADVOWARE_DISCOVERY_URL: `${urls.advoware}/AdvonetConfigurator/api/Url`,
    ADVOWARE_KANZLEI: DEFAULT_ADVOWARE_CREDENTIALS.kanzlei,
    ADVOWARE_DATABASE: DEFAULT_ADVOWARE_CREDENTIALS.database,
    ADVOWARE_USER: DEFAULT_ADVOWARE_CREDENTIALS.user,
    ADVOWARE_APP_ID: DEFAULT_ADVOWARE_CREDENTIALS.appId,
    ADVOWARE_WATCHER_URL: urls.watcher,
    ADMIN_TOKEN: WRONG.admin,
    WATCHER_PUSH_TOKEN: WRONG.push,
    ESPOCRM_WEBHOOK_SECRETS: `6621a7b3c9d0e1f23:${WRONG.signature}`
  }
  const redisAt = (password: string): Record<string, string> => (redis === undefined ? {} : { REDIS_URL: `redis://:${password}@127.0.0.1:${redis.port}` })
  const runs = [
    await doctor({ ...base, ...redisAt(DOCTOR_WRONG.redis), ESPOCRM_API_KEY: DOCTOR_WRONG.espoKey, ADVOWARE_PASSWORD: DOCTOR_WRONG.advowarePassword, ADVOWARE_API_KEY: DOCTOR_WRONG.advowareKey, ADVOWARE_WATCHER_AUTH_TOKEN: DOCTOR_WRONG.watcher }),
    await doctor({ ...base, ESPOCRM_AUTH: 'hmac', ESPOCRM_API_KEY: SANDBOX_SECRETS.espoApiKey, ESPOCRM_SECRET_KEY: DOCTOR_WRONG.espoSecret, ADVOWARE_PASSWORD: DOCTOR_WRONG.advowarePassword, ADVOWARE_API_KEY: DEFAULT_ADVOWARE_CREDENTIALS.apiKey, ADVOWARE_WATCHER_AUTH_TOKEN: DOCTOR_WRONG.watcher }),
    await doctor({ ...base, ...redisAt(REDIS_PASSWORD), ESPOCRM_API_KEY: SANDBOX_SECRETS.espoApiKey, ADVOWARE_PASSWORD: DEFAULT_ADVOWARE_CREDENTIALS.password, ADVOWARE_API_KEY: DEFAULT_ADVOWARE_CREDENTIALS.apiKey, ADVOWARE_WATCHER_AUTH_TOKEN: SANDBOX_SECRETS.watcherToken })
  ]
  for (const run of runs) t.comment(`doctor:\n${run.text}`)
  t.same(runs.map(r => r.code), [1, 1, 0], 'the doctor fails with wrong keys and passes with the right ones')
  t.match(runs[0]?.text, /EspoCRM refused the API key/)
  t.match(runs[0]?.text, /Advoware refused/)

  child.child.kill('SIGTERM')
  await child.exited
  const tokens = JSON.parse(readFileSync(tokensFile, 'utf8')) as string[]
  t.ok(tokens.length >= 4, `${tokens.length / 2} Advoware tokens were issued to the service`)

  const secrets: Record<string, string[]> = {
    'EspoCRM API key': [SANDBOX_SECRETS.espoApiKey],
    'EspoCRM HMAC secret': [SANDBOX_SECRETS.espoSecretKey],
    'a person\'s EspoCRM API key': [SANDBOX_PERSON.apiKey],
    'Advoware password': [DEFAULT_ADVOWARE_CREDENTIALS.password],
    'Advoware API key': [DEFAULT_ADVOWARE_CREDENTIALS.apiKey, Buffer.from(DEFAULT_ADVOWARE_CREDENTIALS.apiKey, 'base64').toString('latin1')],
    'Advoware access and refresh tokens': tokens,
    'Watcher token': [SANDBOX_SECRETS.watcherToken],
    'push token': [SANDBOX_SECRETS.watcherPushToken],
    'admin token': [SANDBOX_SECRETS.adminToken],
    'webhook secrets and the dashboard session': traffic.secrets,
    'Redis password': redis === undefined ? [] : [REDIS_PASSWORD],
    'wrong credentials sent on purpose': [...Object.values(WRONG), ...Object.values(DOCTOR_WRONG), Buffer.from(DOCTOR_WRONG.advowareKey, 'base64').toString('latin1')]
  }
  const printed = child.output() + runs.map(r => r.text).join('\n')
  // DUMP_LOG=<file> keeps what was scanned, to read the log of a failing run.
  if (process.env.DUMP_LOG !== undefined) writeFileSync(process.env.DUMP_LOG, printed)
  for (const [name, values] of Object.entries(secrets)) {
    const leaked = values.filter(value => value.length >= 8 && printed.includes(value))
    t.same(leaked, [], `${name}: not in the output (${values.length} checked)`)
  }

  // The check means something only if the log is verbose and saw the refusals.
  const lines = child.output().split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as { level: number, msg?: string })
  const levels = lines.reduce<Record<number, number>>((n, l) => ({ ...n, [l.level]: (n[l.level] ?? 0) + 1 }), {})
  t.comment(`${lines.length} JSON log lines by level ${JSON.stringify(levels)}; ${printed.length} characters scanned`)
  t.ok((levels[10] ?? 0) + (levels[20] ?? 0) > 0, 'debug or trace lines were written')
  t.ok(lines.some(l => /401|refused|token/i.test(JSON.stringify(l)) && l.level >= 40), 'the refusals were logged as warnings or errors')
})
