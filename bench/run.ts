import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { formatReport, medianFigures, type Benchmark, type Figures } from './lib/report.js'
import { ROOT } from './lib/service.js'
import { blake3 } from './blake3.js'
import { firstImport } from './first-import.js'
import { memory } from './memory.js'
import { webhookIntake } from './webhook-intake.js'
import { webhookLatency } from './webhook-latency.js'
import { scaleOut } from './scale-out.js'
import { unchangedAkte } from './unchanged-akte.js'

/*
 * `npm run bench [-- name ...] [--runs N] [--quick]`: runs the benchmarks
 * (all, or those named), each `--runs` times (default 3), prints each one's
 * table of medians and exits 1 when a target is missed. `--quick` shrinks
 * every workload for development; its figures prove nothing.
 */

const BENCHMARKS: Benchmark[] = [unchangedAkte, firstImport, memory, webhookLatency, webhookIntake, blake3, scaleOut]

interface Args { names: string[], runs: number, quick: boolean }

function parseArgs (argv: string[]): Args {
  const args: Args = { names: [], runs: 3, quick: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--quick') args.quick = true
    else if (arg === '--runs') args.runs = Math.max(1, Number(argv[++i]))
    else if (arg.startsWith('--runs=')) args.runs = Math.max(1, Number(arg.slice(7)))
    else if (arg === '--list') {
      for (const b of BENCHMARKS) console.log(`${b.name.padEnd(10)} ${b.title}`)
      process.exit(0)
    } else args.names.push(arg)
  }
  return args
}

function machine (): string {
  const cpu = cpus()
  return `${cpu.length} CPUs (${cpu[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 1024 ** 3)} GiB RAM, Node ${process.version}`
}

const args = parseArgs(process.argv.slice(2))
const unknown = args.names.filter(n => !BENCHMARKS.some(b => b.name === n))
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHMARKS.map(b => b.name).join(', ')}`)
  process.exit(2)
}
const selected = args.names.length === 0 ? BENCHMARKS : BENCHMARKS.filter(b => args.names.includes(b.name))
console.log(`# advoware-sync benchmarks on ${machine()}${args.quick ? ' (QUICK: small sizes, not for the record)' : ''}\n`)

let missed = 0
const results: Record<string, { runs: Figures[], median: Figures, targets: unknown[] }> = {}
for (const benchmark of selected) {
  const runs: Figures[] = []
  for (let run = 1; run <= args.runs; run++) {
    const started = Date.now()
    console.log(`[${benchmark.name}] run ${run}/${args.runs} ...`)
    try {
      runs.push(await benchmark.run({ quick: args.quick, run, log: message => { console.log(`[${benchmark.name}]   ${message}`) } }))
    } catch (error) {
      console.error(`[${benchmark.name}] run ${run} failed:`, error)
      runs.push({ failed: 1 })
    }
    console.log(`[${benchmark.name}] run ${run} took ${Math.round((Date.now() - started) / 1000)} s`)
  }
  const median = medianFigures(runs)
  const report = benchmark.report(median, runs, args.quick)
  if (runs.some(r => r.failed === 1)) report.targets.push({ name: 'every run completed', met: false, detail: `${runs.filter(r => r.failed === 1).length} of ${runs.length} runs failed` })
  console.log(`\n${formatReport(benchmark, report, runs.length)}\n`)
  missed += report.targets.filter(t => !t.met).length
  results[benchmark.name] = { runs, median, targets: report.targets }
}

// Kept for BENCHMARKS.md; bench/results/ is not committed.
const dir = join(ROOT, 'bench/results')
await mkdir(dir, { recursive: true })
const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}${args.quick ? '-quick' : ''}.json`)
await writeFile(file, JSON.stringify({ machine: machine(), quick: args.quick, results }, null, 2))
console.log(`figures of every run: ${file}`)
console.log(missed === 0 ? 'all targets met' : `${missed} target(s) missed`)
process.exit(missed === 0 ? 0 : 1)
