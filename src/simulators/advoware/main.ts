import { createAdvowareSimulator } from './simulator.js'

/**
 * Runs the Advoware simulator as its own process (e2e, docker compose):
 * `npx tsx src/simulators/advoware/main.ts`. Drive it through `/__sim/*`.
 */
const env = process.env
const sim = createAdvowareSimulator({
  host: env.ADVOWARE_SIM_HOST ?? '127.0.0.1',
  port: Number(env.ADVOWARE_SIM_PORT ?? 8764),
  publicUrl: env.ADVOWARE_SIM_PUBLIC_URL,
  announceConnector: env.ADVOWARE_SIM_CONNECTOR !== 'false',
  tokenLifetimeSeconds: env.ADVOWARE_SIM_TOKEN_LIFETIME !== undefined ? Number(env.ADVOWARE_SIM_TOKEN_LIFETIME) : undefined,
  logger: env.ADVOWARE_SIM_LOG === 'true'
})
const url = await sim.listen()
console.log(`Advoware simulator on ${url} (discovery ${sim.discoveryUrl()})`)
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { void sim.close() })
