import { existsSync } from 'node:fs'
import t from 'tap'
import { request } from 'undici'
import { freePort, spawnTs, waitFor } from '../helpers/process.js'

const MAIN = new URL('../../src/sandbox/main.ts', import.meta.url).pathname

t.test('npm run sandbox: prints the overview, serves, and stops cleanly on SIGTERM', async t => {
  const port = await freePort()
  const proc = spawnTs(t, MAIN, [], {
    SANDBOX_PORT: String(port),
    SANDBOX_ESPOCRM_PORT: '0',
    SANDBOX_ADVOWARE_PORT: '0',
    SANDBOX_WATCHER_PORT: '0',
    LOG_LEVEL: 'warn'
  })
  await waitFor(async () => proc.output().includes('Ctrl-C stops everything'), 30_000, 'the overview')
  const output = proc.output()
  t.match(output, new RegExp(`ready\\s+http://127\\.0\\.0\\.1:${port}/health/ready`))
  t.match(output, /Try a change/)
  t.match(output, /WARN\s+REDIS_URL is not set/, 'service logs are readable lines, not JSON')
  const res = await request(`http://127.0.0.1:${port}/health/ready`)
  await res.body.dump()
  t.equal(res.statusCode, 200)
  const share = /Share\s+(\S+)/.exec(output)?.[1]
  t.ok(share !== undefined && existsSync(share), 'the share folder exists')

  proc.child.kill('SIGTERM')
  t.equal(await proc.exited, 0)
  t.match(proc.output(), /Stopped; the temp share is removed/)
  t.notOk(existsSync(share ?? ''), 'the temp share is gone')
})

t.test('a bad option stops it with a line naming the variable', async t => {
  const proc = spawnTs(t, MAIN, [], { SANDBOX_PORT: 'dreitausend' })
  t.equal(await proc.exited, 78)
  t.match(proc.output(), /SANDBOX_PORT: expected a port/)
})
