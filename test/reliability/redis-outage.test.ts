import t from 'tap'
import { checkOutage } from './helpers/redis-outage.js'
import { redisServerTestOptions } from './helpers/redis-server.js'

/*
 * Redis goes down for ~3 s while EspoCRM webhooks and Watcher pushes keep
 * arriving (the soak, test/soak/redis-outage.test.ts, keeps it down 20 s).
 * The service stays up and says so (/health/live 200), refuses what it
 * cannot store (503, which both senders retry) and loses nothing it
 * acknowledged: once Redis is back, every 2xx'd change is synced.
 */

t.test('a Redis outage refuses notifications with 503 and loses none it acknowledged', redisServerTestOptions(), async t => {
  await checkOutage(t, { beforeMs: 1_500, outageMs: 3_000, afterMs: 1_500, intervalMs: 100, syncWithinMs: 30_000 })
})
