import fc from 'fast-check'
import t from 'tap'
import { seedFromEnv } from './helpers/model-property.js'
import { FIXED_HOSTILE_NAMES, fitsSimulatorDisk, hostileNameArb, syncHostileNames } from './helpers/hostile-names.js'

/*
 * EspoCRM Documents whose name or windowsPath tries to leave the Akte
 * folder, names Windows reserves, control characters, NUL and 300-character
 * names: synced against the simulators, nothing lands outside the Akte
 * folder, each is uploaded sanitised or reported, and none is retried.
 * The soak (test/soak/hostile-input.test.ts) adds many more random names.
 */

t.test('the fixed list of hostile names', async t => {
  t.ok(FIXED_HOSTILE_NAMES.every(fitsSimulatorDisk), 'every fixed name fits the simulator\'s disk')
  await syncHostileNames(t, FIXED_HOSTILE_NAMES)
})

t.test('random hostile names', async t => {
  const seed = seedFromEnv()
  t.comment(`names from seed ${seed} (replay: SEED=${seed})`)
  await syncHostileNames(t, fc.sample(hostileNameArb, { seed, numRuns: 40 }))
})
