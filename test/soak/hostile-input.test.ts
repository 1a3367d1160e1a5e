import fc from 'fast-check'
import t from 'tap'
import { fuzzWebhooks } from '../reliability/helpers/fuzz-run.js'
import { hostileNameArb, syncHostileNames } from '../reliability/helpers/hostile-names.js'
import { seedFromEnv } from '../reliability/helpers/model-property.js'

/*
 * Soak version of test/reliability/webhook-fuzz.test.ts and
 * hostile-names.test.ts: 25,000 generated webhook requests (RUNS overrides)
 * and 20 Akten of 50 random hostile Document names each. Runs with
 * `npm run test:soak`; `npm test` skips it without SOAK=1.
 */

const skip = process.env.SOAK !== '1' ? 'soak test: run with npm run test:soak (SOAK=1)' : false

t.test('25,000 hostile webhook requests', { skip }, async t => {
  const stats = await fuzzWebhooks(t, Number(process.env.RUNS ?? 25_000), seedFromEnv())
  t.comment(`soak figures: ${stats.requests} requests, ${stats.forged} forged`)
})

t.test('1,000 random hostile Document names in 20 Akten', { skip }, async t => {
  const seed = seedFromEnv()
  t.comment(`names from seed ${seed} (replay: SEED=${seed})`)
  const names = fc.sample(hostileNameArb, { seed, numRuns: 1_000 })
  const totals = { documents: 0, uploaded: 0, refused: 0 }
  for (let i = 0; i < names.length; i += 50) {
    await t.test(`names ${i + 1}-${i + 50}`, async t => {
      const outcome = await syncHostileNames(t, names.slice(i, i + 50))
      totals.documents += outcome.documents
      totals.uploaded += outcome.uploaded
      totals.refused += outcome.refused
    })
  }
  t.comment(`soak figures: ${JSON.stringify(totals)}`)
})
