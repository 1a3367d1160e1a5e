import closeWithGrace from 'close-with-grace'
import { ConfigError } from '../config/load.js'
import { startSandbox, type SandboxOptions } from './sandbox.js'

/**
 * `npm run sandbox`: the simulators and the service in one process, seeded.
 * Reads only the real environment, never `.env`: a developer's `.env` points
 * at real systems, and the sandbox must not. Options:
 *   SANDBOX_PORT (service, 3000), SANDBOX_ESPOCRM_PORT (8081), SANDBOX_ADVOWARE_PORT (8082),
 *   SANDBOX_WATCHER_PORT (8765): 0 picks free ports, taken ones fall back to free ones;
 *   SANDBOX_HOST: the address everything listens on (127.0.0.1; 0.0.0.0 in a container);
 *   SANDBOX_SHARE: a share folder to use and keep (default: a temp folder, removed on exit);
 *   SANDBOX_LOG_FORMAT: pretty (default) or json; LOG_LEVEL (info);
 *   REDIS_*, SYNC_*, EXTERNAL_* reach the service as they are.
 */
function port (name: string): number | undefined {
  const raw = process.env[name]
  if (raw === undefined || raw.trim() === '') return undefined
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    process.stderr.write(`${name}: expected a port (0-65535, 0 picks a free one), got ${JSON.stringify(raw)}\n`)
    process.exit(78)
  }
  return value
}

function options (): SandboxOptions {
  const format = process.env.SANDBOX_LOG_FORMAT
  if (format !== undefined && format !== 'pretty' && format !== 'json') {
    process.stderr.write(`SANDBOX_LOG_FORMAT: expected pretty or json, got ${JSON.stringify(format)}\n`)
    process.exit(78)
  }
  const share = process.env.SANDBOX_SHARE
  return {
    port: port('SANDBOX_PORT'),
    ports: { espocrm: port('SANDBOX_ESPOCRM_PORT'), advoware: port('SANDBOX_ADVOWARE_PORT'), watcher: port('SANDBOX_WATCHER_PORT') },
    shareRoot: share === undefined || share.trim() === '' ? undefined : share,
    // 0.0.0.0 in a container, so the published ports reach it.
    host: process.env.SANDBOX_HOST,
    logLevel: process.env.LOG_LEVEL,
    logFormat: format,
    env: process.env
  }
}

async function main (): Promise<void> {
  let sandbox
  try {
    sandbox = await startSandbox(options())
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(78)
    }
    throw error
  }
  const running = sandbox
  process.stdout.write(`${running.overview}\n`)
  // Longer than the sync grace period, as in serve.ts: running syncs get their time.
  closeWithGrace({ delay: running.app.config.SYNC_SHUTDOWN_GRACE_MS + 10_000 }, async ({ signal, err }) => {
    if (err !== undefined) process.stderr.write(`Stopping the sandbox after an unexpected error: ${err.stack ?? err.message}\n`)
    else process.stdout.write(`\nStopping the sandbox (${signal ?? 'exit'})...\n`)
    await running.close()
    process.stdout.write(running.ownsShare ? 'Stopped; the temp share is removed.\n' : `Stopped; the share stays in ${running.shareRoot}.\n`)
  })
}

await main()
