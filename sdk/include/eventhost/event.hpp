// CloudEvent: the CloudEvents v1.0.2 event as a C++ value type.
//
// All attribute names and values live in one character arena with a small index beside it, so building, copying
// and moving an event costs a few allocations in total instead of one per attribute, and reading an attribute is a
// short scan that returns a view into the arena. Values are kept in their canonical string form with their type
// (eh_attr_type), which is what every CloudEvents encoding needs.
#pragma once

#include <eventhost/abi.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eventhost {

using AttributeType = eh_attr_type;

struct AttributeView {
  std::string_view name;
  std::string_view value;
  AttributeType type;
};

class CloudEvent {
 public:
  CloudEvent() { index_.reserve(kTypicalAttributeCount); }

  // The attribute's value, or nullopt. The view is valid until this attribute or the event changes.
  std::optional<std::string_view> get(std::string_view name) const {
    const Entry* e = find(name);
    if (e == nullptr) return std::nullopt;
    return value_of(*e);
  }
  std::optional<AttributeView> get_typed(std::string_view name) const {
    const Entry* e = find(name);
    if (e == nullptr) return std::nullopt;
    return AttributeView{name_of(*e), value_of(*e), e->type};
  }
  bool has(std::string_view name) const { return find(name) != nullptr; }

  // Sets or replaces an attribute. Replacing a value of the same or shorter length reuses its bytes.
  void set(std::string_view name, std::string_view value, AttributeType type = EH_ATTR_STRING) {
    if (Entry* e = find_mutable(name)) {
      if (value.size() <= e->value_len) {
        value.copy(arena_.data() + e->value_off, value.size());
      } else {
        garbage_ += e->value_len;
        e->value_off = append(value);
      }
      e->value_len = static_cast<uint32_t>(value.size());
      e->type = type;
      return;
    }
    push(name, value, type);
  }

  // Adds an attribute the event does not have yet, with one scan of the index; false (and no change) when an
  // attribute of that name is already there. Decoders use it to refuse duplicates.
  bool add(std::string_view name, std::string_view value, AttributeType type = EH_ATTR_STRING) {
    if (find(name) != nullptr) return false;
    push(name, value, type);
    return true;
  }

  bool remove(std::string_view name) {
    for (auto it = index_.begin(); it != index_.end(); ++it) {
      if (name_of(*it) == name) {
        garbage_ += it->name_len + it->value_len;
        index_.erase(it);
        if (garbage_ > arena_.size() / 2 && garbage_ > 256) compact();
        return true;
      }
    }
    return false;
  }

  // Visits attributes in insertion order; the visitor returns false to stop.
  template <typename Fn>
  void for_each(Fn&& fn) const {
    for (const Entry& e : index_) {
      if (!fn(AttributeView{name_of(e), value_of(e), e.type})) return;
    }
  }
  size_t attribute_count() const { return index_.size(); }

  // Room for `attribute_count` attributes whose names and values total `text_bytes`, so adding them allocates
  // nothing more. Decoders call it once per event with sizes they know from the input.
  void reserve(size_t attribute_count, size_t text_bytes) {
    index_.reserve(attribute_count);
    arena_.reserve(text_bytes);
  }

  // Removes every attribute and the data but keeps the storage, so decoding into a reused event allocates nothing
  // once its storage has grown to fit.
  void clear() {
    index_.clear();
    arena_.clear();
    garbage_ = 0;
    clear_data();
  }

  // Data is bytes; has_data distinguishes "no data" from "empty data".
  bool has_data() const { return has_data_; }
  std::string_view data() const { return data_; }
  void set_data(std::string_view bytes) {
    data_.assign(bytes.data(), bytes.size());
    has_data_ = true;
  }
  void set_data(std::string&& bytes) {
    data_ = std::move(bytes);
    has_data_ = true;
  }
  void clear_data() {
    data_.clear();
    has_data_ = false;
  }

  // Convenience accessors for the required and common optional attributes.
  std::string_view id() const { return get("id").value_or(std::string_view{}); }
  std::string_view source() const { return get("source").value_or(std::string_view{}); }
  std::string_view type() const { return get("type").value_or(std::string_view{}); }
  std::string_view specversion() const { return get("specversion").value_or(std::string_view{}); }

  friend bool operator==(const CloudEvent& a, const CloudEvent& b) {
    if (a.has_data_ != b.has_data_ || a.data_ != b.data_ || a.index_.size() != b.index_.size()) return false;
    for (const Entry& e : a.index_) {
      auto other = b.get_typed(a.name_of(e));
      if (!other || other->value != a.value_of(e) || other->type != e.type) return false;
    }
    return true;
  }

 private:
  static constexpr size_t kTypicalAttributeCount = 12;  // the host reserves as many for the events it makes

  struct Entry {
    uint32_t name_off;
    uint32_t name_len;
    uint32_t value_off;
    uint32_t value_len;
    AttributeType type;
  };

  std::string_view name_of(const Entry& e) const { return {arena_.data() + e.name_off, e.name_len}; }
  std::string_view value_of(const Entry& e) const { return {arena_.data() + e.value_off, e.value_len}; }

  const Entry* find(std::string_view name) const {
    // Lengths and first bytes rule out most entries before a full comparison.
    for (const Entry& e : index_) {
      if (e.name_len == name.size() && (name.empty() || arena_[e.name_off] == name[0]) && name_of(e) == name) {
        return &e;
      }
    }
    return nullptr;
  }
  Entry* find_mutable(std::string_view name) { return const_cast<Entry*>(find(name)); }

  void push(std::string_view name, std::string_view value, AttributeType type) {
    Entry e{};
    e.name_off = append(name);
    e.name_len = static_cast<uint32_t>(name.size());
    e.value_off = append(value);
    e.value_len = static_cast<uint32_t>(value.size());
    e.type = type;
    index_.push_back(e);
  }

  uint32_t append(std::string_view s) {
    auto off = static_cast<uint32_t>(arena_.size());
    arena_.append(s.data(), s.size());
    return off;
  }

  void compact() {
    std::string fresh;
    fresh.reserve(arena_.size() - garbage_);
    for (Entry& e : index_) {
      auto n = static_cast<uint32_t>(fresh.size());
      fresh.append(name_of(e));
      auto v = static_cast<uint32_t>(fresh.size());
      fresh.append(value_of(e));
      e.name_off = n;
      e.value_off = v;
    }
    arena_ = std::move(fresh);
    garbage_ = 0;
  }

  std::string arena_;
  std::vector<Entry> index_;
  std::string data_;
  size_t garbage_ = 0;
  bool has_data_ = false;
};

}  // namespace eventhost
