import t from 'tap'
import { runModelLanes } from './helpers/model-property.js'

/*
 * Model-based random testing, fast version: 100 random sequences (RUNS) in
 * 4 lanes (LANES) of edits on the share, in EspoCRM and in the Advoware
 * History, interleaved with syncs under injected faults (5xx, hangs, resets,
 * corrupt bytes, expired tokens). After a fault-free sync: no edit lost, no
 * duplicate Document, both sides agree, and a dry run plans and writes
 * nothing. The soak (test/soak/model-based.test.ts) runs 10,000.
 */

t.test('random edits on both sides under faults: nothing lost, nothing doubled, converged', async t => {
  await runModelLanes(t, { runs: 100, lanes: 4, maxSteps: 16, prefix: 'MB' })
})
