-- Adds Aktennummern to pending. One waiting in backoff stays there (no hot
-- loop from a burst of webhooks); one in the failed set starts afresh.
-- KEYS: pending, delayed, failed, attempts, lastErrors   ARGV: aktennummern...
local added = 0
for _, nr in ipairs(ARGV) do
  if redis.call('ZSCORE', KEYS[2], nr) == false then
    if redis.call('HDEL', KEYS[3], nr) == 1 then
      redis.call('HDEL', KEYS[4], nr)
      redis.call('HDEL', KEYS[5], nr)
    end
    added = added + redis.call('SADD', KEYS[1], nr)
  end
end
return added
