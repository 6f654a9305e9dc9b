-- A random 256 KiB slice of a 1 MiB object, as a player seeking through it would ask.
local slice = 262144
request = function()
  local first = math.random(0, 3) * slice
  return wrk.format("GET", nil, { Range = "bytes=" .. first .. "-" .. (first + slice - 1) })
end
