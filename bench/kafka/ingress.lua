-- wrk script for bench/kafka: one binary-mode CloudEvent per request (six attributes, 1 KiB JSON data from
-- event.json), as a Knative sender posts it to a broker.
local file = io.open("bench/kafka/event.json")
wrk.method = "POST"
wrk.headers["Ce-Specversion"] = "1.0"
wrk.headers["Ce-Type"] = "com.example.order.created"
wrk.headers["Ce-Source"] = "/bench/wrk"
wrk.headers["Ce-Id"] = "bench-event"
wrk.headers["Ce-Time"] = "2026-01-01T00:00:00Z"
wrk.headers["Content-Type"] = "application/json"
wrk.body = file:read("*a")
file:close()

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.2f rps=%.0f p50_ms=%.3f p99_ms=%.3f non2xx=%d errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
