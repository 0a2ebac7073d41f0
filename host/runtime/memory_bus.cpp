#include "runtime/memory_bus.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <mutex>

namespace eventhost::host {

void MemoryBus::subscribe(Pipeline* pipeline) {
  std::unique_lock lock(mutex_);
  subscribers_.push_back(pipeline);
}

void MemoryBus::unsubscribe(Pipeline* pipeline) {
  std::unique_lock lock(mutex_);
  subscribers_.erase(std::remove(subscribers_.begin(), subscribers_.end(), pipeline), subscribers_.end());
}

void MemoryBus::replace(Pipeline* old_pipeline, Pipeline* new_pipeline) {
  std::unique_lock lock(mutex_);
  auto it = std::find(subscribers_.begin(), subscribers_.end(), old_pipeline);
  if (it != subscribers_.end()) *it = new_pipeline;
  else subscribers_.push_back(new_pipeline);
}

eh_status MemoryBus::offer(EventPtr& event, Completion done, bool force) {
  std::shared_lock lock(mutex_);
  size_t reserved = 0;
  for (; reserved < subscribers_.size(); ++reserved) {
    if (!subscribers_[reserved]->try_reserve(force)) break;
  }
  if (reserved != subscribers_.size()) {
    for (size_t i = 0; i < reserved; ++i) subscribers_[i]->release_reservation();
    return EH_ERR_OVERLOADED;
  }
  for (size_t i = 0; i + 1 < subscribers_.size(); ++i) subscribers_[i]->accept(clone_event(*event), nullptr);
  if (!subscribers_.empty()) subscribers_.back()->accept(std::move(event), nullptr);
  event.reset();
  accepted_.fetch_add(1, std::memory_order_relaxed);
  // Never complete inside offer: the caller may not be ready for its callback before offer returns.
  boost::asio::post(io_, [done = std::move(done)] { done(EH_OK); });
  return EH_OK;
}

}  // namespace eventhost::host
