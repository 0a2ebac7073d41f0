#include "object_tracker.hpp"

namespace eventhost::apiserver {

const char* change_name(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::add: return "add";
    case ChangeKind::update: return "update";
    case ChangeKind::remove: return "delete";
  }
  return "update";
}

std::optional<ObjectChange> ObjectTracker::upsert(ObjectMeta meta, std::string object_json) {
  auto it = objects_.find(meta.uid);
  if (it == objects_.end()) {
    Known k{meta, keep_objects_ ? object_json : std::string(), relisting_};
    objects_.emplace(meta.uid, std::move(k));
    return ObjectChange{ChangeKind::add, std::move(meta), std::move(object_json)};
  }
  Known& known = it->second;
  if (relisting_) known.listed = true;
  if (known.meta.resource_version == meta.resource_version) return std::nullopt;
  known.meta = meta;
  if (keep_objects_) known.object_json = object_json;
  return ObjectChange{ChangeKind::update, std::move(meta), std::move(object_json)};
}

ObjectChange ObjectTracker::remove(ObjectMeta meta, std::string object_json) {
  objects_.erase(meta.uid);
  return ObjectChange{ChangeKind::remove, std::move(meta), std::move(object_json)};
}

void ObjectTracker::begin_relist() {
  relisting_ = true;
  for (auto& [uid, known] : objects_) known.listed = false;
}

std::vector<ObjectChange> ObjectTracker::end_relist() {
  relisting_ = false;
  std::vector<ObjectChange> gone;
  for (auto it = objects_.begin(); it != objects_.end();) {
    if (it->second.listed) {
      ++it;
      continue;
    }
    gone.push_back(ObjectChange{ChangeKind::remove, std::move(it->second.meta), std::move(it->second.object_json)});
    it = objects_.erase(it);
  }
  return gone;
}

}  // namespace eventhost::apiserver
