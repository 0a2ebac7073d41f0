-- wrk script: one binary-mode CloudEvent per request, as a Knative sender posts it to a broker.
-- WRK_DELAY_MS (environment) waits that long between a connection's requests, to hold a lower rate.
wrk.method = "POST"
wrk.headers["Ce-Specversion"] = "1.0"
wrk.headers["Ce-Type"] = "com.example.order.created"
wrk.headers["Ce-Source"] = "/bench/wrk"
wrk.headers["Ce-Id"] = "bench-event"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"orderId": "12345", "amount": 99.99}'

local pause = tonumber(os.getenv("WRK_DELAY_MS") or "0")
if pause > 0 then
  function delay()
    return pause
  end
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.2f rps=%.0f p50_ms=%.3f p99_ms=%.3f non2xx=%d errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
