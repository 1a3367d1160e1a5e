import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import t from 'tap'
import { request } from 'undici'
import { freePort, spawnTs, waitFor } from './helpers/process.js'
import { REDIS_REQUIRED } from './helpers/redis.js'

const SERVER = new URL('../src/server.ts', import.meta.url).pathname
const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find(p => existsSync(p))

async function status (port: number, path: string): Promise<number> {
  const res = await request(`http://127.0.0.1:${port}${path}`, { headersTimeout: 2000 })
  await res.body.dump()
  return res.statusCode
}

t.test('an invalid variable stops the process with a message naming it', async t => {
  const proc = spawnTs(t, SERVER, [], { PORT: 'not-a-port', LOG_LEVEL: 'loud', ADVOWARE_WATCHER_AUTH_TOKEN: 'short' })
  const code = await proc.exited
  t.not(code, 0)
  t.match(proc.output(), /PORT: expected the HTTP port/)
  t.match(proc.output(), /LOG_LEVEL: expected one of/)
  t.match(proc.output(), /ADVOWARE_WATCHER_AUTH_TOKEN: .*got \(hidden\)/)
  t.notMatch(proc.output(), /short/, 'secret values are not echoed')
  t.notMatch(proc.output(), /\n\s+at /, 'no stack trace')
})

t.test('without REDIS_URL it serves on the embedded store and exits 0 on SIGTERM', async t => {
  const port = await freePort()
  const proc = spawnTs(t, SERVER, [], { PORT: String(port), HOST: '127.0.0.1' })
  await waitFor(async () => await status(port, '/health/ready') === 200, 20_000, 'readiness')
  t.match(proc.output(), /embedded store/)
  proc.child.kill('SIGTERM')
  t.equal(await proc.exited, 0)
})

t.test('with Redis down it stays up, answers 503, and recovers when Redis comes up', { skip: REDIS_SERVER === undefined && !REDIS_REQUIRED ? 'no redis-server binary' : false }, async t => {
  const port = await freePort()
  const redisPort = await freePort()
  const proc = spawnTs(t, SERVER, [], { PORT: String(port), HOST: '127.0.0.1', REDIS_URL: `redis://127.0.0.1:${redisPort}` })
  await waitFor(async () => await status(port, '/health/live') === 200, 20_000, 'liveness')
  t.equal(await status(port, '/health/ready'), 503)
  t.equal(await status(port, '/health/live'), 200)

  const redis = spawn(REDIS_SERVER ?? 'redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  t.teardown(() => { redis.kill('SIGKILL') })
  await waitFor(async () => await status(port, '/health/ready') === 200, 20_000, 'recovery')
  t.pass('ready once Redis is up')
  t.equal(proc.child.exitCode, null, 'never exited')
})
