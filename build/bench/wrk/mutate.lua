-- wrk script: recordCaseEvent on distinct cases per connection (run with -t N -c N: one
-- connection per thread, and each thread has a disjoint share of the case ids).
--   wrk -t 8 -c 8 -s mutate.lua URL -- CASE_IDS_FILE API_KEY THREADS
-- Counts non-200 responses and GraphQL "errors"; prints BENCH_RESULT ... at the end.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("thread_index", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local query = 'mutation($id: ID!) { recordCaseEvent(input: {caseId: $id, type: INTIMIDATION, date: \\"2013-03-05\\"}) { case { version } } }'

function init(args)
  local total = tonumber(args[3])
  ids = {}
  local i = 0
  for line in io.lines(args[1]) do
    if line ~= "" then
      if i % total == thread_index then
        table.insert(ids, line)
      end
      i = i + 1
    end
  end
  assert(#ids > 0, "no case ids for thread " .. thread_index)
  headers = {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/graphql-response+json, application/json",
    ["X-Api-Key"] = args[2],
  }
  position = 0
  non200, gqlerrors, responses = 0, 0, 0
  first_error = ""
end

function request()
  position = position % #ids + 1
  local body = '{"query":"' .. query .. '","variables":{"id":"' .. ids[position] .. '"}}'
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  responses = responses + 1
  if status ~= 200 then
    non200 = non200 + 1
    if first_error == "" then first_error = status .. " " .. string.sub(body, 1, 300) end
  elseif string.find(body, '"errors"', 1, true) then
    gqlerrors = gqlerrors + 1
    if first_error == "" then first_error = string.sub(body, 1, 300) end
  end
end

function done(summary, latency, requests)
  local n, g, r = 0, 0, 0
  for _, t in ipairs(threads) do
    n = n + t:get("non200")
    g = g + t:get("gqlerrors")
    r = r + t:get("responses")
    local fe = t:get("first_error")
    if fe ~= nil and fe ~= "" then io.write("first error: " .. fe .. "\n") end
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d socket_errors=%d non200=%d gql_errors=%d responses=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, n, g, r))
end
