import t from 'tap'
import { fuzzWebhooks } from './helpers/fuzz-run.js'
import { seedFromEnv } from './helpers/model-property.js'

/*
 * 1,500 generated requests (RUNS overrides) against both webhooks: malformed
 * JSON, forged, replayed and missing signatures and tokens, bodies past the
 * limit, wrong content types, unknown events, deep nesting, prototype keys,
 * non-string ids, 51 items. No 5xx, every forged one refused, nothing of a
 * forged one stored, no prototype polluted. The soak sends 25,000.
 */

t.test('hostile webhook requests', async t => {
  await fuzzWebhooks(t, Number(process.env.RUNS ?? 1_500), seedFromEnv())
})
