-- wrk script: POST the same JSON body on every request, with an API key.
--   wrk -s post.lua URL -- BODY_FILE API_KEY
-- Counts non-200 responses and bodies holding a GraphQL "errors" member, and prints one
-- machine-readable line (BENCH_RESULT ...) from wrk's own latency histogram at the end.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(args[1], "rb"))
  local body = f:read("*a")
  f:close()
  non200, gqlerrors, responses = 0, 0, 0
  request_text = wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/graphql-response+json, application/json",
    ["X-Api-Key"] = args[2],
  }, body)
end

function request()
  return request_text
end

function response(status, headers, body)
  responses = responses + 1
  if status ~= 200 then
    non200 = non200 + 1
  elseif string.find(body, '"errors"', 1, true) then
    gqlerrors = gqlerrors + 1
  end
end

function done(summary, latency, requests)
  local n, g, r = 0, 0, 0
  for _, t in ipairs(threads) do
    n = n + t:get("non200")
    g = g + t:get("gqlerrors")
    r = r + t:get("responses")
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d socket_errors=%d non200=%d gql_errors=%d responses=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, n, g, r))
end
