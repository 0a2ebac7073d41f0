#include "collection_watch.hpp"

#include <rapidjson/document.h>

namespace eventhost::apiserver {
namespace {

using namespace std::chrono_literals;

constexpr size_t kListPageSize = 500;
constexpr uint64_t kMaxListPageBytes = 256ull << 20;
constexpr size_t kMaxEventLineBytes = 16u << 20;  // etcd refuses objects over 1.5 MiB; this is far above
constexpr size_t kMaxErrorBodyBytes = 64u << 10;

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string string_at(const rapidjson::Value& v, const char* a, const char* b = nullptr) {
  if (!v.IsObject()) return {};
  auto it = v.FindMember(a);
  if (it == v.MemberEnd()) return {};
  if (b != nullptr) return string_at(it->value, b);
  return it->value.IsString() ? std::string(it->value.GetString(), it->value.GetStringLength()) : std::string();
}

}  // namespace

CollectionWatch::CollectionWatch(WatchContext& ctx, const ResourceSpec& spec, ResourceName resource, std::string path,
                                 std::string what)
    : ctx_(ctx),
      spec_(spec),
      resource_(std::move(resource)),
      path_(std::move(path)),
      what_(std::move(what)),
      tracker_(ctx.settings.mode == EventMode::resource),
      backoff_(ctx.settings),
      timer_(ctx.io) {}

void CollectionWatch::stop() {
  stopped_ = true;
  if (exchange_) exchange_->cancel();
  exchange_.reset();
  timer_.cancel();
}

std::string CollectionWatch::query() const {
  return spec_.label_selector.empty() ? std::string() : "&labelSelector=" + url_encode(spec_.label_selector);
}

void CollectionWatch::when_room(void (CollectionWatch::*next)()) {
  ctx_.emitter.when_unblocked([this, next] {
    if (!stopped_) (this->*next)();
  });
}

void CollectionWatch::next_page() { list(continue_token_); }

void CollectionWatch::list(const std::string& continue_token) {
  if (stopped_) return;
  if (continue_token.empty()) tracker_.begin_relist();
  auto token = ctx_.access.bearer_token();
  if (!token) return retry(token.status().message(), true);
  std::string target = path_ + "?limit=" + std::to_string(kListPageSize) + query();
  if (!continue_token.empty()) target += "&continue=" + url_encode(continue_token);
  exchange_ = fetch(ctx_.io, ctx_.tls, ctx_.access.server, *token, target, 60s, kMaxListPageBytes,
                    [this](Result<HttpAnswer> answer) { on_list_page(std::move(answer)); });
}

void CollectionWatch::on_list_page(Result<HttpAnswer> answer) {
  exchange_.reset();
  if (stopped_) return;
  if (!answer) return retry("listing: " + answer.status().message(), true);
  if (answer->status != 200) return retry("listing: " + describe_answer(answer->status, answer->body, resource_.plural), true);
  rapidjson::Document d;
  d.Parse(answer->body.data(), answer->body.size());
  if (d.HasParseError() || !d.IsObject()) return retry("listing: the answer is not a JSON object", true);
  auto items = d.FindMember("items");
  if (items != d.MemberEnd() && items->value.IsArray()) {
    for (auto& item : items->value.GetArray()) on_object("LISTED", item);
  }
  backoff_.reset();
  continue_token_ = string_at(d, "metadata", "continue");
  if (!continue_token_.empty()) return when_room(&CollectionWatch::next_page);
  resource_version_ = string_at(d, "metadata", "resourceVersion");
  for (auto& gone : tracker_.end_relist()) {
    ctx_.emitter.push(make_change_event(gone, ctx_.settings.mode, resource_, ctx_.access.server.url));
  }
  when_room(&CollectionWatch::watch);
}

void CollectionWatch::watch() {
  if (stopped_) return;
  auto token = ctx_.access.bearer_token();
  if (!token) return retry(token.status().message(), false);
  const auto timeout = ctx_.settings.watch_timeout;
  std::string target = path_ + "?watch=1&allowWatchBookmarks=true&resourceVersion=" + url_encode(resource_version_) +
                       "&timeoutSeconds=" + std::to_string(timeout.count()) + query();
  watch_status_ = 0;
  watch_error_body_.clear();
  line_.clear();
  HttpsExchange::Handlers h;
  h.on_status = [this](unsigned status) { on_watch_status(status); };
  h.on_body = [this](std::string_view bytes) { return on_watch_bytes(bytes); };
  h.on_end = [this](std::string error) { on_watch_end(error); };
  // The server ends the watch after `timeout`; silence well beyond that means a dead connection.
  exchange_ = HttpsExchange::start(ctx_.io, ctx_.tls, ctx_.access.server, *token, target, timeout + 30s, std::move(h));
}

void CollectionWatch::on_watch_status(unsigned status) {
  watch_status_ = status;
  if (status == 200) backoff_.reset();
}

bool CollectionWatch::on_watch_bytes(std::string_view bytes) {
  if (watch_status_ != 200) {
    if (watch_error_body_.size() < kMaxErrorBodyBytes) watch_error_body_.append(bytes.substr(0, kMaxErrorBodyBytes));
    return true;
  }
  line_.append(bytes);
  size_t start = 0;
  for (size_t nl; (nl = line_.find('\n', start)) != std::string::npos; start = nl + 1) {
    if (!on_watch_line(std::string_view(line_).substr(start, nl - start))) return false;  // the watch was ended
  }
  line_.erase(0, start);
  if (line_.size() > kMaxEventLineBytes) {
    exchange_->cancel();
    retry("a watch event is larger than " + std::to_string(kMaxEventLineBytes) + " bytes", false);
    return false;
  }
  if (!ctx_.emitter.blocked()) return true;
  // The pipeline is full: read nothing more from this watch until it has room again.
  ctx_.emitter.when_unblocked([this, x = exchange_] {
    if (!stopped_ && exchange_ == x) x->read_more();
  });
  return false;
}

// Handles one watch event; false when it ended the watch (the next step is already under way).
bool CollectionWatch::on_watch_line(std::string_view line) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return true;
  rapidjson::Document d;
  d.Parse(line.data(), line.size());
  std::string type = string_at(d, "type");
  auto object = d.IsObject() ? d.FindMember("object") : d.MemberEnd();
  if (d.HasParseError() || type.empty() || object == d.MemberEnd() || !object->value.IsObject()) {
    exchange_->cancel();
    retry("the watch sent something that is not a watch event", false);
    return false;
  }
  if (type == "BOOKMARK") {
    std::string rv = string_at(object->value, "metadata", "resourceVersion");
    if (!rv.empty()) resource_version_ = rv;
    return true;
  }
  if (type == "ERROR") {
    exchange_->cancel();
    exchange_.reset();
    auto code = object->value.FindMember("code");
    if (code != object->value.MemberEnd() && code->value.IsInt() && code->value.GetInt() == 410) {
      ctx_.host.info(what_ + ": resourceVersion " + resource_version_ + " is too old (410 Gone): listing again");
      list({});
    } else {
      retry("the watch ended with an error: " + string_at(object->value, "message"), false);
    }
    return false;
  }
  if (type == "ADDED" || type == "MODIFIED" || type == "DELETED") {
    on_object(type, object->value);
  } else {
    ctx_.host.warn(what_ + ": ignoring a watch event of unknown type '" + type + "'");
  }
  return true;
}

void CollectionWatch::on_watch_end(const std::string& error) {
  exchange_.reset();
  if (stopped_) return;
  if (!error.empty()) return retry("watching: " + error, false);
  if (watch_status_ == 410) {
    ctx_.host.info(what_ + ": resourceVersion " + resource_version_ + " is too old (410 Gone): listing again");
    return list({});
  }
  if (watch_status_ != 200) {
    return retry("watching: " + describe_answer(watch_status_, watch_error_body_, resource_.plural), false);
  }
  watch();  // the server ended the watch after timeoutSeconds: go on from the last resourceVersion
}

void CollectionWatch::on_object(std::string_view type, rapidjson::Value& object) {
  auto meta = read_meta(object, spec_.api_version, spec_.kind);
  if (!meta) {
    ctx_.host.warn(what_ + ": skipping an object: " + meta.status().message());
    return;
  }
  if (type != "LISTED" && !meta->resource_version.empty()) resource_version_ = meta->resource_version;
  if (ctx_.settings.owner && !ctx_.settings.owner->passes(*meta)) {
    tracker_.forget(meta->uid);
    return;
  }
  std::string json =
      ctx_.settings.mode == EventMode::resource ? object_json(object, meta->api_version, meta->kind) : std::string();
  std::optional<ObjectChange> change;
  if (type == "DELETED") {
    change = tracker_.remove(std::move(meta).value(), std::move(json));
  } else {
    change = tracker_.upsert(std::move(meta).value(), std::move(json));
  }
  if (change) ctx_.emitter.push(make_change_event(*change, ctx_.settings.mode, resource_, ctx_.access.server.url));
}

void CollectionWatch::retry(const std::string& why, bool relist) {
  exchange_.reset();
  if (stopped_) return;
  auto delay = backoff_.next();
  ctx_.host.warn(what_ + ": " + why + "; retrying in " + std::to_string(delay.count()) + " ms");
  timer_.expires_after(delay);
  timer_.async_wait([this, relist](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    if (relist || resource_version_.empty()) {
      list({});
    } else {
      watch();
    }
  });
}

}  // namespace eventhost::apiserver
