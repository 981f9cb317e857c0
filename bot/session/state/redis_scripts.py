"""The Lua scripts of the Redis chat state (redis_store.py): each operation is one script,
atomic however many instances race, and one round trip. The keys are described there."""

# ARGV[1] prefix, ARGV[2] now, ARGV[3] window, ARGV[4] the chat's K; then each script's own.
_PRELUDE = """
local P = ARGV[1]
local now = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local cutoff = now - window
local ttl = math.ceil(window * 1000)
local k = ARGV[4]

local function ckeys(key) return P .. 'c:' .. key, P .. 'i:' .. key, P .. 'a:' .. key end

local function drop(key)
  local c, i, a = ckeys(key)
  local size = tonumber(redis.call('HGET', P .. 'sizes', key) or '0')
  redis.call('DEL', c, i, a)
  redis.call('HDEL', P .. 'sizes', key)
  redis.call('ZREM', P .. 'chats', key)
  if size > 0 then redis.call('DECRBY', P .. 'total', size) end
end

-- The chat's record, made ready: false if there is none (or it is 48 hours old).
local function load()
  local score = redis.call('ZSCORE', P .. 'chats', k)
  if not score or tonumber(score) <= cutoff then
    drop(k)
    return false
  end
  local c, i, a = ckeys(k)
  local old = redis.call('ZRANGEBYSCORE', i, '-inf', cutoff)
  if #old > 0 then
    redis.call('ZREM', i, unpack(old))
    redis.call('HSET', c, 'l', 1)  -- too old to delete: they stay in the chat
  end
  return true
end

-- After a change: keep the counts, drop an empty record, refresh the TTLs, apply the caps.
local function touch(max_total, max_chats)
  local c, i, a = ckeys(k)
  local size = redis.call('ZCARD', a)
  if size == 0 and redis.call('HLEN', c) == 0 then
    drop(k)
  else
    local before = tonumber(redis.call('HGET', P .. 'sizes', k) or '0')
    redis.call('HSET', P .. 'sizes', k, size)
    redis.call('INCRBY', P .. 'total', size - before)
    redis.call('ZADD', P .. 'chats', now, k)
    for _, key in ipairs({c, i, a}) do redis.call('PEXPIRE', key, ttl) end
  end
  local old = redis.call('ZRANGEBYSCORE', P .. 'chats', '-inf', cutoff, 'LIMIT', 0, 100)
  for _, key in ipairs(old) do drop(key) end
  while redis.call('ZCARD', P .. 'chats') > max_chats
      or tonumber(redis.call('GET', P .. 'total') or '0') > max_total do
    local oldest = redis.call('ZRANGE', P .. 'chats', 0, 0)
    if #oldest == 0 then break end
    drop(oldest[1])
  end
  for _, key in ipairs({P .. 'chats', P .. 'sizes', P .. 'total'}) do
    redis.call('PEXPIRE', key, ttl)
  end
end

-- A message id sent at `at` (its text as given, `id`), kept unless too old or already
-- there; past `cap` ids the lowest go, and the record says some were lost. 1 if kept.
local function remember(text, at, cap)
  local c, i, a = ckeys(k)
  local id = tonumber(text)
  if at <= cutoff then
    redis.call('HSET', c, 'l', 1)
    return 0
  end
  local floor = tonumber(redis.call('HGET', c, 'f') or '0')
  if id <= floor or redis.call('ZSCORE', a, text) then return 0 end
  redis.call('ZADD', i, at, text)
  redis.call('ZADD', a, id, text)
  while redis.call('ZCARD', a) > cap do
    local low = redis.call('ZPOPMIN', a)
    redis.call('ZREM', i, low[1])
    floor = math.max(floor, tonumber(low[1]))
    redis.call('HSET', c, 'f', floor, 'l', 1)
  end
  return 1
end

-- Field, value pairs from ARGV[first] on: an empty value deletes the field.
local function write_fields(first)
  local c = ckeys(k)
  for n = first, #ARGV, 2 do
    if ARGV[n + 1] == '' then
      redis.call('HDEL', c, ARGV[n])
    else
      redis.call('HSET', c, ARGV[n], ARGV[n + 1])
    end
  end
end

-- The discreet flag on ('1', the oldest beyond `cap` dropped) or off.
local function set_discreet(on, cap)
  local d = P .. 'd'
  if on == '1' then
    redis.call('ZADD', d, now, k)
    local over = redis.call('ZCARD', d) - cap
    if over > 0 then redis.call('ZPOPMIN', d, over) end
  else
    redis.call('ZREM', d, k)
  end
end
"""

# ARGV[5] id, ARGV[6] sent at, ARGV[7] cap per chat, ARGV[8] cap in all, ARGV[9] chats.
_REMEMBER = """
load()
local new = remember(ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7]))
touch(tonumber(ARGV[8]), tonumber(ARGV[9]))
return new
"""

# ARGV[5] cap in all, ARGV[6] chats, ARGV[7...] the ids deleted.
_FORGET = """
if not load() then return 0 end
local c, i, a = ckeys(k)
for n = 7, #ARGV do redis.call('ZREM', i, ARGV[n]) end
local floor = tonumber(redis.call('HGET', c, 'f') or '0')
for _, member in ipairs(redis.call('ZRANGE', a, 0, -1)) do
  if tonumber(member) ~= floor + 1 or redis.call('ZSCORE', i, member) then break end
  redis.call('ZREM', a, member)
  floor = floor + 1
end
if floor > 0 then redis.call('HSET', c, 'f', floor) end
touch(tonumber(ARGV[5]), tonumber(ARGV[6]))
return 1
"""

# ARGV[5] cap in all, ARGV[6] chats, ARGV[7] 1 to make the record; then field, value
# pairs, an empty value deleting the field.
_SET = """
if not load() and ARGV[7] ~= '1' then return 0 end
write_fields(8)
touch(tonumber(ARGV[5]), tonumber(ARGV[6]))
return 1
"""

_READ = """
local score = redis.call('ZSCORE', P .. 'chats', k)
if not score or tonumber(score) <= cutoff then return false end
local c, i, a = ckeys(k)
local held = redis.call('ZRANGEBYSCORE', i, '(' .. cutoff, '+inf')
local expired = redis.call('ZCOUNT', i, '-inf', cutoff)
local low = redis.call('ZRANGE', a, 0, 0)
local high = redis.call('ZRANGE', a, -1, -1)
local fields = redis.call('HMGET', c, 'f', 'l', 'cx', 'ca', 'lg', 'la')
return {held, expired, redis.call('ZCARD', a), low[1] or '', high[1] or '',
        fields[1] or '', fields[2] or '', fields[3] or '', fields[4] or '',
        fields[5] or '', fields[6] or ''}
"""

# What a reply needs: the discreet flag, then the context and the language, with when.
_VIEW = """
local discreet = redis.call('ZSCORE', P .. 'd', k) and 1 or 0
local score = redis.call('ZSCORE', P .. 'chats', k)
if not score or tonumber(score) <= cutoff then return {discreet} end
local f = redis.call('HMGET', P .. 'c:' .. k, 'cx', 'ca', 'lg', 'la')
return {discreet, f[1] or '', f[2] or '', f[3] or '', f[4] or ''}
"""

# One update's changes at once. ARGV[5] cap per chat, ARGV[6] cap in all, ARGV[7] chats,
# ARGV[8] 1 if the record changes, ARGV[9] 1 to make it, ARGV[10] an id to remember (or
# ''), ARGV[11] when it was sent, ARGV[12] the discreet flag ('1', '0', '' unchanged),
# ARGV[13] the discreet cap; then field, value pairs, an empty value deleting the field.
_SAVE = """
local new = 0
if ARGV[8] == '1' and (load() or ARGV[9] == '1') then
  if ARGV[10] ~= '' then
    new = remember(ARGV[10], tonumber(ARGV[11]), tonumber(ARGV[5]))
  end
  write_fields(14)
  touch(tonumber(ARGV[6]), tonumber(ARGV[7]))
end
if ARGV[12] ~= '' then set_discreet(ARGV[12], tonumber(ARGV[13])) end
return new
"""

# ARGV[4] the update id, ARGV[5] the cap.
_FIRST_DELIVERY = """
local u = P .. 'u'
redis.call('ZREMRANGEBYSCORE', u, '-inf', cutoff)
local added = redis.call('ZADD', u, 'NX', now, ARGV[4])
if added == 1 then
  local over = redis.call('ZCARD', u) - tonumber(ARGV[5])
  if over > 0 then redis.call('ZPOPMIN', u, over) end
  redis.call('PEXPIRE', u, ttl)
end
return added
"""

# ARGV[4] the chat's K, ARGV[5] 1 for on, ARGV[6] the cap.
_DISCREET = """
set_discreet(ARGV[5], tonumber(ARGV[6]))
return 1
"""
