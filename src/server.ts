import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, loadDotEnv } from './config/load.js'

/** Starts the service: configuration, app, listen, and a graceful close on signals. */
async function main (): Promise<void> {
  loadDotEnv()
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example or the README for every variable.\n`)
      process.exit(78)
    }
    throw error
  }
  const app = await buildApp({ config })
  closeWithGrace({ delay: 30_000 }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'closing after an unexpected error')
    else app.log.info({ signal }, 'closing')
    await app.close()
  })
  await app.listen({ port: config.PORT, host: config.HOST })
}

await main()
