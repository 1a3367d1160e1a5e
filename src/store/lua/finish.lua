-- Ends this owner's processing of an Akte: 'complete' forgets it (attempts
-- reset), 'release' puts it back to pending without counting an attempt.
-- A caller whose lease was already reaped changes nothing.
-- KEYS: pending, processing, leases, owners, attempts, lastErrors
-- ARGV: aktennummer, owner, mode
if redis.call('HGET', KEYS[4], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('SREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
if ARGV[3] == 'complete' then
  redis.call('HDEL', KEYS[5], ARGV[1])
  redis.call('HDEL', KEYS[6], ARGV[1])
else
  redis.call('SADD', KEYS[1], ARGV[1])
end
return 1
