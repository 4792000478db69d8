--[[
  Acts on an Idempotency-Key only while it still holds this submission's marker.

  Input:
    KEYS[1] the key
    ARGV[1] the submission's pending marker
    ARGV[2] 'expire' (renew), 'set' (the job exists) or 'del' (the submission failed)
    ARGV[3] TTL in seconds (expire, set)
    ARGV[4] the value to set ("<job id> [fingerprint]")

  Output:
    1 when acted, 0 when the key no longer holds the marker
]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == 'expire' then redis.call('EXPIRE', KEYS[1], ARGV[3])
elseif ARGV[2] == 'set' then redis.call('SET', KEYS[1], ARGV[4], 'EX', ARGV[3])
else redis.call('DEL', KEYS[1]) end
return 1
