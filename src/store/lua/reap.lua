-- Returns processing Akten whose lease expired (crashed instance) to pending.
-- KEYS: pending, processing, leases, owners   ARGV: now
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', tonumber(ARGV[1]), 'LIMIT', 0, 1000)
for _, nr in ipairs(expired) do
  redis.call('SREM', KEYS[2], nr)
  redis.call('ZREM', KEYS[3], nr)
  redis.call('HDEL', KEYS[4], nr)
  redis.call('SADD', KEYS[1], nr)
end
return expired
