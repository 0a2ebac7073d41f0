#include "options.hpp"

#include "plugin_lookup.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace eventhost::bench {
namespace {

template <typename T>
Result<T> parse_unsigned(const std::string& flag, const std::string& text, T min, T max) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max) {
    return Status::invalid(flag + ": expected a whole number from " + std::to_string(min) + " to " +
                           std::to_string(max) + ", got '" + text + "'");
  }
  return static_cast<T>(v);
}

Result<double> parse_positive(const std::string& flag, const std::string& text) {
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !(v > 0) || !std::isfinite(v)) {
    return Status::invalid(flag + ": expected a positive number, got '" + text + "'");
  }
  return v;
}

}  // namespace

std::string usage() {
  return R"(Usage: eventhost-bench [options] PLUGIN
       eventhost-bench [options] --compare PLUGIN_A PLUGIN_B

Loads a plugin (a path to its .so, or a name looked up like the worker does) and drives it as the worker does:
filters and delivery policies get a stream of events, sinks get events as fast as they accept them or at a fixed
rate, sources are drained as fast as they emit. Reports events/s, latency percentiles, CPU time per event, peak
resident memory and outcomes by kind.

Plugin:
  --kind KIND            source, sink, filter or delivery-policy, when a name has several
  --config JSON          the plugin's config as a JSON object, checked against its schema
  --config-file FILE     the plugin's config as a TOML file (the keys of its table in a pipeline file)
  --config-b JSON, --config-file-b FILE
                         with --compare: B's config, when it differs from A's
Events:
  --input FILE           CloudEvents, one JSON object per line (default: 16 synthetic events)
  --events N             events measured (default: 1000000 for filters and delivery policies,
                         100000 for sinks and sources, or each line of --input once)
  --warmup N             events sent first and not counted (default 1000)
  --data-size BYTES      synthetic events' JSON data size (default 1024; 0: no data)
Driving:
  --rate N               sinks: offer N events per second (default: as fast as the sink accepts)
  --max-in-flight N      sinks and sources: events outstanding at once (default 64)
  --threads N            sinks and sources: worker threads (default 1)
  --timeout-ms N         sinks: per-attempt timeout, 0 for none (default 30000)
  --duration SECONDS     stop measuring after this long (default: no limit)
  --compare A B          run A and B alternately on the same events and print B/A ratios
  --rounds N             with --compare: rounds, each running both (default 3)
Output:
  --json                 the report as JSON (for CI) instead of a table
  --output FILE          write the report to FILE instead of standard output
  --progress             show the progress line on standard error even when it is not a terminal
  --help                 this text
)";
}

Result<Options> parse_options(const std::vector<std::string>& args) {
  Options o;
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> inline_value;
    if (flag.rfind("--", 0) == 0) {
      if (auto eq = flag.find('='); eq != std::string::npos) {
        inline_value = flag.substr(eq + 1);
        flag.resize(eq);
      }
    } else {
      positional.push_back(flag);
      continue;
    }
    auto value = [&]() -> Result<std::string> {
      if (inline_value) return *inline_value;
      if (i + 1 >= args.size()) return Status::invalid(flag + ": missing value");
      return args[++i];
    };
#define EH_VALUE(var)              \
  auto var = value();              \
  if (!var) return var.status();
    if (flag == "--help" || flag == "-h") {
      o.help = true;
    } else if (flag == "--json") {
      o.json = true;
    } else if (flag == "--progress") {
      o.progress = true;
    } else if (flag == "--compare") {
      o.compare = true;
    } else if (flag == "--kind") {
      EH_VALUE(v);
      o.kind = parse_kind(*v);
      if (!o.kind) return Status::invalid("--kind: expected source, sink, filter or delivery-policy, got '" + *v + "'");
    } else if (flag == "--config") {
      EH_VALUE(v);
      o.config.json = *v;
    } else if (flag == "--config-file") {
      EH_VALUE(v);
      o.config.file = *v;
    } else if (flag == "--config-b") {
      EH_VALUE(v);
      o.config_b.json = *v;
    } else if (flag == "--config-file-b") {
      EH_VALUE(v);
      o.config_b.file = *v;
    } else if (flag == "--input") {
      EH_VALUE(v);
      o.input = *v;
    } else if (flag == "--output") {
      EH_VALUE(v);
      o.output = *v;
    } else if (flag == "--events") {
      EH_VALUE(v);
      auto n = parse_unsigned<uint64_t>(flag, *v, 1, std::numeric_limits<uint64_t>::max() / 2);
      if (!n) return n.status();
      o.events = *n;
    } else if (flag == "--warmup") {
      EH_VALUE(v);
      auto n = parse_unsigned<uint64_t>(flag, *v, 0, std::numeric_limits<uint64_t>::max() / 2);
      if (!n) return n.status();
      o.warmup = *n;
    } else if (flag == "--data-size") {
      EH_VALUE(v);
      auto n = parse_unsigned<uint64_t>(flag, *v, 0, 64 << 20);
      if (!n) return n.status();
      o.data_size = *n;
    } else if (flag == "--max-in-flight") {
      EH_VALUE(v);
      auto n = parse_unsigned<uint32_t>(flag, *v, 1, 1 << 20);
      if (!n) return n.status();
      o.max_in_flight = *n;
    } else if (flag == "--threads") {
      EH_VALUE(v);
      auto n = parse_unsigned<unsigned>(flag, *v, 1, 1024);
      if (!n) return n.status();
      o.threads = *n;
    } else if (flag == "--timeout-ms") {
      EH_VALUE(v);
      auto n = parse_unsigned<uint64_t>(flag, *v, 0, 24ull * 3600 * 1000);
      if (!n) return n.status();
      o.timeout_ms = *n;
    } else if (flag == "--rounds") {
      EH_VALUE(v);
      auto n = parse_unsigned<unsigned>(flag, *v, 1, 1000);
      if (!n) return n.status();
      o.rounds = *n;
    } else if (flag == "--rate") {
      EH_VALUE(v);
      auto r = parse_positive(flag, *v);
      if (!r) return r.status();
      o.rate = *r;
    } else if (flag == "--duration") {
      EH_VALUE(v);
      auto d = parse_positive(flag, *v);
      if (!d) return d.status();
      o.duration_seconds = *d;
    } else {
      return Status::invalid("unknown option '" + flag + "'");
    }
#undef EH_VALUE
  }
  if (o.help) return o;
  size_t wanted = o.compare ? 2 : 1;
  if (positional.size() != wanted) {
    return Status::invalid(o.compare ? "--compare takes two plugins (paths or names), got " +
                                           std::to_string(positional.size())
                                     : positional.empty() ? std::string("no plugin given (a path to a .so or a name)")
                                                          : "one plugin expected, got " +
                                                                std::to_string(positional.size()) +
                                                                " (use --compare A B for two)");
  }
  if (o.config.json && o.config.file) return Status::invalid("--config and --config-file: give one");
  if (o.config_b.json && o.config_b.file) return Status::invalid("--config-b and --config-file-b: give one");
  if (!o.compare && (o.config_b.json || o.config_b.file)) {
    return Status::invalid("--config-b and --config-file-b need --compare");
  }
  o.plugins = std::move(positional);
  return o;
}

}  // namespace eventhost::bench
