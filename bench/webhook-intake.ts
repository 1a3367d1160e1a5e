import { setTimeout as sleep } from 'node:timers/promises'
import { loadAutocannon, type LoadResult } from './lib/autocannon.js'
import { settled } from './lib/queue.js'
import { num, target, type Benchmark, type Figures } from './lib/report.js'
import { freePort, spawnNode, startService, type Child } from './lib/service.js'
import { akteEdited, WEBHOOK_SECRETS } from './lib/webhook.js'
import { startWorld } from './lib/world.js'

/*
 * Workload 5: signed EspoCRM webhooks at full speed for 10 s (autocannon,
 * 10 connections) against the service with its worker running, and against
 * a bare Fastify route in the same run. Each delivery is verified, stored in
 * the inbox, resolved through the webhook index and enqueues its Akte, whose
 * syncs run meanwhile, as in production.
 */

const CONNECTIONS = 10
/** Real systems answer in tens of ms; at 0 ms the re-triggered syncs spin on the same 2 cores. */
const SLOW_MS = 20

async function bare (): Promise<{ url: string, child: Child }> {
  const port = await freePort()
  const child = spawnNode(['--import', 'tsx', 'bench/bare-fastify.ts'], { PORT: String(port), NODE_ENV: 'production' }, 'bare-fastify')
  for (let i = 0; i < 200 && !child.output().includes('ready'); i++) await sleep(50)
  return { url: `http://127.0.0.1:${port}`, child }
}

function figures (prefix: string, r: LoadResult): Figures {
  return {
    [`${prefix}Rps`]: r.requests.average,
    [`${prefix}P50`]: r.latency.p50,
    [`${prefix}P99`]: r.latency.p99,
    [`${prefix}Failed`]: r.non2xx + r.errors + r.timeouts
  }
}

export const webhookIntake: Benchmark = {
  name: 'intake',
  title: 'webhook intake under load',
  run: async ({ quick, log }): Promise<Figures> => {
    const autocannon = await loadAutocannon()
    if (autocannon === undefined) throw new Error('autocannon is not installed: npm install --save-dev --save-exact autocannon@9.0.0 (or set BENCH_DEPS)')
    const duration = quick ? 3 : 10
    const world = await startWorld()
    const baseline = await bare()
    try {
      const akteId = await world.addAkte('BENCH-5', 9001)
      const delivery = akteEdited(akteId, 'Umbenannt')
      const load = async (url: string): Promise<LoadResult> =>
        await autocannon({ url: `${url}${delivery.path}`, method: 'POST', headers: delivery.headers, body: delivery.body, connections: CONNECTIONS, duration })

      const bareResult = await load(baseline.url)
      await baseline.child.kill()
      log(`bare Fastify: ${Math.round(bareResult.requests.average)} req/s, p99 ${bareResult.latency.p99} ms`)

      const result: Figures = { ...figures('bare', bareResult), duration }
      for (const latency of [0, SLOW_MS]) {
        for (const sim of [world.systems.espo, world.systems.advoware, world.systems.watcher]) sim.faults.latencyMs = latency
        const service = await startService({ ...world.systems.env, ESPOCRM_WEBHOOK_SECRETS: WEBHOOK_SECRETS }, `intake-${latency}`)
        try {
          // Synced once, so the webhook index knows the Akte, as in steady operation.
          const started = Date.now()
          await service.enqueue(['BENCH-5'])
          await world.waitForAkteWrite(akteId, started)
          await settled(service)
          const marks = world.callCounts()
          const serviceResult = await load(service.url)
          const syncs = world.callsSince(marks).filter(c => c.method === 'PUT' && c.url === `/api/v1/CAkte/${akteId}`).length
          log(`service, simulators +${latency} ms: ${Math.round(serviceResult.requests.average)} req/s, p99 ${serviceResult.latency.p99} ms, ${syncs} syncs meanwhile`)
          Object.assign(result, figures(`service${latency}`, serviceResult), { [`syncs${latency}`]: syncs })
        } finally {
          await service.stop()
        }
      }
      return result
    } finally {
      await baseline.child.kill()
      await world.close()
    }
  },
  report: (m) => {
    const row = (label: string, p: string): Array<string | number> =>
      [label, num(m[`${p}Rps`], 0), num(m[`${p}P50`], 1), num(m[`${p}P99`], 1), num(m[`${p}Failed`]), num(m[`${p}Rps`]! / m.bareRps!)]
    const ratio = m.service0Rps! / m.bareRps!
    return {
      tables: [{
        title: `Webhook intake, ${num(m.duration)} s at ${CONNECTIONS} connections (autocannon in the simulators' process)`,
        columns: ['target', 'requests/s', 'p50 (ms)', 'p99 (ms)', 'failed requests', 'ratio to bare Fastify (req/s)'],
        rows: [
          row('bare Fastify route (baseline)', 'bare'),
          row(`service, simulators answering at once (${num(m.syncs0)} syncs meanwhile)`, 'service0'),
          row(`service, simulators +${SLOW_MS} ms per call (${num(m[`syncs${SLOW_MS}`])} syncs meanwhile)`, `service${SLOW_MS}`)
        ]
      }],
      targets: [
        target('requests/s >= 0.5 x bare Fastify', ratio >= 0.5, `${num(ratio)} >= 0.5 (${num(m[`service${SLOW_MS}Rps`]! / m.bareRps!)} with +${SLOW_MS} ms simulators)`),
        target('p99 <= 20 ms', m.service0P99! <= 20, `${num(m.service0P99, 1)} ms (${num(m[`service${SLOW_MS}P99`], 1)} ms with +${SLOW_MS} ms simulators)`),
        target('no failed request', m.service0Failed === 0 && m[`service${SLOW_MS}Failed`] === 0, `${num(m.service0Failed)} and ${num(m[`service${SLOW_MS}Failed`])} failed`)
      ],
      notes: ['every delivery names the same Akte, so its syncs run back to back during the load, as a burst of edits to one Akte would cause']
    }
  }
}
