import { createWatcherSimulator } from './simulator.js'

/**
 * Runs the Watcher simulator as its own process (e2e, docker compose):
 * `WATCHER_SIM_ROOT=/tmp/share npx tsx src/simulators/watcher/main.ts`.
 */
const env = process.env
if (env.WATCHER_SIM_ROOT === undefined) throw new Error('WATCHER_SIM_ROOT (the share folder) is required')
const sim = createWatcherSimulator({
  root: env.WATCHER_SIM_ROOT,
  token: env.WATCHER_SIM_TOKEN ?? env.ADVOWARE_WATCHER_AUTH_TOKEN ?? 'watcher-sim-token',
  pushUrl: env.WATCHER_SIM_PUSH_URL,
  pushToken: env.WATCHER_SIM_PUSH_TOKEN,
  host: env.WATCHER_SIM_HOST ?? '127.0.0.1',
  port: Number(env.WATCHER_SIM_PORT ?? 8765),
  fixedOffset: env.WATCHER_SIM_OFFSET,
  logger: env.WATCHER_SIM_LOG === 'true'
})
const url = await sim.listen()
console.log(`Watcher simulator on ${url}, share ${env.WATCHER_SIM_ROOT}`)
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { void sim.close() })
