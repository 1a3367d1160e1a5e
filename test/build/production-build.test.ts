import { execFile } from 'node:child_process'
import { cp, mkdtemp, rm, access } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { request } from 'undici'
import { freePort, waitFor } from '../helpers/process.js'
import { spawn } from 'node:child_process'

const run = promisify(execFile)
const ROOT = new URL('../../', import.meta.url).pathname

/**
 * What the Dockerfile does, without Docker (no engine on this machine): a
 * clean install, the build, a prune to production dependencies, and a start
 * from the built output.
 */
t.test('the production build serves /health/live from dist with production dependencies only', { timeout: 600_000 }, async t => {
  const dir = await mkdtemp(join(tmpdir(), 'advoware-build-'))
  t.teardown(async () => { await rm(dir, { recursive: true, force: true }) })
  for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src']) {
    await cp(join(ROOT, entry), join(dir, entry), { recursive: true })
  }
  const npm = { cwd: dir, env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' }, maxBuffer: 16 * 1024 * 1024 }
  await run('npm', ['ci', '--prefer-offline'], npm)
  await run('npm', ['run', 'build'], npm)
  await run('npm', ['prune', '--omit=dev'], npm)
  await t.rejects(access(join(dir, 'node_modules', 'tap')), 'dev dependencies are gone')
  await t.rejects(access(join(dir, 'node_modules', 'typescript')))
  await access(join(dir, 'dist', 'store', 'lua', 'claim.lua'))

  const port = await freePort()
  const child = spawn(process.execPath, ['dist/server.js'], { cwd: dir, env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' }, stdio: 'ignore' })
  const exited = new Promise(resolve => child.once('exit', resolve))
  t.teardown(async () => { child.kill('SIGKILL'); await exited })
  await waitFor(async () => {
    const res = await request(`http://127.0.0.1:${port}/health/live`)
    await res.body.dump()
    return res.statusCode === 200
  }, 30_000, 'the built service')
  t.pass('serves /health/live')
  child.kill('SIGTERM')
  t.equal(await exited, 0, 'exits 0 on SIGTERM')
})
