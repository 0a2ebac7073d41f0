#include "source_engine.hpp"

#include <boost/asio/post.hpp>

namespace eventhost::apiserver {

Result<std::unique_ptr<SourceEngine>> SourceEngine::start(Host host, const SourceSettings& settings) {
  auto access = settings.credentials.access();
  if (!access) return access.status();
  auto tls = make_tls_context(*access);
  if (!tls) return tls.status();
  std::unique_ptr<SourceEngine> engine(
      new SourceEngine(host, settings, std::move(access).value(), std::move(tls).value()));
  engine->thread_ = std::thread([e = engine.get()] { e->run(); });
  return engine;
}

SourceEngine::SourceEngine(Host host, const SourceSettings& settings, ClusterAccess access,
                           std::unique_ptr<boost::asio::ssl::context> tls)
    : host_(host),
      settings_(settings),
      access_(std::move(access)),
      tls_(std::move(tls)),
      work_(boost::asio::make_work_guard(io_)),
      emitter_(host),
      ctx_{io_, *tls_, access_, settings_, emitter_, host} {
  for (const auto& spec : settings_.resources) watches_.push_back(std::make_unique<ResourceWatch>(ctx_, spec));
}

SourceEngine::~SourceEngine() {
  stop();
  if (thread_.joinable()) thread_.join();
}

void SourceEngine::run() {
  host_.info("watching the API server at " + access_.server.url);
  for (auto& w : watches_) w->start();
  io_.run();
}

void SourceEngine::stop() {
  std::call_once(stopped_, [this] {
    emitter_.close();
    boost::asio::post(io_, [this] {
      emitter_.shut();
      for (auto& w : watches_) w->stop();
      work_.reset();  // run() returns once the cancelled operations have finished
    });
  });
}

void SourceEngine::resume() {
  boost::asio::post(io_, [this] { emitter_.resume(); });
}

}  // namespace eventhost::apiserver
