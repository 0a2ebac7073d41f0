#include "shared_producer.hpp"

#include <map>
#include <mutex>

namespace eventhost::kafka {
namespace {

// Everything that makes two producers differ, joined with NULs (which no setting contains).
std::string key_of(const ProducerSettings& s) {
  std::string key;
  auto add = [&](std::string_view part) { key.append(part).push_back('\0'); };
  add(s.bootstrap_servers);
  add(s.topic);
  add(s.default_topic ? "1" + *s.default_topic : "0");
  add(s.structured ? "structured" : "binary");
  add(s.create_topics ? "create" : "");
  add(std::to_string(s.partitions));
  add(std::to_string(s.replication_factor));
  for (const auto& [name, value] : s.properties) {
    add(name);
    add(value);
  }
  return key;
}

struct Registry {
  std::mutex mutex;
  std::map<std::string, std::weak_ptr<Producer>> producers;
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

Result<std::unique_ptr<SharedProducer>> SharedProducer::acquire(Host host, ProducerSettings settings) {
  std::string key = key_of(settings);
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  if (auto existing = r.producers[key].lock()) {
    existing->attach(host);
    return std::unique_ptr<SharedProducer>(new SharedProducer(host, std::move(existing)));
  }
  auto created = Producer::create(host, std::move(settings));
  if (!created) {
    r.producers.erase(key);
    return created.status();
  }
  std::shared_ptr<Producer> producer = std::move(created).value();
  r.producers[key] = producer;
  // Entries of producers already gone go now, so the map stays as small as the live producers.
  std::erase_if(r.producers, [](const auto& entry) { return entry.second.expired(); });
  return std::unique_ptr<SharedProducer>(new SharedProducer(host, std::move(producer)));
}

SharedProducer::~SharedProducer() {
  producer_->detach(host_);
  producer_.reset();  // outside the registry's lock: the last share flushes and joins the poller here
}

}  // namespace eventhost::kafka
