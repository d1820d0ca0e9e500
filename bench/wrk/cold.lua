-- wrk script of bench/workers.ts: POSTs the bodies of BENCH_BODIES (one JSON body a line) in
-- turn, from line BENCH_OFFSET on, and prints a JSON summary when done. Run with one thread
-- (-t 1): each wrk thread has its own Lua state, and so its own turn.
local bodies = {}
for line in io.lines(os.getenv("BENCH_BODIES")) do bodies[#bodies + 1] = line end
local next = tonumber(os.getenv("BENCH_OFFSET") or "0")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
if os.getenv("BENCH_CONNECTION") == "close" then wrk.headers["Connection"] = "close" end

function request()
  next = next + 1
  return wrk.format(nil, nil, nil, bodies[(next % #bodies) + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"errors":%d,"non2xx":%d,"timeouts":%d,"p50Ms":%.3f,"p99Ms":%.3f}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
