// List then watch one collection (a resource in one namespace or in all), the way client-go's reflector does:
// list in pages, watch from the list's resourceVersion with bookmarks, watch again from the last resourceVersion
// when a watch ends, relist on 410 Gone (reporting only real changes: see ObjectTracker), and reconnect with
// exponential backoff after errors. Runs on the source's thread.
#pragma once

#include "https_exchange.hpp"
#include "object_tracker.hpp"
#include "watch_context.hpp"

#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <string>

namespace eventhost::apiserver {

class CollectionWatch {
 public:
  // path: the collection, e.g. "/api/v1/namespaces/ns1/events"; what: for log messages.
  CollectionWatch(WatchContext& ctx, const ResourceSpec& spec, ResourceName resource, std::string path,
                  std::string what);
  CollectionWatch(const CollectionWatch&) = delete;
  CollectionWatch& operator=(const CollectionWatch&) = delete;

  void start() { list({}); }
  void stop();

 private:
  void list(const std::string& continue_token);
  void next_page();
  void on_list_page(Result<HttpAnswer> answer);
  void watch();
  void on_watch_status(unsigned status);
  bool on_watch_bytes(std::string_view bytes);
  bool on_watch_line(std::string_view line);
  void on_watch_end(const std::string& error);
  void on_object(std::string_view type, rapidjson::Value& object);
  void retry(const std::string& why, bool relist);
  void when_room(void (CollectionWatch::*next)());
  std::string query() const;

  WatchContext& ctx_;
  ResourceSpec spec_;
  ResourceName resource_;
  std::string path_;
  std::string what_;
  ObjectTracker tracker_;
  Backoff backoff_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<HttpsExchange> exchange_;
  std::string resource_version_;  // where the next watch starts
  std::string continue_token_;    // the next list page
  std::string line_;              // a watch event line not complete yet
  unsigned watch_status_ = 0;
  std::string watch_error_body_;
  bool stopped_ = false;
};

}  // namespace eventhost::apiserver
