-- wrk script for the serve benchmarks: POST bench/openrlhf_request.json (an
-- OpenRLHF /get_reward request) and count the answers by HTTP status.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("RMG_BENCH_BODY") or "bench/openrlhf_request.json", "rb"))
wrk.body = f:read("*a")
f:close()

local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {} end
function response(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("counts")) do total[status] = (total[status] or 0) + n end
  end
  for status, n in pairs(total) do io.write(string.format("status %d: %d\n", status, n)) end
end
