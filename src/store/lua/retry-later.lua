-- Records a failed attempt: into backoff (delayed, due at now + delay), or
-- after maxAttempts into the failed hash with the error. Returns
-- {outcome, attempts}. A pending re-add made during the run is kept: it is
-- newer information than the failure.
-- KEYS: processing, leases, owners, delayed, attempts, lastErrors, failed, pending
-- ARGV: aktennummer, owner, now, delayMs, maxAttempts, error
local nr = ARGV[1]
if redis.call('HGET', KEYS[3], nr) ~= ARGV[2] then return {'lost', '0'} end
redis.call('SREM', KEYS[1], nr)
redis.call('ZREM', KEYS[2], nr)
redis.call('HDEL', KEYS[3], nr)
local attempts = redis.call('HINCRBY', KEYS[5], nr, 1)
if attempts >= tonumber(ARGV[5]) then
  redis.call('HDEL', KEYS[5], nr)
  redis.call('HDEL', KEYS[6], nr)
  redis.call('SREM', KEYS[8], nr)
  redis.call('HSET', KEYS[7], nr, cjson.encode({ attempts = attempts, error = ARGV[6], failedAt = tonumber(ARGV[3]) }))
  return {'failed', tostring(attempts)}
end
redis.call('HSET', KEYS[6], nr, ARGV[6])
if redis.call('SISMEMBER', KEYS[8], nr) == 0 then
  redis.call('ZADD', KEYS[4], tonumber(ARGV[3]) + tonumber(ARGV[4]), nr)
end
return {'delayed', tostring(attempts)}
