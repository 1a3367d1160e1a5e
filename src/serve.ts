import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, loadDotEnv } from './config/load.js'
import type { AppConfig } from './config/schema.js'

/** Exit code for a configuration error (EX_CONFIG). */
export const EXIT_CONFIG = 78

/** Reads `.env` and the environment; prints every problem and exits on a bad configuration. */
export function configOrExit (env: NodeJS.ProcessEnv = process.env): AppConfig {
  loadDotEnv()
  try {
    return loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example or the README for every variable.\n`)
      process.exit(EXIT_CONFIG)
    }
    throw error
  }
}

/**
 * Starts the service: build, listen, and close gracefully on SIGINT/SIGTERM.
 * close-with-grace's delay is longer than the sync grace period, so running
 * syncs get their time before the process is forced down.
 */
export async function serve (config: AppConfig = configOrExit()): Promise<FastifyInstance> {
  const app = await buildApp({ config })
  closeWithGrace({ delay: config.SYNC_SHUTDOWN_GRACE_MS + 10_000 }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'closing after an unexpected error')
    else app.log.info({ signal }, 'closing: no new syncs; running ones get their grace period')
    await app.close()
  })
  await app.listen({ port: config.PORT, host: config.HOST })
  return app
}
