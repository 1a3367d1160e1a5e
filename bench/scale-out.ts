import { randomUUID } from 'node:crypto'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { linkIntoShare, makeTemplate, recordInIndex, type Template } from './lib/files.js'
import { num, target, type Benchmark, type Figures } from './lib/report.js'
import { procCpuMs, startService, type Service } from './lib/service.js'
import { startWorld, type World } from './lib/world.js'

/*
 * Workload 7: 2,000 Akten of 5 files each, every call to the simulators 20 ms
 * slower (faults.latencyMs), synced by one instance and then by three on one
 * Redis (fresh simulators each time). The Akten are enqueued in batches of
 * 10 spread over the instances, as webhooks arrive through a load balancer.
 * From EspoCRM's call log: no Akte's sync (its lookup to its Akte write) may
 * overlap another sync of the same Akte.
 */

const REDIS_URL = 'redis://127.0.0.1:6379'
const LATENCY_MS = 20
const BATCH = 10

interface Phase { ms: number, synced: number, overlapping: number, repeated: number, cpuMs: number, simCpuMs: number, simLoopBusy: number, simLagP99Ms: number }

async function seed (world: World, template: Template, count: number): Promise<Map<string, string>> {
  const ids = new Map<string, string>()
  for (let i = 0; i < count; i++) {
    const nr = `BENCH-7-${String(i).padStart(4, '0')}`
    ids.set(nr, await world.addAkte(nr, 10_000 + i))
    world.linkHistory(10_000 + i, template.files)
    await linkIntoShare(world.systems.watcher, nr, template.files)
  }
  for (const nr of ids.keys()) await recordInIndex(world.systems.watcher, nr, template.files)
  return ids
}

/** Per Akte, the intervals from its lookup to its Akte write; counts Akten whose syncs overlapped or repeated. */
function checkIntervals (world: World, ids: Map<string, string>, since: number): { overlapping: number, repeated: number } {
  const byId = new Map([...ids].map(([nr, id]) => [id, nr]))
  const events = new Map<string, Array<{ t: number, kind: 'start' | 'end' }>>()
  const add = (nr: string, t: number, kind: 'start' | 'end'): void => {
    events.set(nr, [...(events.get(nr) ?? []), { t, kind }])
  }
  for (const c of world.systems.espo.faults.calls) {
    if (c.at < since) continue
    if (c.method === 'GET' && c.url.startsWith('/api/v1/CAkte?')) {
      const nr = /BENCH-7-\d{4}/.exec(decodeURIComponent(c.url))?.[0]
      if (nr !== undefined) add(nr, c.at, 'start')
    } else if (c.method === 'PUT' && c.url.startsWith('/api/v1/CAkte/')) {
      const nr = byId.get(c.url.slice('/api/v1/CAkte/'.length))
      if (nr !== undefined) add(nr, c.finishedAt ?? c.at, 'end')
    }
  }
  let overlapping = 0
  let repeated = 0
  for (const list of events.values()) {
    list.sort((a, b) => a.t - b.t || (a.kind === 'end' ? -1 : 1))
    let open = 0
    let peak = 0
    for (const e of list) {
      open += e.kind === 'start' ? 1 : -1
      peak = Math.max(peak, open)
    }
    if (peak > 1) overlapping++
    if (list.filter(e => e.kind === 'start').length > 1) repeated++
  }
  return { overlapping, repeated }
}

async function phase (template: Template, count: number, instances: number, log: (m: string) => void): Promise<Phase> {
  const world = await startWorld()
  const prefix = `bench:${randomUUID()}:`
  const services: Service[] = []
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 })
  try {
    const ids = await seed(world, template, count)
    for (const sim of [world.systems.espo, world.systems.advoware, world.systems.watcher]) sim.faults.latencyMs = LATENCY_MS
    for (let i = 0; i < instances; i++) {
      services.push(await startService({ ...world.systems.env, REDIS_URL, REDIS_KEY_PREFIX: prefix }, `scale-${instances}-${i}`))
    }
    await sleep(1000)
    const cpuBefore = await Promise.all(services.map(async s => await procCpuMs(s.pid)))
    const simCpuBefore = process.cpuUsage()
    // How busy the simulators' event loop was: it serves all three systems, and the load.
    const eluBefore = performance.eventLoopUtilization()
    const lag = monitorEventLoopDelay({ resolution: 10 })
    lag.enable()
    const names = [...ids.keys()]
    const started = Date.now()
    for (let b = 0; b * BATCH < names.length; b++) await services[b % instances]!.enqueue(names.slice(b * BATCH, (b + 1) * BATCH))
    const written = new Set<string>()
    const calls = world.systems.espo.faults.calls
    let scanned = calls.findIndex(c => c.at >= started)
    if (scanned < 0) scanned = calls.length
    let last = started
    while (written.size < count) {
      for (; scanned < calls.length && calls[scanned]!.finishedAt !== undefined; scanned++) {
        const c = calls[scanned]!
        if (c.method === 'PUT' && c.url.startsWith('/api/v1/CAkte/')) {
          written.add(c.url)
          last = Math.max(last, c.finishedAt ?? c.at)
        }
      }
      if (Date.now() - started > 1_800_000) throw new Error(`only ${written.size} of ${count} Akten synced after 30 min`)
      await sleep(50)
    }
    const cpuMs = (await Promise.all(services.map(async s => await procCpuMs(s.pid)))).reduce((a, v, i) => a + v - cpuBefore[i]!, 0)
    const sim = process.cpuUsage(simCpuBefore)
    const simLoopBusy = performance.eventLoopUtilization(eluBefore).utilization
    lag.disable()
    const synced = [...ids.values()].filter(id => world.systems.espo.get('CAkte', id)?.syncStatus === 'synced').length
    const check = checkIntervals(world, ids, started)
    log(`${instances} instance(s): ${last - started} ms, ${synced} synced, ${check.overlapping} overlapping, ${check.repeated} repeated`)
    return { ms: last - started, synced, ...check, cpuMs, simCpuMs: (sim.user + sim.system) / 1000, simLoopBusy, simLagP99Ms: lag.percentile(99) / 1e6 }
  } finally {
    await Promise.all(services.map(async s => await s.stop()))
    await world.close()
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
      cursor = next
      if (keys.length > 0) await redis.del(...keys)
    } while (cursor !== '0')
    await redis.quit()
  }
}

export const scaleOut: Benchmark = {
  name: 'scale',
  title: 'scale-out: three instances on one Redis vs one',
  run: async ({ quick, log }): Promise<Figures> => {
    const count = quick ? 300 : 2000
    const template = await makeTemplate(Array.from({ length: 5 }, (_, i) => ({ path: `Dokument ${i}.pdf`, size: 20_000 + i * 5_000 })))
    try {
      const one = await phase(template, count, 1, log)
      const three = await phase(template, count, 3, log)
      const figures: Figures = { count, speedup: one.ms / three.ms }
      for (const [prefix, p] of [['one', one], ['three', three]] as const) {
        for (const [key, value] of Object.entries(p)) figures[`${prefix}${key[0]!.toUpperCase()}${key.slice(1)}`] = value
      }
      return figures
    } finally {
      await template.remove()
    }
  },
  report: (m) => {
    const row = (label: string, p: 'one' | 'three'): Array<string | number> => {
      const ms = m[`${p}Ms`]!
      const cpu = m[`${p}CpuMs`]! + m[`${p}SimCpuMs`]!
      return [label, num(ms / 1000, 1), num(m.count! / (ms / 1000), 1), num(m[`${p}Synced`]), num(m[`${p}Overlapping`]), num(m[`${p}Repeated`]),
        num(m[`${p}CpuMs`]! / 1000, 1), num(m[`${p}SimCpuMs`]! / 1000, 1), `${num(cpu / ms / 2 * 100, 0)} %`,
        `${num(m[`${p}SimLoopBusy`]! * 100, 0)} %`, num(m[`${p}SimLagP99Ms`], 1)]
    }
    return {
      tables: [{
        title: `${num(m.count)} Akten x 5 files, ${LATENCY_MS} ms added to every simulator call (enqueue to last Akte write)`,
        columns: ['instances', 'time (s)', 'Akten/s', 'synced', 'synced twice at once', 'synced more than once', 'service CPU (s)', 'simulators CPU (s)', 'of 2 cores', 'simulators\' event loop busy', 'its p99 delay (ms)'],
        rows: [row('1', 'one'), row('3 (one Redis)', 'three'), ['speed-up', num(m.speedup), '', '', '', '', '', '', '', '', '']]
      }],
      targets: [
        target('speed-up of 3 instances >= 2.5x', m.speedup! >= 2.5, `${num(m.speedup)}x; the CPU the three-instance run used, spread perfectly over 2 cores, would allow at most ${num(m.oneMs! / ((m.threeCpuMs! + m.threeSimCpuMs!) / 2))}x`),
        target('no Akte synced twice at once', m.oneOverlapping === 0 && m.threeOverlapping === 0, `${num(m.threeOverlapping)} with 3 instances, ${num(m.oneOverlapping)} with 1`),
        target('every Akte synced', m.oneSynced === m.count && m.threeSynced === m.count, `${num(m.oneSynced)} and ${num(m.threeSynced)} of ${num(m.count)}`)
      ]
    }
  }
}
