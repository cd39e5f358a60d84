-- wrk script: POST hostile GraphQL documents, cycling through a file of JSON bodies (one a line),
-- WITHOUT credentials (an anonymous caller from the internet).
--   wrk -s hostile.lua URL -- BODIES_FILE
-- Each thread starts at its own offset. A response counts as refused when its status is not 200
-- or its body has "errors" and no data; "accepted" counts documents that were executed with data
-- (each one is a failure of the target: it may have reached the database). Refusal codes
-- (extensions.code) are tallied. Prints BENCH_RESULT ... from wrk's own latency histogram.
local threads = {}
local next_index = 0

function setup(thread)
  thread:set("thread_index", next_index)
  next_index = next_index + 1
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  for line in io.lines(args[1]) do
    if line ~= "" then table.insert(bodies, line) end
  end
  assert(#bodies > 0, "no bodies in " .. args[1])
  headers = {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/graphql-response+json, application/json",
  }
  position = (thread_index * 257) % #bodies
  responses, refused, accepted, server_errors = 0, 0, 0, 0
  codes = {}
  first_accepted = ""
end

function request()
  position = position % #bodies + 1
  return wrk.format("POST", nil, headers, bodies[position])
end

function response(status, headers, body)
  responses = responses + 1
  if status >= 500 then server_errors = server_errors + 1 end
  local has_errors = string.find(body, '"errors"', 1, true) ~= nil
  local no_data = string.find(body, '"data"', 1, true) == nil or string.find(body, '"data":null', 1, true) ~= nil
  if status ~= 200 or (has_errors and no_data) then
    refused = refused + 1
  else
    accepted = accepted + 1
    if first_accepted == "" then first_accepted = string.sub(body, 1, 200) end
  end
  local code = string.match(body, '"code":"([A-Z_]+)"') or ("HTTP_" .. status)
  codes[code] = (codes[code] or 0) + 1
end

function done(summary, latency, requests)
  local r, f, a, s = 0, 0, 0, 0
  local all = {}
  for _, t in ipairs(threads) do
    r = r + t:get("responses")
    f = f + t:get("refused")
    a = a + t:get("accepted")
    s = s + t:get("server_errors")
    local c = t:get("codes")
    if c ~= nil then
      for k, v in pairs(c) do all[k] = (all[k] or 0) + v end
    end
    local fa = t:get("first_accepted")
    if fa ~= nil and fa ~= "" then io.write("accepted (not refused): " .. fa .. "\n") end
  end
  local parts = {}
  for k, v in pairs(all) do table.insert(parts, k .. ":" .. v) end
  table.sort(parts)
  local e = summary.errors
  io.write("refusal codes: " .. table.concat(parts, " ") .. "\n")
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d socket_errors=%d non200=0 gql_errors=0 responses=%d refused=%d accepted=%d server_errors=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, r, f, a, s))
end
