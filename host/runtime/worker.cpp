#include "runtime/worker.hpp"

#include "http/prometheus.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <future>
#include <pthread.h>
#include <thread>

namespace eventhost::host {

Worker::Worker(config::WorkerConfig config)
    : config_(std::move(config)),
      http_(io_, config_.host.http,
            http::Probes{[this] {
                           bool started = ready_.load();
                           return http::Readyz{started && readiness_.ready(),
                                               (started ? "" : "pipelines starting or draining\n") +
                                                   readiness_.details()};
                         },
                         [this] {
                           std::lock_guard lock(topology_mutex_);
                           return http::render_metrics(pipelines_, buses_, http_) + reload_metrics();
                         }}) {}

Worker::~Worker() = default;

std::unique_ptr<eh_host> Worker::context_for(const config::PipelineSpec& p, const config::PluginSpec& plugin,
                                             const char* kind) {
  auto ctx = std::make_unique<eh_host>();
  ctx->name = p.object_name;
  ctx->ns = p.ns;
  ctx->pipeline = p.name;
  ctx->kind = kind;
  ctx->plugin = plugin.plugin->name();
  ctx->timers = &timers_;
  ctx->http = &http_;
  ctx->logger = spdlog::default_logger();
  ctx->readiness = &readiness_;
  return ctx;
}

Result<std::unique_ptr<PluginInstance>> Worker::instantiate(const config::PipelineSpec& p,
                                                            const config::PluginSpec& plugin, const char* kind) {
  return PluginInstance::create(plugin, context_for(p, plugin, kind));
}

Result<std::unique_ptr<Target>> Worker::target_for(const config::Destination& d, const config::PipelineSpec& p,
                                                   bool replies) {
  if (d.plugin) {
    auto sink = instantiate(p, *d.plugin, "sink");
    if (!sink) return sink.status();
    return std::unique_ptr<Target>(new PluginTarget(std::move(*sink), d.display, io_, timers_));
  }
  return std::unique_ptr<Target>(
      new BusTarget(*buses_.at(d.bus), d.display, timers_, stopping_, replies, d.fail_when_full));
}

Status Worker::build() {
  if (config_.election) {  // first: a pipeline is gated only when there is an elector
    config::PipelineSpec owner;
    owner.name = owner.object_name = "election";
    owner.ns = config_.host.ns;
    auto elector = instantiate(owner, *config_.election, "elector");
    if (!elector) return elector.status();
    singletons_.elect_with(std::move(*elector));
  }
  for (const auto& b : config_.buses) {
    if (b.backend == "memory") buses_[b.id] = std::make_unique<MemoryBus>(b.id, io_);  // a Kafka bus is its topic
  }
  for (const auto* spec : all_pipelines(config_)) {
    auto pipeline = build_pipeline(*spec);
    if (!pipeline) return pipeline.status();
    install(std::move(*pipeline), *spec);
  }
  return Status::ok();
}

Result<std::unique_ptr<Pipeline>> Worker::build_pipeline(const config::PipelineSpec& spec) {
  PipelineParts parts;
  if (spec.source) {
    auto src = instantiate(spec, *spec.source, "source");
    if (!src) return src.status();
    parts.source = std::move(*src);
  }
  for (const auto& f : spec.filters) {
    auto filter = instantiate(spec, f, "filter");
    if (!filter) return filter.status();
    parts.filters.push_back(std::move(*filter));
  }
  if (spec.delivery.policy) {
    auto policy = instantiate(spec, *spec.delivery.policy, "delivery-policy");
    if (!policy) return policy.status();
    parts.policy = std::move(*policy);
  }
  auto sink = target_for(spec.sink, spec, false);
  if (!sink) return sink.status();
  parts.sink = std::move(*sink);
  if (spec.delivery.dead_letter) {
    auto dls = target_for(*spec.delivery.dead_letter, spec, false);
    if (!dls) return dls.status();
    parts.dead_letter = std::move(*dls);
  }
  if (spec.reply) {
    auto reply = target_for(*spec.reply, spec, true);
    if (!reply) return reply.status();
    parts.reply = std::move(*reply);
  }
  eh_host* source_ctx = parts.source ? &parts.source->context() : nullptr;
  auto pipeline = std::make_unique<Pipeline>(spec, std::move(parts), io_, timers_, stopping_);
  if (source_ctx != nullptr) source_ctx->inlet = pipeline.get();
  return pipeline;
}

void Worker::install(std::unique_ptr<Pipeline> pipeline, const config::PipelineSpec& spec) {
  if (!spec.intake_bus.empty()) buses_.at(spec.intake_bus)->subscribe(pipeline.get());
  std::lock_guard lock(topology_mutex_);
  pipelines_.push_back(std::move(pipeline));
}

Status Worker::on_pool(const std::function<Status()>& fn) {
  std::promise<Status> done;
  boost::asio::post(io_, [&] { done.set_value(fn()); });
  return done.get_future().get();
}

void Worker::request_stop() {
  {
    std::lock_guard lock(stop_mutex_);
    stop_requested_ = true;
  }
  stop_cv_.notify_all();
}

void Worker::request_reload() {
  {
    std::lock_guard lock(stop_mutex_);
    reload_requested_ = true;
  }
  stop_cv_.notify_all();
}

void Worker::await_signal(boost::asio::signal_set& signals) {
  signals.async_wait([this, &signals](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    if (signo == SIGHUP) {
      spdlog::info("received SIGHUP, reloading the config");
      request_reload();
      await_signal(signals);
      return;
    }
    stop_signal_.store(signo);  // drain() says so once intake is closed: the line promises what a client sees
    request_stop();
  });
}

int Worker::run(bool handle_signals) {
  unsigned threads = config_.host.threads != 0 ? config_.host.threads : available_cpus();
  pool_size_ = threads;
  auto guard = boost::asio::make_work_guard(io_);
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < threads; ++i) pool.emplace_back([this] {
    pthread_setname_np(pthread_self(), "eh-worker");  // how top -H and perf name it
    io_.run();
  });

  boost::asio::signal_set signals(io_);
  if (handle_signals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
    if (!reload_args_.empty()) signals.add(SIGHUP);
    await_signal(signals);
  }

  int exit_code = 0;
  if (config_.host.listen_explicit) {
    if (Status s = http_.listen(); !s.is_ok()) {
      spdlog::error("{}", s.message());
      exit_code = 1;
      request_stop();
    }
  }
  for (auto& p : pipelines_) {
    if (exit_code != 0) break;
    if (singletons_.add(*p)) continue;  // started while this replica leads
    Status s = on_pool([&] { return p->start_source(); });
    if (!s.is_ok()) {
      spdlog::error("{}", s.message());
      exit_code = 1;
      request_stop();
      break;
    }
  }
  if (Status s = exit_code == 0 ? on_pool([this] { return singletons_.start_elector(); }) : Status::ok(); !s.is_ok()) {
    spdlog::error("{}", s.message());
    exit_code = 1;
    request_stop();
  }
  if (exit_code == 0) {
    http_.start_accepting();
    ready_.store(true);
    watch_config();  // before saying so: from "running" on, a config change is seen
    spdlog::info("eventhost running {} pipeline(s) on {} thread(s)", pipelines_.size(), threads);
  }

  for (;;) {
    std::unique_lock lock(stop_mutex_);
    stop_cv_.wait(lock, [this] { return stop_requested_ || reload_requested_; });
    if (stop_requested_) break;
    reload_requested_ = false;
    lock.unlock();
    reload();
  }
  watcher_.reset();
  signals.cancel();
  drain();
  if (singletons_.failed()) exit_code = 1;
  timers_.close();
  guard.reset();
  io_.stop();
  for (auto& t : pool) t.join();
  for (const auto& p : pipelines_) spdlog::info("{}: {}", p->name(), p->metrics().summary());
  return exit_code;
}

void Worker::drain() {
  ready_.store(false);
  http_.begin_drain();
  stopping_.store(true);
  if (int signo = stop_signal_.load(); signo != 0) {
    spdlog::info("received {}, draining (grace {}ms)", signo == SIGTERM ? "SIGTERM" : "SIGINT",
                 config_.host.shutdown_grace.count());
  }
  on_pool([this] {
    singletons_.close();  // stops the singleton sources, then gives the leadership up
    return Status::ok();
  });
  for (auto& p : pipelines_) {
    on_pool([&] {
      if (!singletons_.gated(*p)) p->stop_source();
      return Status::ok();
    });
  }
  auto in_flight = [this] {
    uint64_t n = 0;
    for (const auto& p : pipelines_) n += p->in_flight();
    for (const auto& p : retired_) n += p->in_flight();
    return n;
  };
  auto deadline = std::chrono::steady_clock::now() + config_.host.shutdown_grace;
  while (in_flight() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (in_flight() == 0) {
    http_.close(std::chrono::milliseconds(1000));  // answers already decided still reach their clients
    return;
  }
  for (auto& p : pipelines_) p->abandon_waiting();
  for (auto& p : retired_) p->abandon_waiting();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  if (uint64_t left = in_flight(); left > 0) {
    // Sinks still hold deliveries: tearing their plugins down now could run a callback into unloaded code, so
    // leave without running destructors. Sources had not committed these events; they are redelivered later.
    spdlog::warn("{} event(s) still in flight after the shutdown grace; exiting without waiting for them", left);
    spdlog::shutdown();
    std::fflush(stdout);
    std::_Exit(0);
  }
}

}  // namespace eventhost::host
