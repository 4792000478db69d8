--[[
  Gives an Idempotency-Key whose job no longer exists to a new submission.

  Input:
    KEYS[1] the key
    ARGV[1] the value it must still hold (the gone job's "<job id> [fingerprint]")
    ARGV[2] the new submission's pending marker
    ARGV[3] the marker's TTL in seconds

  Output:
    1 when taken over, 0 when the key changed meanwhile
]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
