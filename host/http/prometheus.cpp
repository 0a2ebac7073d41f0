#include "http/prometheus.hpp"

#include <cctype>
#include <cstdio>

namespace eventhost::host::http {
namespace {

std::string escape(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

class Page {
 public:
  void header(std::string_view name, std::string_view type, std::string_view help) {
    out_.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
  }
  void sample(std::string_view name, std::string_view labels, uint64_t value) {
    line(name, labels).append(std::to_string(value)).append("\n");
  }
  void sample(std::string_view name, std::string_view labels, int64_t value) {
    line(name, labels).append(std::to_string(value)).append("\n");
  }
  void sample(std::string_view name, std::string_view labels, double value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", value);
    line(name, labels).append(buf).append("\n");
  }
  void histogram(std::string_view name, std::string_view labels, const LatencyHistogram& h) {
    std::string prefix = labels.empty() ? "" : std::string(labels) + ",";
    for (size_t i = 0; i <= LatencyHistogram::kBounds.size(); ++i) {
      char le[32];
      if (i < LatencyHistogram::kBounds.size()) {
        std::snprintf(le, sizeof le, "%g", LatencyHistogram::kBounds[i]);
      } else {
        std::snprintf(le, sizeof le, "+Inf");
      }
      sample(std::string(name) + "_bucket", prefix + "le=\"" + le + "\"", h.cumulative(i));
    }
    sample(std::string(name) + "_sum", labels, h.sum_seconds());
    sample(std::string(name) + "_count", labels, h.count());
  }
  std::string take() { return std::move(out_); }

 private:
  std::string& line(std::string_view name, std::string_view labels) {
    out_.append(name);
    if (!labels.empty()) out_.append("{").append(labels).append("}");
    return out_.append(" ");
  }
  std::string out_;
};

std::string label(std::string_view key, std::string_view value) {
  return std::string(key) + "=\"" + escape(value) + "\"";
}

std::string plugin_family(std::string_view metric, std::string_view suffix) {
  std::string family = "eventhost_plugin_";
  for (char c : metric) family += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return family.append(suffix);
}

// What plugins keep with metric_add, as eventhost_plugin_<metric>_total{pipeline, plugin, kind}, and with
// gauge_set, as eventhost_plugin_<metric>{...}.
void render_plugin_metrics(Page& page, const std::vector<std::unique_ptr<Pipeline>>& pipelines) {
  std::map<std::string, std::vector<std::pair<std::string, uint64_t>>> counters;
  std::map<std::string, std::vector<std::pair<std::string, int64_t>>> gauges;
  for (const auto& p : pipelines) {
    p->for_each_plugin([&](PluginInstance& instance) {
      eh_host& ctx = instance.context();
      std::string labels =
          label("pipeline", p->name()) + "," + label("plugin", ctx.plugin) + "," + label("kind", ctx.kind);
      std::lock_guard lock(ctx.metrics_mutex);
      for (const auto& [metric, value] : ctx.metrics) {
        counters[plugin_family(metric, "_total")].emplace_back(labels, value);
      }
      for (const auto& [metric, value] : ctx.gauges) gauges[plugin_family(metric, "")].emplace_back(labels, value);
    });
  }
  for (const auto& [family, samples] : counters) {
    page.header(family, "counter", "Counted by the plugin (metric_add)");
    for (const auto& [labels, value] : samples) page.sample(family, labels, value);
  }
  for (const auto& [family, samples] : gauges) {
    page.header(family, "gauge", "Reported by the plugin (gauge_set)");
    for (const auto& [labels, value] : samples) page.sample(family, labels, value);
  }
}

}  // namespace

std::string_view rejection_reason(int status) {
  switch (status) {
    case 400: return "invalid";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 413: return "too_large";
    case 415: return "unsupported_format";
    case 429: return "overloaded";
    case 431: return "header_too_large";
    case 503: return "unavailable";
    default: return status >= 200 && status < 300 ? "" : "other";
  }
}

std::string render_metrics(const std::vector<std::unique_ptr<Pipeline>>& pipelines,
                           const std::map<std::string, std::unique_ptr<MemoryBus>>& buses, const Server& server) {
  Page page;
  struct Counter {
    const char* name;
    const char* help;
    std::atomic<uint64_t> PipelineMetrics::*field;
  };
  static constexpr Counter kCounters[] = {
      {"eventhost_pipeline_received_total", "Events taken into the pipeline", &PipelineMetrics::received},
      {"eventhost_pipeline_filtered_total", "Events a filter did not pass", &PipelineMetrics::filtered},
      {"eventhost_pipeline_delivered_total", "Events the sink accepted", &PipelineMetrics::delivered},
      {"eventhost_pipeline_retried_total", "Delivery attempts scheduled again", &PipelineMetrics::retried},
      {"eventhost_pipeline_dead_lettered_total", "Events handed to the dead-letter sink", &PipelineMetrics::dead_lettered},
      {"eventhost_pipeline_dropped_total", "Failed events the delivery policy dropped", &PipelineMetrics::dropped},
      {"eventhost_pipeline_failed_total", "Events whose delivery finally failed", &PipelineMetrics::failed},
      {"eventhost_pipeline_replies_total", "Replies of the sink sent on", &PipelineMetrics::replies},
      {"eventhost_pipeline_overloaded_total", "Events refused because the pipeline was full", &PipelineMetrics::overloaded},
  };
  for (const auto& c : kCounters) {
    page.header(c.name, "counter", c.help);
    for (const auto& p : pipelines) page.sample(c.name, label("pipeline", p->name()), (p->metrics().*c.field).load());
  }
  page.header("eventhost_pipeline_in_flight", "gauge", "Events inside the pipeline now");
  for (const auto& p : pipelines) page.sample("eventhost_pipeline_in_flight", label("pipeline", p->name()), p->in_flight());
  page.header("eventhost_delivery_latency_seconds", "histogram", "Time of one delivery attempt at the sink");
  for (const auto& p : pipelines) {
    page.histogram("eventhost_delivery_latency_seconds", label("pipeline", p->name()), p->metrics().delivery_latency);
  }

  render_plugin_metrics(page, pipelines);

  page.header("eventhost_bus_accepted_total", "counter", "Events a broker or channel accepted");
  for (const auto& [id, bus] : buses) page.sample("eventhost_bus_accepted_total", label("bus", id), bus->accepted());

  auto routes = server.routes().all();
  page.header("eventhost_ingress_requests_total", "counter", "HTTP requests answered, by status code");
  for (const auto& r : routes) {
    r->metrics.for_each_status([&](int status, uint64_t n) {
      page.sample("eventhost_ingress_requests_total",
                  label("pipeline", r->pipeline) + "," + label("path", r->path) + "," +
                      label("code", std::to_string(status)),
                  n);
    });
  }
  struct Outcomes {
    uint64_t accepted = 0;
    std::map<std::string_view, uint64_t> rejected;  // by reason
  };
  std::vector<Outcomes> outcomes(routes.size());
  for (size_t i = 0; i < routes.size(); ++i) {
    routes[i]->metrics.for_each_status([&](int status, uint64_t n) {
      std::string_view reason = rejection_reason(status);
      if (reason.empty()) outcomes[i].accepted += n;
      else outcomes[i].rejected[reason] += n;
    });
  }
  page.header("eventhost_ingress_accepted_total", "counter", "HTTP requests whose events were all accepted (2xx)");
  for (size_t i = 0; i < routes.size(); ++i) {
    page.sample("eventhost_ingress_accepted_total", label("pipeline", routes[i]->pipeline), outcomes[i].accepted);
  }
  page.header("eventhost_ingress_rejected_total", "counter", "HTTP requests refused, by reason");
  for (size_t i = 0; i < routes.size(); ++i) {
    for (const auto& [reason, n] : outcomes[i].rejected) {
      page.sample("eventhost_ingress_rejected_total",
                  label("pipeline", routes[i]->pipeline) + "," + label("reason", reason), n);
    }
  }
  page.header("eventhost_ingress_latency_seconds", "histogram", "Time from a complete HTTP request to its answer");
  for (const auto& r : routes) {
    page.histogram("eventhost_ingress_latency_seconds", label("pipeline", r->pipeline), r->metrics.latency());
  }
  page.header("eventhost_http_unrouted_total", "counter", "HTTP answers given without a route, by status code");
  server.unrouted().for_each_status([&](int status, uint64_t n) {
    page.sample("eventhost_http_unrouted_total", label("code", std::to_string(status)), n);
  });
  return page.take();
}

}  // namespace eventhost::host::http
