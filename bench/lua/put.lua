-- PUTs the raw body (BODY_FILE) under PUT_PREFIX (default nginx's WebDAV /dav/), a new name each time:
-- the run's start time, the thread and a count, so neither threads nor runs write the same name.
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
local body = f:read("*a")
f:close()
local prefix = os.getenv("PUT_PREFIX") or "/dav/"
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("name", os.time() .. "-" .. threads)
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("PUT", prefix .. name .. "-" .. n .. ".bin", nil, body)
end
