import t from 'tap'
import { RedisStore } from '../../src/store/redis-store.js'
import { redisTestOptions, testRedis, uniquePrefix } from '../helpers/redis.js'
import { storeContract } from './store-contract.js'

const options = await redisTestOptions()

t.test('RedisStore', options, async t => {
  storeContract(t, async (tt, clock) => {
    const prefix = uniquePrefix()
    const redis = testRedis(tt, prefix)
    return new RedisStore({ redis, keyPrefix: prefix, ownsConnection: false, now: () => clock.now })
  })

  t.test('keeps the original implementation\'s key names', async t => {
    const prefix = uniquePrefix()
    const redis = testRedis(t, prefix)
    const store = new RedisStore({ redis, keyPrefix: prefix, ownsConnection: false })
    t.equal(store.keys.pending, `${prefix}advoware:pending_aktennummern`)
    t.equal(store.keys.processing, `${prefix}advoware:processing_aktennummern`)
    t.equal(store.keys.globalLock, `${prefix}advoware_document_sync_global`)
    await redis.sadd(store.keys.pending, '12345')
    const claimed = await store.claim('w', 1000, 1)
    t.same(claimed, [{ aktennummer: '12345', attempts: 0 }], 'an existing producer\'s SADD is picked up')
    t.same(await redis.smembers(store.keys.processing), ['12345'])
  })
})
