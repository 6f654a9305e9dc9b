-- Paces a workload: runs its script (INNER_SCRIPT, if any), then makes each connection wait DELAY_MS
-- milliseconds between a response and its next request (N connections at DELAY_MS = N / rate).
local inner = os.getenv("INNER_SCRIPT")
if inner and inner ~= "" then
  dofile(inner)
end
local wait = tonumber(os.getenv("DELAY_MS"))
delay = function()
  return wait
end
