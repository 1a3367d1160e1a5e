-- An operator's retry: a failed or delayed Akte goes to pending at once with
-- its attempts reset.
-- KEYS: pending, delayed, failed, attempts, lastErrors   ARGV: aktennummer
local nr = ARGV[1]
local was = redis.call('HDEL', KEYS[3], nr) + redis.call('ZREM', KEYS[2], nr)
if was == 0 then return 0 end
redis.call('HDEL', KEYS[4], nr)
redis.call('HDEL', KEYS[5], nr)
redis.call('SADD', KEYS[1], nr)
return 1
