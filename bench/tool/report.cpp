#include "report.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <cstdio>
#include <string_view>
#include <utility>
#include <vector>

namespace eventhost::bench {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

constexpr std::pair<const char*, double> kPercentiles[] = {{"p50", 50}, {"p90", 90}, {"p99", 99}, {"p99.9", 99.9}};

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string grouped(double v) {
  auto n = static_cast<uint64_t>(v + 0.5);
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string mib(uint64_t bytes) { return fixed(static_cast<double>(bytes) / (1024.0 * 1024.0), 1) + " MiB"; }

std::string ratio(double b, double a) { return a > 0 ? fixed(b / a, 3) : "n/a"; }

void write_str(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

void write_plugin(Writer& w, const host::LoadedPlugin& p) {
  w.StartObject();
  w.Key("name");
  write_str(w, p.descriptor->name);
  w.Key("version");
  write_str(w, p.descriptor->version);
  w.Key("kind");
  write_str(w, host::kind_name(p.kind()));
  w.Key("path");
  write_str(w, p.path);
  w.EndObject();
}

void write_counts(Writer& w, const std::map<std::string, uint64_t>& counts) {
  w.StartObject();
  for (const auto& [k, n] : counts) {
    write_str(w, k);
    w.Uint64(n);
  }
  w.EndObject();
}

void write_result(Writer& w, const Measured& m) {
  const RunResult& r = m.result;
  w.StartObject();
  w.Key("plugin");
  write_plugin(w, *m.plugin);
  w.Key("events");
  w.Uint64(r.events);
  w.Key("warmup_events");
  w.Uint64(r.warmup);
  w.Key("seconds");
  w.Double(r.seconds);
  w.Key("events_per_second");
  w.Double(r.events_per_second());
  w.Key("latency_ns");
  w.StartObject();
  w.Key("measures");
  write_str(w, r.latency_meaning);
  w.Key("count");
  w.Uint64(r.latency.count());
  for (const auto& [name, p] : kPercentiles) {
    w.Key(name);
    w.Uint64(r.latency.percentile(p));
  }
  w.Key("max");
  w.Uint64(r.latency.max());
  w.Key("mean");
  w.Double(r.latency.mean());
  w.Key("timer_overhead");
  w.Uint64(r.timer_overhead_ns);
  w.EndObject();
  w.Key("cpu");
  w.StartObject();
  w.Key("user_seconds");
  w.Double(r.cpu_user_seconds);
  w.Key("system_seconds");
  w.Double(r.cpu_system_seconds);
  w.Key("ns_per_event");
  w.Double(r.cpu_ns_per_event());
  w.EndObject();
  w.Key("peak_rss_bytes");
  w.Uint64(r.peak_rss_bytes);
  w.Key("peak_rss_scope");
  write_str(w, r.peak_rss_per_run ? "run" : "process");
  w.Key("outcomes");
  write_counts(w, r.outcomes);
  w.Key("errors");
  write_counts(w, r.errors);
  w.EndObject();
}

void write_settings(Writer& w, const Settings& s) {
  const Workload& wl = *s.workload;
  w.StartObject();
  w.Key("input");
  write_str(w, s.input);
  w.Key("events");
  w.Uint64(wl.count);
  w.Key("warmup");
  w.Uint64(wl.warmup);
  w.Key("rate");
  if (wl.rate > 0) {
    w.Double(wl.rate);
  } else {
    w.Null();
  }
  w.Key("max_in_flight");
  w.Uint(wl.max_in_flight);
  w.Key("threads");
  w.Uint(wl.threads);
  w.Key("timeout_ms");
  w.Uint64(static_cast<uint64_t>(wl.timeout.count()));
  w.Key("rounds");
  w.Uint(s.rounds);
  w.EndObject();
}

std::string counts_line(const std::map<std::string, uint64_t>& counts) {
  if (counts.empty()) return "none";
  std::string out;
  for (const auto& [k, n] : counts) out += (out.empty() ? "" : ", ") + k + " " + grouped(static_cast<double>(n));
  return out;
}

std::string latency_line(const RunResult& r) {
  std::string out;
  for (const auto& [name, p] : kPercentiles) {
    out += std::string(name) + " " + format_duration_ns(static_cast<double>(r.latency.percentile(p))) + "  ";
  }
  return out + "max " + format_duration_ns(static_cast<double>(r.latency.max()));
}

std::string title(const host::LoadedPlugin& p) {
  return std::string(p.descriptor->name) + " " + p.descriptor->version + " (" + host::kind_name(p.kind()) + ") " +
         p.path;
}

}  // namespace

std::string format_duration_ns(double ns) {
  if (ns < 1e3) return fixed(ns, 0) + " ns";
  if (ns < 1e6) return fixed(ns / 1e3, ns < 1e4 ? 2 : 1) + " µs";
  if (ns < 1e9) return fixed(ns / 1e6, ns < 1e7 ? 2 : 1) + " ms";
  return fixed(ns / 1e9, 2) + " s";
}

std::string table_report(const Measured& m, const Settings& s) {
  const RunResult& r = m.result;
  std::string out = title(*m.plugin) + "\n";
  out += "  input        " + s.input + "\n";
  out += "  events       " + grouped(static_cast<double>(r.events)) + " in " + fixed(r.seconds, 3) + " s (after " +
         grouped(static_cast<double>(r.warmup)) + " warm-up)" + (s.rounds > 1 ? ", " + std::to_string(s.rounds) + " rounds" : "") + "\n";
  out += "  throughput   " + grouped(r.events_per_second()) + " events/s\n";
  out += "  latency      " + latency_line(r) + "\n";
  out += "               (" + r.latency_meaning + "; clock reads add ~" + std::to_string(r.timer_overhead_ns) + " ns)\n";
  out += "  cpu          " + format_duration_ns(r.cpu_ns_per_event()) + " per event (user " +
         fixed(r.cpu_user_seconds, 3) + " s, system " + fixed(r.cpu_system_seconds, 3) + " s)\n";
  out += "  peak rss     " + mib(r.peak_rss_bytes) + (r.peak_rss_per_run ? "" : " (whole process)") + "\n";
  out += "  outcomes     " + counts_line(r.outcomes) + "\n";
  out += "  errors       " + counts_line(r.errors) + "\n";
  return out;
}

std::string json_report(const Measured& m, const Settings& s) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("settings");
  write_settings(w, s);
  w.Key("result");
  write_result(w, m);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

namespace {

struct RatioRow {
  const char* name;
  double a;
  double b;
  bool duration;
};

std::vector<RatioRow> ratio_rows(const RunResult& a, const RunResult& b) {
  std::vector<RatioRow> rows{{"events_per_second", a.events_per_second(), b.events_per_second(), false}};
  for (const auto& [name, p] : kPercentiles) {
    rows.push_back({name, static_cast<double>(a.latency.percentile(p)), static_cast<double>(b.latency.percentile(p)), true});
  }
  rows.push_back({"max", static_cast<double>(a.latency.max()), static_cast<double>(b.latency.max()), true});
  rows.push_back({"cpu_ns_per_event", a.cpu_ns_per_event(), b.cpu_ns_per_event(), true});
  rows.push_back({"peak_rss_bytes", static_cast<double>(a.peak_rss_bytes), static_cast<double>(b.peak_rss_bytes), false});
  return rows;
}

}  // namespace

std::string compare_table(const Measured& a, const Measured& b, const Settings& s) {
  std::string out = "A: " + title(*a.plugin) + "\nB: " + title(*b.plugin) + "\n";
  out += "  input " + s.input + "; " + std::to_string(s.rounds) + " rounds, A and B alternately\n\n";
  char line[160];
  std::snprintf(line, sizeof line, "  %-18s %16s %16s %8s\n", "", "A", "B", "B/A");
  out += line;
  for (const auto& row : ratio_rows(a.result, b.result)) {
    std::string va, vb;
    if (row.duration) {
      va = format_duration_ns(row.a);
      vb = format_duration_ns(row.b);
    } else if (std::string_view(row.name) == "peak_rss_bytes") {
      va = mib(static_cast<uint64_t>(row.a));
      vb = mib(static_cast<uint64_t>(row.b));
    } else {
      va = grouped(row.a);
      vb = grouped(row.b);
    }
    std::snprintf(line, sizeof line, "  %-18s %16s %16s %8s\n", row.name, va.c_str(), vb.c_str(),
                  ratio(row.b, row.a).c_str());
    out += line;
  }
  out += "  errors A: " + counts_line(a.result.errors) + "; B: " + counts_line(b.result.errors) + "\n";
  return out;
}

std::string compare_json(const Measured& a, const Measured& b, const Settings& s) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("settings");
  write_settings(w, s);
  w.Key("a");
  write_result(w, a);
  w.Key("b");
  write_result(w, b);
  w.Key("ratios_b_over_a");
  w.StartObject();
  for (const auto& row : ratio_rows(a.result, b.result)) {
    w.Key(row.name);
    if (row.a > 0) {
      w.Double(row.b / row.a);
    } else {
      w.Null();
    }
  }
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

}  // namespace eventhost::bench
