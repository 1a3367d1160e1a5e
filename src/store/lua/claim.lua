-- Claims up to ARGV[4] pending Akten for one owner, atomically, so an Akte is
-- never in neither set between two calls. First promotes due backoffs.
-- KEYS: pending, processing, leases, owners, delayed, attempts
-- ARGV: owner, now (ms), leaseMs, max
local now = tonumber(ARGV[2])
local due = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', now, 'LIMIT', 0, 1000)
for _, nr in ipairs(due) do
  redis.call('ZREM', KEYS[5], nr)
  redis.call('SADD', KEYS[1], nr)
end
local max = tonumber(ARGV[4])
-- An Akte re-added while it syncs stays pending until that sync is done, so
-- look at enough candidates to skip every one that is processing.
local want = max + redis.call('SCARD', KEYS[2])
if want > 5000 then want = 5000 end
local candidates = redis.call('SRANDMEMBER', KEYS[1], want)
local claimed = {}
for _, nr in ipairs(candidates) do
  if #claimed / 2 >= max then break end
  if redis.call('SISMEMBER', KEYS[2], nr) == 0 then
    redis.call('SREM', KEYS[1], nr)
    redis.call('SADD', KEYS[2], nr)
    redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), nr)
    redis.call('HSET', KEYS[4], nr, ARGV[1])
    claimed[#claimed + 1] = nr
    claimed[#claimed + 1] = redis.call('HGET', KEYS[6], nr) or '0'
  end
end
return claimed
