import { writeFileSync } from 'node:fs'
import { startSandbox } from '../../../src/sandbox/sandbox.js'
import { TokenIssuer } from '../../../src/simulators/advoware/tokens.js'

/*
 * The sandbox in a child process, logging pino JSON at trace level to its
 * stdout, which the secrets test reads whole. The Advoware tokens the
 * service is issued are secrets too: they are collected here and written to
 * a file on SIGTERM, never to stdout or stderr (that would be a leak of our own).
 */

async function main (): Promise<void> {
  const issued: string[] = []
  const issue = TokenIssuer.prototype.issue
  TokenIssuer.prototype.issue = function (this: TokenIssuer, body: unknown) {
    const outcome = issue.call(this, body)
    if (outcome.ok) issued.push(outcome.response.access_token, outcome.response.refresh_token)
    return outcome
  }

  const sandbox = await startSandbox({
    port: 0,
    ports: { espocrm: 0, advoware: 0, watcher: 0 },
    logFormat: 'json',
    logLevel: 'trace',
    espoWebhookIntervalMs: 300,
    env: process.env
  })
  process.stderr.write(`SANDBOX_READY ${JSON.stringify({ ...sandbox.urls, store: sandbox.app.store.kind, level: sandbox.app.log.level })}\n`)

  process.once('SIGTERM', () => {
    void (async () => {
      writeFileSync(process.env.TOKENS_FILE ?? '/dev/null', JSON.stringify(issued))
      await sandbox.close()
      process.exit(0)
    })()
  })
}

// Only as the secrets test's child: `tap test/reliability` runs every file in the folder, this one too.
if (process.env.SANDBOX_CHILD === '1') await main()
