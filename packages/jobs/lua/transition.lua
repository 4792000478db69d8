--[[
  Moves a job record from one of the allowed statuses to a new one and sets fields, atomically.
  A terminal move also sets the record's TTL, indexes it for the storage sweeper, puts a job that
  has a webhook_url into the webhook outbox, and announces the move.

  Input:
    KEYS[1] the record (hash)
    KEYS[2] expiry index (sorted set: job id by when its stored objects expire)
    KEYS[3] webhook outbox (sorted set: job id by when it finished)
    ARGV[1] allowed current statuses, comma-separated
    ARGV[2] new status
    ARGV[3] TTL in seconds; 0 for a move that is not terminal
    ARGV[4] expiry score (epoch ms)
    ARGV[5] job id
    ARGV[6] pub/sub channel of terminal moves
    ARGV[7..] field, value pairs: "?f" sets f only when unset, "+f" increments f by the value

  Output:
    {1, previous status} when moved; {0, current status} when not allowed; {0, ''} when the
    record does not exist
]]
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return {0, ''} end
local allowed = false
for status in string.gmatch(ARGV[1], '[^,]+') do
  if status == current then allowed = true end
end
if not allowed then return {0, current} end
redis.call('HSET', KEYS[1], 'status', ARGV[2])
for i = 7, #ARGV, 2 do
  local field = ARGV[i]
  if string.sub(field, 1, 1) == '?' then
    redis.call('HSETNX', KEYS[1], string.sub(field, 2), ARGV[i + 1])
  elseif string.sub(field, 1, 1) == '+' then
    redis.call('HINCRBY', KEYS[1], string.sub(field, 2), ARGV[i + 1])
  else
    redis.call('HSET', KEYS[1], field, ARGV[i + 1])
  end
end
if tonumber(ARGV[3]) > 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
  if redis.call('HEXISTS', KEYS[1], 'webhook_url') == 1 then
    local time = redis.call('TIME')
    redis.call('ZADD', KEYS[3], 'NX', time[1] * 1000 + math.floor(time[2] / 1000), ARGV[5])
  end
  redis.call('PUBLISH', ARGV[6], cjson.encode({id = ARGV[5], status = ARGV[2]}))
end
return {1, current}
