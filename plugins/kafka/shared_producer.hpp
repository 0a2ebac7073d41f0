// Sink instances of one worker whose settings are equal share one Producer: a Kafka-backed bus's ingress and every
// trigger or subscription replying to it write through one librdkafka client (one set of broker connections, one
// batch per partition) instead of one client each.
#pragma once

#include "producer.hpp"

#include <memory>

namespace eventhost::kafka {

// A sink's share of a producer; its host hears the producer's readiness while the share lives.
class SharedProducer {
 public:
  // Checks the settings like Producer::create; starts nothing.
  static Result<std::unique_ptr<SharedProducer>> acquire(Host host, ProducerSettings settings);
  ~SharedProducer();  // the last share destroys the producer
  SharedProducer(const SharedProducer&) = delete;
  SharedProducer& operator=(const SharedProducer&) = delete;

  Producer& producer() const { return *producer_; }

 private:
  SharedProducer(Host host, std::shared_ptr<Producer> producer) : host_(host), producer_(std::move(producer)) {}

  const Host host_;
  std::shared_ptr<Producer> producer_;
};

}  // namespace eventhost::kafka
