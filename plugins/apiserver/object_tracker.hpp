// What the source knows about the objects it watches: the resourceVersion last reported for each object UID, so that
// a relist (after 410 Gone or a lost connection) reports only what really changed and never repeats an event for a
// version already reported. Pure bookkeeping, no I/O.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace eventhost::apiserver {

enum class ChangeKind { add, update, remove };

const char* change_name(ChangeKind kind);  // "add", "update", "delete"

struct OwnerRef {
  std::string api_version;
  std::string kind;
  std::string name;
};

// The parts of an object's metadata the source needs.
struct ObjectMeta {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string ns;  // empty for cluster-scoped objects
  std::string uid;
  std::string resource_version;
  std::optional<OwnerRef> controller;  // the ownerReference with controller: true
};

struct ObjectChange {
  ChangeKind kind;
  ObjectMeta meta;
  std::string object_json;  // the object as the API server sent it (for a relist delete: as last seen)
};

class ObjectTracker {
 public:
  // keep_objects: remember each object's JSON, so that an object found gone by a relist can be reported with its
  // last content (Resource mode). Reference mode needs only the metadata.
  explicit ObjectTracker(bool keep_objects) : keep_objects_(keep_objects) {}

  // ADDED or MODIFIED from a watch, or an item of a list: add for an unknown UID, update for a new version, nothing
  // for a version already reported.
  std::optional<ObjectChange> upsert(ObjectMeta meta, std::string object_json);
  // DELETED from a watch. Always reported, even for an object never seen (it may have been created and deleted
  // while the source was disconnected and relisting could not see it).
  ObjectChange remove(ObjectMeta meta, std::string object_json);
  // Drops an object without reporting it (it no longer passes the owner filter).
  void forget(const std::string& uid) { objects_.erase(uid); }

  // A relist: call begin_relist, upsert every listed item, then end_relist, which reports a delete for every known
  // object the list did not contain.
  void begin_relist();
  std::vector<ObjectChange> end_relist();

  size_t size() const { return objects_.size(); }

 private:
  struct Known {
    ObjectMeta meta;
    std::string object_json;
    bool listed = false;
  };

  bool keep_objects_;
  bool relisting_ = false;
  std::unordered_map<std::string, Known> objects_;
};

}  // namespace eventhost::apiserver
