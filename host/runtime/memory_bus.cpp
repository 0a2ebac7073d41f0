#include "runtime/memory_bus.hpp"

#include <boost/asio/post.hpp>

namespace eventhost::host {

eh_status MemoryBus::offer(EventPtr& event, Completion done, bool force) {
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
