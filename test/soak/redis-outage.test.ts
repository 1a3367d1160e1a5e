import t from 'tap'
import { checkOutage } from '../reliability/helpers/redis-outage.js'
import { redisServerTestOptions } from '../reliability/helpers/redis-server.js'

/*
 * Soak version of test/reliability/redis-outage.test.ts: Redis stays down
 * 20 s (past ioredis' longest reconnect pause and the 5 s command timeout)
 * with notifications arriving all along. Runs with `npm run test:soak`;
 * `npm test` picks the file up too and skips it without SOAK=1.
 */

const skip = process.env.SOAK !== '1' ? 'soak test: run with npm run test:soak (SOAK=1)' : redisServerTestOptions().skip

t.test('a 20 s Redis outage refuses notifications with 503 and loses none it acknowledged', { skip }, async t => {
  await checkOutage(t, { beforeMs: 5_000, outageMs: 20_000, afterMs: 5_000, intervalMs: 100, syncWithinMs: 60_000 })
})
