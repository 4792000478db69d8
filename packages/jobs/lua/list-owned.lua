--[[
  One step of listing an owner's jobs, newest first: walks the owner's index from a position,
  keeps ids whose record exists (and has the wanted status), and drops ids whose record is
  gone (expired or deleted), so that the index does not keep dead ids.

  Input:
    KEYS[1] the owner's index (sorted set: job id by creation time, epoch ms)
    ARGV[1] record key prefix ("<prefix>:records:")
    ARGV[2] position: score of the last entry already walked ("+inf" to start at the newest)
    ARGV[3] position: id of the last entry already walked ("" to start at the newest)
    ARGV[4] wanted status ("" for any)
    ARGV[5] most matching ids to return
    ARGV[6] most entries to walk (bounds the work of one call)

  Output:
    {matching ids, score of the last entry walked, id of the last entry walked, 1 when the
    index has nothing after that entry else 0}
]]
local wanted = tonumber(ARGV[5])
local budget = tonumber(ARGV[6])
local fromScore = ARGV[2]
local fromId = ARGV[3]
local chunk = 100
local offset = 0
local walked = 0
local matches = {}
local dead = {}
local lastScore, lastId = fromScore, fromId
local ended = 0

while #matches < wanted and walked < budget do
  local entries = redis.call('ZREVRANGEBYSCORE', KEYS[1], fromScore, '-inf', 'WITHSCORES', 'LIMIT', offset, chunk)
  if #entries == 0 then
    ended = 1
    break
  end
  for i = 1, #entries, 2 do
    local id, score = entries[i], entries[i + 1]
    offset = offset + 1
    -- entries of the position's own score at or above its id were walked already (ties: id descending)
    local seen = fromId ~= '' and score == fromScore and id >= fromId
    if not seen then
      walked = walked + 1
      lastScore, lastId = score, id
      local status = redis.call('HGET', ARGV[1] .. id, 'status')
      if not status then
        dead[#dead + 1] = id
      elseif ARGV[4] == '' or status == ARGV[4] then
        matches[#matches + 1] = id
      end
      if #matches >= wanted or walked >= budget then break end
    end
  end
end

-- stopped early: say whether anything is left, so that a full last page has no next cursor
if ended == 0 and #redis.call('ZREVRANGEBYSCORE', KEYS[1], fromScore, '-inf', 'LIMIT', offset, 1) == 0 then
  ended = 1
end
-- removed only now: removing while walking would shift the offsets
for _, id in ipairs(dead) do
  redis.call('ZREM', KEYS[1], id)
end
return {matches, lastScore, lastId, ended}
