import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import type { Test } from 'tap'
import { freePort, waitFor } from '../../helpers/process.js'
import { REDIS_REQUIRED } from '../../helpers/redis.js'

/*
 * A redis-server of the test's own on a free port, which the test stops and
 * starts again: the shared Redis of the other suites must never go down.
 * It keeps an append-only file in a temp folder (fsync on every write), as
 * the docker-compose Redis does: with `--appendonly no` a restart would
 * forget acknowledged events by itself, and the test would measure Redis's
 * configuration instead of the service.
 */

export function redisServerAvailable (): boolean {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' })
  return probe.error === undefined && probe.status === 0
}

/** tap options: skip without the binary, unless REQUIRE_REDIS=1 makes that a failure. */
export function redisServerTestOptions (): { skip: string | false } {
  if (redisServerAvailable()) return { skip: false }
  if (REDIS_REQUIRED) throw new Error('REQUIRE_REDIS=1 but there is no redis-server binary on PATH')
  return { skip: 'no redis-server binary on PATH' }
}

export interface OwnRedis {
  port: number
  url: string
  stop: () => Promise<void>
  start: () => Promise<void>
  /** Whether the server process is running. */
  readonly up: boolean
}

export async function ownRedis (t: Test, options: { password?: string } = {}): Promise<OwnRedis> {
  const port = await freePort()
  const dir = await mkdtemp(join(tmpdir(), 'reliability-redis-'))
  let child: ChildProcess | undefined
  let exited: Promise<void> = Promise.resolve()

  const start = async (): Promise<void> => {
    const proc = spawn('redis-server', [
      '--port', String(port), '--bind', '127.0.0.1', '--save', '',
      // REDIS_AOF=0: no persistence at all, to see what a bare Redis restart costs.
      '--appendonly', process.env.REDIS_AOF === '0' ? 'no' : 'yes', '--appendfsync', 'always', '--dir', dir,
      ...(options.password === undefined ? [] : ['--requirepass', options.password])
    ], { stdio: 'ignore' })
    child = proc
    exited = new Promise(resolve => proc.once('exit', () => resolve()))
    await waitFor(async () => {
      const probe = new Redis({ port, host: '127.0.0.1', password: options.password, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
      probe.on('error', () => undefined)
      try {
        await probe.connect()
        return await probe.ping() === 'PONG'
      } finally {
        probe.disconnect()
      }
    }, 10_000, `redis-server on port ${port}`)
  }

  const stop = async (): Promise<void> => {
    const proc = child
    if (proc === undefined || proc.exitCode !== null) return
    // SIGTERM: Redis closes every connection and exits; the AOF holds what it acknowledged.
    proc.kill('SIGTERM')
    await exited
    child = undefined
  }

  t.teardown(async () => {
    if (child !== undefined && child.exitCode === null) {
      child.kill('SIGKILL')
      await exited
    }
    await rm(dir, { recursive: true, force: true })
  })
  await start()
  return {
    port,
    url: `redis://${options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`}127.0.0.1:${port}`,
    start,
    stop,
    get up () { return child !== undefined && child.exitCode === null }
  }
}
