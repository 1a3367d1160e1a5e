import { parseArgs } from 'node:util'
import { configOrExit, serve } from '../serve.js'
import { AdminClient } from './admin-client.js'
import { enqueue, registerWebhooks, retry, status } from './commands/queue-commands.js'
import { plan, sync } from './commands/sync-commands.js'
import { runDoctor } from './doctor.js'
import { CliError, consoleOutput, EXIT, type Output } from './output.js'

const USAGE = `Usage: advoware-sync <command> [options]

Commands
  serve                          run the service (same as npm start)
  sandbox                        simulators of EspoCRM, Advoware and the Watcher, the service and demo data
  enqueue <Aktennummer...>       add Akten to the queue
  status                         the queue and failed Akten as a table
  plan <Aktennummer>             what a sync would do (dry run), as a table
  sync <Aktennummer>             sync one Akte now, in the foreground [--dry-run] [--force]
  retry <Aktennummer>            retry a failed Akte now
  doctor                         check the configuration and reach Redis, EspoCRM, Advoware and the Watcher
  register-webhooks              create the EspoCRM webhooks this service needs (idempotent)

Options
  --json                         machine-readable output
  --url <url>                    the running service (default http://127.0.0.1:$PORT)
  --token <token>                the admin token (default $ADMIN_TOKEN)
  -h, --help                     this text

Exit codes: 0 ok, 1 failed (or failures found), 2 usage, 3 service unreachable, 78 configuration error.`

/** Runs one CLI invocation; returns the exit code instead of exiting, so tests can call it. */
export async function runCli (argv: string[], output?: Output): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        url: { type: 'string' },
        token: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false }
      }
    })
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`)
    return EXIT.usage
  }
  const { values, positionals } = parsed
  const [command, ...args] = positionals
  const out = output ?? consoleOutput(values.json)
  if (values.help || command === undefined) {
    out.out(USAGE)
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok
  }
  try {
    if (command === 'serve' || command === 'sandbox') {
      // Both run until a signal; close-with-grace ends the process.
      if (command === 'serve') await serve()
      else await import('../sandbox/main.js')
      return await new Promise<number>(() => {})
    }
    const config = configOrExit()
    const url = values.url ?? `http://127.0.0.1:${config.PORT}`
    const token = values.token ?? config.ADMIN_TOKEN
    const admin = new AdminClient(url, token)
    switch (command) {
      case 'enqueue': return await enqueue(admin, args, out)
      case 'retry': return await retry(admin, args, out)
      case 'status': return await status(admin, out)
      case 'register-webhooks': return await registerWebhooks(admin, out)
      case 'plan': return await plan(admin, args, out, values.force)
      case 'sync': return await sync(url, token, args, out, { dryRun: values['dry-run'], force: values.force })
      case 'doctor': {
        const checks = await runDoctor(config)
        if (out.json) out.out(JSON.stringify({ checks }))
        else for (const c of checks) out.out(`${c.level === 'ok' ? '✔' : c.level === 'warn' ? '!' : '✘'} ${c.name}: ${c.message}`)
        return checks.some(c => c.level === 'fail') ? EXIT.failed : EXIT.ok
      }
      default:
        out.err(`unknown command '${command}'\n\n${USAGE}`)
        return EXIT.usage
    }
  } catch (error) {
    if (error instanceof CliError) {
      if (out.json) out.out(JSON.stringify({ error: error.message }))
      else out.err(`advoware-sync: ${error.message}`)
      return error.exitCode
    }
    throw error
  }
}
