-- PUTs the raw body (BODY_FILE) through nginx's WebDAV module, a new name each time.
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
local body = f:read("*a")
f:close()
local n = 0
local id = math.random(1, 1000000000)
request = function()
  n = n + 1
  return wrk.format("PUT", "/dav/" .. id .. "-" .. n .. ".bin", nil, body)
end
