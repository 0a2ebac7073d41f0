// Config reload: load and validate the whole new config, refuse it (and keep running the old one) on any error, else
// stop what was removed or changed, start what is new or changed, and leave the rest running untouched.
#include "runtime/worker.hpp"

#include "config/load.hpp"
#include "plugins/registry.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <latch>
#include <memory>

#include <set>
#include <sstream>
#include <thread>

namespace eventhost::host {
namespace {

// A ConfigMap update is a burst of creates, renames and deletes: reload once it has been quiet this long.
constexpr auto kQuiet = std::chrono::milliseconds(200);

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : separator) + i;
  return out;
}

std::string without_trailing_newline(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

// Returns once every pool thread has finished the handler it was running: each takes one task, and the tasks wait
// for each other.
void rendezvous(boost::asio::io_context& io, unsigned threads) {
  struct Latches {
    explicit Latches(unsigned n) : arrived(n), left(n) {}
    std::latch arrived;
    std::latch left;
  };
  auto latches = std::make_shared<Latches>(threads);  // the last task may still be leaving when wait returns
  for (unsigned i = 0; i < threads; ++i) {
    boost::asio::post(io, [latches] {
      latches->arrived.arrive_and_wait();
      latches->left.count_down();
    });
  }
  latches->left.wait();
}

std::map<std::string, const config::PipelineSpec*> by_name(const config::WorkerConfig& c) {
  std::map<std::string, const config::PipelineSpec*> out;
  for (const auto* p : all_pipelines(c)) out.emplace(p->name, p);
  return out;
}

}  // namespace

void Worker::enable_reload(std::vector<std::string> args, bool log_level_fixed) {
  reload_args_ = std::move(args);
  log_level_fixed_ = log_level_fixed;
}

void Worker::watch_config() {
  if (reload_args_.empty()) return;
  auto watcher = config::ConfigWatcher::start(reload_args_, kQuiet, [this] { request_reload(); });
  if (!watcher) {
    spdlog::warn("{}; the config is reloaded on SIGHUP only", watcher.status().message());
    return;
  }
  watcher_ = std::move(*watcher);
}

void Worker::refuse_reload(const std::string& reason) {
  reloads_refused_.fetch_add(1);
  uint64_t generation = generation_.load();
  spdlog::error("config reload refused, still running generation {}:\n{}", generation, reason);
  // Ready stays as it is: this replica still serves the last good config, and every replica refuses the same bad
  // ConfigMap at once, so failing /readyz would take the whole Service down. The reason is shown, not enforced.
  std::string shown = "reload refused, running generation " + std::to_string(generation) + ":";
  std::istringstream lines(reason);
  for (std::string line; std::getline(lines, line);) shown += "\n  " + line;
  readiness_.note(&reload_args_, "config", shown);
}

void Worker::reload() {
  config::Diagnostics diags;
  PluginRegistry registry;
  auto next = config::load_worker_config(reload_args_, config::process_environment(), registry, diags);
  if (!next) return refuse_reload(without_trailing_newline(diags.to_string()));
  ReloadPlan plan = plan_reload(config_, *next);
  if (!plan.needs_restart.empty()) {
    return refuse_reload(join(plan.needs_restart, "\n") + ": cannot change while running; restart the worker");
  }
  bool host_changed = next->host.shutdown_grace != config_.host.shutdown_grace ||
                      (!log_level_fixed_ && next->host.log_level != config_.host.log_level);
  if (!plan.changes_pipelines() && !host_changed) {
    config_ = std::move(*next);
    readiness_.note(&reload_args_, "config", "");
    spdlog::info("config reloaded: nothing changed (generation {})", generation_.load());
    reloads_applied_.fetch_add(1);
    return;
  }
  // Every new or changed plugin instance is created before anything running is touched, exactly as `eventhost
  // validate` creates them: a plugin refusing its config refuses the whole reload. Creating starts nothing.
  std::vector<std::unique_ptr<Pipeline>> built;
  {
    std::lock_guard lock(topology_mutex_);
    for (const auto& id : plan.buses_added) buses_[id] = std::make_unique<MemoryBus>(id, io_);
  }
  for (const auto* spec : plan.start) {
    auto p = build_pipeline(*spec);
    if (!p) {
      built.clear();
      std::lock_guard lock(topology_mutex_);
      for (const auto& id : plan.buses_added) buses_.erase(id);
      return refuse_reload(p.status().message());
    }
    built.push_back(std::move(*p));
  }
  if (!log_level_fixed_ && next->host.log_level != config_.host.log_level) {
    spdlog::default_logger()->set_level(
        spdlog::level::from_str(next->host.log_level == "warn" ? "warning" : next->host.log_level));
  }
  uint64_t generation = generation_.fetch_add(1) + 1;
  spdlog::info("config reload: generation {}: starting {} pipeline(s), stopping {}, {} unchanged{}", generation,
               plan.start.size(), plan.stop.size(), plan.unchanged.size(),
               plan.stop.empty() ? "" : " (stopping: " + join(plan.stop, ", ") + ")");
  auto failed = apply(*next, plan, std::move(built));
  if (failed.empty()) {
    reloads_applied_.fetch_add(1);
    readiness_.note(&reload_args_, "config", "");
  } else {
    reloads_failed_.fetch_add(1);
    readiness_.note(&reload_args_, "config",
                    "generation " + std::to_string(generation) + " applied, but: " + join(failed, "; "));
  }
}

std::vector<std::string> Worker::apply(config::WorkerConfig& next, const ReloadPlan& plan,
                                       std::vector<std::unique_ptr<Pipeline>> built) {
  auto old_specs = by_name(config_);
  auto new_specs = by_name(next);
  // Stop the old sources first: an HTTP ingress frees its path, a timer stops firing, a consumer leaves its group.
  std::vector<std::unique_ptr<Pipeline>> stopped;
  std::map<std::string, Pipeline*> successors;  // trigger name -> its old pipeline, to swap on the same bus
  {
    std::vector<std::unique_ptr<Pipeline>> keep;
    std::lock_guard lock(topology_mutex_);
    for (auto& p : pipelines_) {
      bool stops = std::find(plan.stop.begin(), plan.stop.end(), p->name()) != plan.stop.end();
      (stops ? stopped : keep).push_back(std::move(p));
    }
    pipelines_ = std::move(keep);
  }
  for (auto& p : stopped) {
    on_pool([&] {
      if (singletons_.gated(*p)) singletons_.remove(*p);  // stops it if this replica leads
      else p->stop_source();
      return Status::ok();
    });
    const auto& bus = old_specs.at(p->name())->intake_bus;
    if (bus.empty()) continue;
    auto successor = new_specs.find(p->name());
    if (successor != new_specs.end() && successor->second->intake_bus == bus) {
      successors[p->name()] = p.get();
    } else {
      buses_.at(bus)->unsubscribe(p.get());
    }
  }
  std::vector<std::string> failed;
  std::set<std::string> not_started;
  for (size_t i = 0; i < built.size(); ++i) {
    const config::PipelineSpec& spec = *plan.start[i];
    Pipeline* p = built[i].get();
    if (auto old = successors.find(spec.name); old != successors.end()) {
      buses_.at(spec.intake_bus)->replace(old->second, p);
    } else if (!spec.intake_bus.empty()) {
      buses_.at(spec.intake_bus)->subscribe(p);
    }
    {
      std::lock_guard lock(topology_mutex_);
      pipelines_.push_back(std::move(built[i]));
    }
    Status s = on_pool([&] { return singletons_.add(*p) ? Status::ok() : p->start_source(); });
    if (s.is_ok()) continue;
    // Only sources fail to start, and a pipeline with a source reads no bus: nothing is inside it yet.
    spdlog::error("{}", s.message());
    failed.push_back(s.message());
    not_started.insert(spec.name);
    std::lock_guard lock(topology_mutex_);
    pipelines_.erase(std::find_if(pipelines_.begin(), pipelines_.end(), [&](const auto& q) { return q.get() == p; }));
  }
  // Left out of the running config, so that the next reload tries them again.
  std::erase_if(next.pipelines, [&](const auto& q) { return not_started.count(q.name) != 0; });
  for (auto& b : next.buses) {
    if (b.ingress && not_started.count(b.ingress->name) != 0) b.ingress.reset();
  }
  std::vector<std::unique_ptr<MemoryBus>> removed_buses;
  {
    std::lock_guard lock(topology_mutex_);
    for (const auto& id : plan.buses_removed) {
      removed_buses.push_back(std::move(buses_.at(id)));
      buses_.erase(id);
    }
  }
  config_ = std::move(next);
  drain_stopped(std::move(stopped), std::move(removed_buses));
  return failed;
}

void Worker::drain_stopped(std::vector<std::unique_ptr<Pipeline>> stopped,
                           std::vector<std::unique_ptr<MemoryBus>> buses) {
  // What earlier reloads had to leave behind may have finished by now.
  std::erase_if(retired_, [](const auto& p) { return p->in_flight() == 0; });
  auto in_flight = [&] {
    uint64_t n = 0;
    for (const auto& p : stopped) n += p->in_flight();
    return n;
  };
  auto stop_requested = [this] {
    std::lock_guard lock(stop_mutex_);
    return stop_requested_;
  };
  // Events inside finish within the shutdown grace, as on SIGTERM; the new pipelines already run meanwhile.
  auto deadline = std::chrono::steady_clock::now() + config_.host.shutdown_grace;
  while (in_flight() > 0 && std::chrono::steady_clock::now() < deadline && !stop_requested()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (in_flight() > 0 && !stop_requested()) {
    for (auto& p : stopped) p->abandon_waiting();  // back to their sources, as after the shutdown grace
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // The last completion may still be on its way out of a pipeline (releasing its slot, posting a resume): two
  // rendezvous let it, and then what it posted, finish before the pipeline is destroyed.
  rendezvous(io_, pool_size_);
  rendezvous(io_, pool_size_);
  for (auto& p : stopped) {
    if (p->in_flight() == 0) {
      spdlog::info("{}: stopped: {}", p->name(), p->metrics().summary());
      p.reset();
    } else {
      spdlog::warn("{}: stopped with {} event(s) still in flight; they finish in the background", p->name(),
                   p->in_flight());
      retired_.push_back(std::move(p));
    }
  }
  for (auto& b : buses) retired_buses_.push_back(std::move(b));
  if (retired_.empty()) retired_buses_.clear();  // nothing left that could still offer to them
}

std::string Worker::reload_metrics() const {
  std::string out =
      "# HELP eventhost_config_reloads_total Config reloads: applied, refused (the old config keeps running), or "
      "failed (applied, but a pipeline did not start)\n"
      "# TYPE eventhost_config_reloads_total counter\n";
  out += "eventhost_config_reloads_total{result=\"applied\"} " + std::to_string(reloads_applied_.load()) + "\n";
  out += "eventhost_config_reloads_total{result=\"refused\"} " + std::to_string(reloads_refused_.load()) + "\n";
  out += "eventhost_config_reloads_total{result=\"failed\"} " + std::to_string(reloads_failed_.load()) + "\n";
  out += "# HELP eventhost_config_generation The running config: 1 at start, one more for each applied change\n"
         "# TYPE eventhost_config_generation gauge\n"
         "eventhost_config_generation " + std::to_string(generation_.load()) + "\n";
  return out;
}

}  // namespace eventhost::host
