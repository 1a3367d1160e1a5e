import t from 'tap'
import { runModelLanes } from '../reliability/helpers/model-property.js'

/*
 * Soak version of test/reliability/model-based.test.ts: 10,000 random
 * sequences (RUNS) of up to 20 steps in 4 lanes (LANES), fresh simulators
 * every 250 sequences. SOAK_MINUTES (default 55, inside tap's 3600 s
 * timeout of `npm run test:soak`) ends the run early; the count actually
 * run is printed, and a stop at the limit is no failure. Replay a failure
 * with the fast file: SEED=<lane seed> REPLAY_PATH=<path> MAX_STEPS=20 RUNS=1
 * npx tap test/reliability/model-based.test.ts.
 * `npm test` picks this file up too and skips it without SOAK=1.
 */

const skip = process.env.SOAK !== '1' ? 'soak test: run with npm run test:soak (SOAK=1)' : false
const minutes = Number(process.env.SOAK_MINUTES ?? 55)

t.test('10,000 random sequences under faults: nothing lost, nothing doubled, converged', { skip }, async t => {
  const figures = await runModelLanes(t, { runs: 10_000, lanes: 4, maxSteps: 20, timeLimitMs: minutes * 60_000, recycleEvery: 250, prefix: 'SOAK' })
  if (figures.interrupted) t.comment(`stopped at the ${minutes}-minute limit after ${figures.sequences} sequences`)
})
