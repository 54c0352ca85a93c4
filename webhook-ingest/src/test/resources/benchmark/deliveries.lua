-- wrk script of WebhookIngestBenchmark: posts pre-signed Bitbucket Cloud repo:push deliveries.
--
--   wrk -t1 -c64 -d30s -s deliveries.lua http://127.0.0.1:8080 -- <requests-file> <rate-per-thread> <run-id> <threads>
--
-- <requests-file>: one delivery a line, "<X-Hub-Signature>\t<body>", two per ref (X->Y, then Y->X), so that
-- every delivery is a new change of its ref and is published. Each thread takes every n-th ref, and cycles
-- through its refs, so that no ref has two deliveries in flight at once.
-- <rate-per-thread>: 0 sends as fast as the connections allow (closed loop); otherwise each thread sends on a
-- fixed schedule (open loop: a request is due at start + k / rate, whatever the answers before it took, as
-- long as a connection is free).
-- Every delivery gets an X-Request-UUID of its own.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } wrk_timespec;
int clock_gettime(int clock_id, wrk_timespec *tp);
]]
local clock = ffi.new("wrk_timespec")
local function now_ms()
    ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
    return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local thread_count = 0
function setup(thread)
    thread_count = thread_count + 1
    thread:set("id", thread_count)
end

local deliveries = {}
local interval_ms = 0
local start_ms = nil
local scheduled = 0
local sent = 0
local run_id = "run"

function init(args)
    local lines = {}
    for line in io.lines(args[1]) do
        local tab = line:find("\t", 1, true)
        lines[#lines + 1] = { signature = line:sub(1, tab - 1), body = line:sub(tab + 1) }
    end
    local threads = tonumber(args[4] or "1")
    -- this thread's refs: every threads-th pair, first all X->Y, then all Y->X
    local forth, back = {}, {}
    for pair = id, #lines / 2, threads do
        forth[#forth + 1] = lines[2 * pair - 1]
        back[#back + 1] = lines[2 * pair]
    end
    for _, d in ipairs(forth) do deliveries[#deliveries + 1] = d end
    for _, d in ipairs(back) do deliveries[#deliveries + 1] = d end
    local rate = tonumber(args[2] or "0")
    if rate > 0 then
        interval_ms = 1000 / rate
    end
    run_id = args[3] or run_id
end

function delay()
    if interval_ms == 0 then
        return 0
    end
    local now = now_ms()
    if start_ms == nil then
        start_ms = now
    end
    local due = start_ms + scheduled * interval_ms
    scheduled = scheduled + 1
    if due <= now then
        return 0
    end
    return due - now
end

function request()
    local delivery = deliveries[(sent % #deliveries) + 1]
    sent = sent + 1
    return wrk.format("POST", "/webhooks/bitbucket", {
        ["Content-Type"] = "application/json",
        ["X-Event-Key"] = "repo:push",
        ["X-Request-UUID"] = run_id .. "-" .. id .. "-" .. sent,
        ["X-Hub-Signature"] = delivery.signature,
    }, delivery.body)
end

function done(summary, latency, requests)
    io.write(string.format(
        "RESULT requests=%d duration_us=%d status_errors=%d connect_errors=%d read_errors=%d write_errors=%d "
            .. "timeouts=%d p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d\n",
        summary.requests, summary.duration, summary.errors.status, summary.errors.connect, summary.errors.read,
        summary.errors.write, summary.errors.timeout, latency:percentile(50), latency:percentile(90),
        latency:percentile(99), latency:percentile(99.9), latency.max))
end
