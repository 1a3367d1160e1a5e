-- Extends a lease only while it is still this owner's.
-- KEYS: leases, owners   ARGV: aktennummer, owner, now, leaseMs
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZADD', KEYS[1], tonumber(ARGV[3]) + tonumber(ARGV[4]), ARGV[1])
return 1
