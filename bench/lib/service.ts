import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

/*
 * The service under test runs as it ships (`node dist/server.js`, compiled
 * here into bench/results/.build) in a child process of its own: its CPU and
 * memory are then its own, apart from the simulators and the load generator.
 */

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const BUILD = join(ROOT, 'bench/results/.build')
let built: Promise<void> | undefined

/**
 * Compiles src once per bench process, so every figure is of the current code.
 * BENCH_NO_BUILD=1 keeps an existing build (for experiments on a patched build).
 */
export async function ensureBuild (): Promise<void> {
  built ??= (async () => {
    if (process.env.BENCH_NO_BUILD === '1') return
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc')
    await promisify(execFile)(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', BUILD], { cwd: ROOT })
    await promisify(execFile)('cp', ['-r', join(ROOT, 'src/store/lua'), join(BUILD, 'store/')])
  })()
  await built
}

export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
}

/** A value of /proc/<pid>/status in KiB (VmRSS, VmHWM, ...). */
export async function procStatusKb (pid: number, field: string): Promise<number> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8')
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)
  return match === null ? Number.NaN : Number(match[1])
}

/** CPU time (user + system) the process used so far, in ms (from /proc/<pid>/stat, 100 ticks/s). */
export async function procCpuMs (pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name (which may contain spaces) start at state (field 3).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** Resets the kernel's peak-RSS mark (VmHWM), so a later peak belongs to what ran in between. */
export async function resetPeakRss (pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5')
}

export interface Child {
  process: ChildProcess
  pid: number
  output: () => string
  exited: Promise<number | null>
  kill: () => Promise<void>
}

export const LOGS = join(ROOT, 'bench/results/logs')
let spawned = 0

/**
 * Runs a script in a child Node process. Its output goes to a file in
 * bench/results/logs, not through a pipe: reading a pipe would cost the
 * bench process (where the simulators run) CPU under load.
 */
export function spawnNode (args: string[], env: Record<string, string>, name = 'child'): Child {
  mkdirSync(LOGS, { recursive: true })
  const logFile = join(LOGS, `${process.pid}-${++spawned}-${name}.log`)
  const fd = openSync(logFile, 'w')
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', fd, fd]
  })
  closeSync(fd)
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  return {
    process: child,
    pid: child.pid ?? 0,
    output: () => readFileSync(logFile, 'utf8').slice(-64 * 1024),
    exited,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    }
  }
}

export interface Service extends Child {
  url: string
  adminToken: string
  /** POST /admin/api/akten: the same enqueue a webhook does. */
  enqueue: (aktennummern: string[]) => Promise<void>
  /** SIGTERM and wait (SIGKILL after 30 s). */
  stop: () => Promise<void>
}

/** Starts the compiled service with `env` on a free port; resolves once /health/ready answers 200. */
export async function startService (env: Record<string, string>, name = 'service', nodeArgs: string[] = []): Promise<Service> {
  await ensureBuild()
  const port = await freePort()
  // BENCH_SERVICE_NODE_OPTIONS: V8 flags for experiments (e.g. --max-semi-space-size=1); the figures on record use none.
  const extra = (process.env.BENCH_SERVICE_NODE_OPTIONS ?? '').split(' ').filter(Boolean)
  const child = spawnNode([...extra, ...nodeArgs, join(BUILD, 'server.js')], {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    // The production default: a log line per action and per webhook is part of the cost.
    LOG_LEVEL: 'info',
    ...env,
    PORT: String(port)
  }, name)
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.process.exitCode !== null) throw new Error(`service exited at start:\n${child.output()}`)
    try {
      const res = await fetch(`${url}/health/ready`)
      if (res.status === 200) break
    } catch {}
    if (Date.now() > deadline) {
      await child.kill()
      throw new Error(`service not ready after 30 s:\n${child.output()}`)
    }
    await sleep(50)
  }
  const adminToken = env.ADMIN_TOKEN ?? ''
  return {
    ...child,
    url,
    adminToken,
    enqueue: async (aktennummern) => {
      const res = await fetch(`${url}/admin/api/akten`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ aktennummern })
      })
      if (res.status !== 202) throw new Error(`enqueue answered ${res.status}: ${await res.text()}`)
    },
    stop: async () => {
      if (child.process.exitCode !== null) return
      child.process.kill('SIGTERM')
      const timer = setTimeout(() => { child.process.kill('SIGKILL') }, 30_000)
      await child.exited
      clearTimeout(timer)
    }
  }
}
