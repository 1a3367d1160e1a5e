import fc from 'fast-check'
import type { Test } from 'tap'
import { foreignBytes, finish } from './model-checks.js'
import { applyStep, newModel, type RunContext } from './model-run.js'
import { sequenceArb } from './model-steps.js'
import { startModelWorld } from './model-world.js'

/*
 * The model-based property shared by the fast suite and the soak: random
 * sequences of edits on both sides and syncs under faults, then one
 * fault-free sync and the invariants. Replay a failure with the printed
 * seed and path: SEED=<seed> REPLAY_PATH=<path> RUNS=1 npx tap <file>
 * (and MAX_STEPS=20 for a failure found by the soak).
 */

export interface ModelOptions {
  runs: number
  maxSteps: number
  /** Stop early (counted as done, not failed) after this long; the soak's budget. */
  timeLimitMs?: number
  recycleEvery?: number
  prefix?: string
  /** Overrides SEED (the soak's lanes each take their own). */
  seed?: number
}

export interface ModelStats {
  sequences: number
  steps: number
  syncs: number
  faultedSyncs: number
  failedSyncs: number
  conflicts: number
  forced: number
  seed: number
  interrupted: boolean
  ms: number
}

const env = process.env

export function seedFromEnv (): number {
  return env.SEED !== undefined ? Number(env.SEED) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0
}

export async function runModel (t: Test, options: ModelOptions): Promise<ModelStats> {
  const seed = options.seed ?? seedFromEnv()
  const runs = options.seed === undefined && env.RUNS !== undefined ? Number(env.RUNS) : options.runs
  const maxSteps = env.MAX_STEPS !== undefined ? Number(env.MAX_STEPS) : options.maxSteps
  const path = env.REPLAY_PATH
  t.comment(`model-based: seed ${seed}, ${runs} sequences of up to ${maxSteps} steps${path === undefined ? '' : `, path ${path}`} (replay this lane: SEED=${seed} RUNS=${runs} LANES=1 MAX_STEPS=${maxSteps})`)
  const world = await startModelWorld({ recycleEvery: options.recycleEvery, prefix: options.prefix })
  t.teardown(world.close)
  const started = Date.now()
  const stats: ModelStats = { sequences: 0, steps: 0, syncs: 0, faultedSyncs: 0, failedSyncs: 0, conflicts: 0, forced: 0, seed, interrupted: false, ms: 0 }

  const property = fc.asyncProperty(sequenceArb(maxSteps), async steps => {
    const akte = await world.newAkte()
    const ctx: RunContext = { systems: world.systems, akte, model: newModel(), serial: 0 }
    const violations: string[] = []
    try {
      for (const [i, step] of steps.entries()) {
        await applyStep(ctx, step, i)
        // Bytes nobody wrote must never appear, not even in the middle of a faulty sequence.
        if (step.kind === 'sync') violations.push(...(await foreignBytes(ctx)).map(v => `after step ${i}: ${v}`))
      }
      const outcome = await finish(ctx)
      violations.push(...outcome.violations)
      if (outcome.forced) stats.forced++
    } catch (error) {
      violations.push(`the sequence threw: ${(error as Error).stack ?? String(error)}`)
    }
    stats.sequences++
    stats.steps += steps.length
    const syncSteps = steps.filter(s => s.kind === 'sync')
    stats.syncs += ctx.model.summaries.length
    stats.faultedSyncs += syncSteps.filter(s => s.kind === 'sync' && s.faults.length > 0).length
    stats.failedSyncs += ctx.model.summaries.filter(s => s.status === 'failed').length
    stats.conflicts += ctx.model.summaries.reduce((n, s) => n + s.counts.conflict, 0)
    if (violations.length > 0) {
      throw new Error([
        `Akte ${akte.nr}: ${violations.length} violation(s)`, ...violations.map(v => `  ! ${v}`),
        'steps:', ...ctx.model.trace.map(l => `  ${l}`),
        'engine log (last lines):', ...akte.log.lines.map(l => `  ${l}`)
      ].join('\n'))
    }
  })

  const details = await fc.check(property, {
    seed,
    numRuns: runs,
    ...(path === undefined ? {} : { path }),
    // Each shrink replays whole sequences against the servers: only on request.
    endOnFailure: env.SHRINK !== '1',
    ...(options.timeLimitMs === undefined ? {} : { interruptAfterTimeLimit: options.timeLimitMs, markInterruptAsFailure: false })
  })
  stats.interrupted = details.interrupted
  stats.ms = Date.now() - started
  if (details.failed) {
    const error = details.errorInstance as Error | undefined
    // The report on its own lines: tap folds a failure message into one.
    t.comment(`${fc.defaultReportMessage(details) ?? 'property failed'}\n${error?.message ?? String(details.errorInstance)}`)
    t.fail(`violations found; replay with SEED=${seed} REPLAY_PATH=${details.counterexamplePath ?? ''} RUNS=1 MAX_STEPS=${maxSteps}`)
  }
  else t.pass(`${stats.sequences} sequences, ${stats.steps} steps, ${stats.syncs} syncs (${stats.faultedSyncs} with faults, ${stats.failedSyncs} failed), ${stats.conflicts} conflicts, ${stats.forced} forced past the guard, ${Math.round(stats.ms / 1000)} s`)
  return stats
}

export interface LaneFigures extends Omit<ModelStats, 'seed'> {
  seeds: number[]
}

/**
 * Several runs at once, each on simulators of its own (a fault armed on a
 * simulator hits whatever request comes next), lane i with seed SEED + i.
 * A sequence spends most of its time waiting (timeouts, backoff), so lanes
 * overlap well. REPLAY_PATH replays one sequence in one lane.
 */
export async function runModelLanes (t: Test, options: ModelOptions & { lanes: number }): Promise<LaneFigures> {
  const seed = seedFromEnv()
  const total = env.RUNS !== undefined ? Number(env.RUNS) : options.runs
  const lanes = env.REPLAY_PATH !== undefined ? 1 : Number(env.LANES ?? options.lanes)
  const results = await Promise.all(Array.from({ length: lanes }, async (_, lane) => await runModel(t, {
    ...options, runs: Math.ceil(total / lanes), prefix: `${options.prefix ?? 'MB'}${lane}`, seed: (seed + lane) | 0
  })))
  const sum = (key: keyof ModelStats): number => results.reduce((n, r) => n + Number(r[key]), 0)
  const figures: LaneFigures = {
    sequences: sum('sequences'),
    steps: sum('steps'),
    syncs: sum('syncs'),
    faultedSyncs: sum('faultedSyncs'),
    failedSyncs: sum('failedSyncs'),
    conflicts: sum('conflicts'),
    forced: sum('forced'),
    seeds: results.map(r => r.seed),
    interrupted: results.some(r => r.interrupted),
    ms: Math.max(...results.map(r => r.ms))
  }
  t.comment(`figures: ${JSON.stringify(figures)}`)
  return figures
}
