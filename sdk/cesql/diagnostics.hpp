// Where evaluation errors go. A filter only needs to know that one happened, so without a sink nothing is
// formatted or allocated.
#pragma once

#include <eventhost/cesql.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace eventhost::cesql {

class Diagnostics {
 public:
  explicit Diagnostics(std::vector<Error>* sink) : sink_(sink) {}

  // The message is `reason` followed by `detail`, e.g. "cannot cast to Integer: " + "abc".
  void add(ErrorKind kind, uint32_t position, std::string_view reason, std::string_view detail = {}) {
    any_ = true;
    if (sink_ == nullptr) return;
    std::string message(reason);
    message.append(detail);
    sink_->push_back(Error{kind, position, std::move(message)});
  }
  bool any() const { return any_; }

 private:
  std::vector<Error>* sink_;
  bool any_ = false;
};

}  // namespace eventhost::cesql
