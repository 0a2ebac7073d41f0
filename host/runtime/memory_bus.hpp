// The embedded `memory` backend of brokers and channels: an event is accepted once every subscribed pipeline (trigger
// or subscription) has taken it into its bounded intake; if any has no room, nobody takes it and the sender is told
// EH_ERR_OVERLOADED. Accepted events live in memory only: a crash loses them (like Knative's InMemoryChannel).
// A config reload adds, removes and replaces subscribers while events flow.
#pragma once

#include "runtime/inlet.hpp"
#include "runtime/pipeline.hpp"

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <shared_mutex>
#include <string>
#include <vector>

namespace eventhost::host {

class MemoryBus final : public Inlet {
 public:
  MemoryBus(std::string id, boost::asio::io_context& io) : id_(std::move(id)), io_(io) {}

  const std::string& id() const { return id_; }
  void subscribe(Pipeline* pipeline);
  // Once these return, the bus never touches the old pipeline again. A replaced subscriber's successor gets every
  // event the old one would have: none is missed or offered to both.
  void unsubscribe(Pipeline* pipeline);
  void replace(Pipeline* old_pipeline, Pipeline* new_pipeline);
  eh_status offer(EventPtr& event, Completion done, bool force = false) override;
  uint64_t accepted() const { return accepted_.load(); }

 private:
  std::string id_;
  boost::asio::io_context& io_;
  std::shared_mutex mutex_;  // offers share it; changing the subscribers takes it alone
  std::vector<Pipeline*> subscribers_;
  std::atomic<uint64_t> accepted_{0};
};

}  // namespace eventhost::host
