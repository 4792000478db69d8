--[[
  Sets one field of a record only while the record exists (never resurrects an expired one).

  Input:
    KEYS[1] the record (hash)
    ARGV[1] field
    ARGV[2] value

  Output:
    1 when set, 0 when the record does not exist
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
