// Memory for strings computed during one evaluation (CONCAT, LOWER, casts of integers, ...). Small results come
// from an inline buffer, so a typical evaluation allocates nothing; everything is released with the Scratch.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace eventhost::cesql {

class Scratch {
 public:
  std::span<char> allocate(size_t size) {
    if (size <= inline_.size() - used_) {
      std::span<char> out(inline_.data() + used_, size);
      used_ += size;
      return out;
    }
    overflow_.push_back(std::make_unique<char[]>(size));
    return {overflow_.back().get(), size};
  }

 private:
  std::array<char, 512> inline_;
  size_t used_ = 0;
  std::vector<std::unique_ptr<char[]>> overflow_;
};

}  // namespace eventhost::cesql
