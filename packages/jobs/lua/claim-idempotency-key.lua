--[[
  Claims an Idempotency-Key for a submission unless it is taken.

  Input:
    KEYS[1] the key
    ARGV[1] this submission's pending marker ("pending:<job id>")
    ARGV[2] the marker's TTL in seconds

  Output:
    false when claimed; otherwise what the key holds ("pending:<job id>" or "<job id> [fingerprint]")
]]
local current = redis.call('GET', KEYS[1])
if current then return current end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return false
