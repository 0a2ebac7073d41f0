#include "http/route_table.hpp"

#include <mutex>

namespace eventhost::host::http {

Status RouteTable::add(std::shared_ptr<Route> route) {
  std::unique_lock lock(mutex_);
  if (auto it = active_.find(route->path); it != active_.end()) {
    return Status::invalid("HTTP path " + route->path + " is already served by " + it->second->pipeline);
  }
  // A route added again (its pipeline changed on a config reload) starts its counts over, like the pipeline's own:
  // two series with the same labels would break the /metrics page.
  std::erase_if(all_, [&](const auto& r) { return r->path == route->path && r->pipeline == route->pipeline; });
  all_.push_back(route);
  active_.emplace(route->path, std::move(route));
  return Status::ok();
}

void RouteTable::remove(std::string_view path) {
  std::unique_lock lock(mutex_);
  if (auto it = active_.find(path); it != active_.end()) active_.erase(it);
}

std::shared_ptr<Route> RouteTable::find(std::string_view path) const {
  std::shared_lock lock(mutex_);
  auto it = active_.find(path);
  return it == active_.end() ? nullptr : it->second;
}

bool RouteTable::invoke(const std::shared_ptr<Route>& route, const eh_http_request& request,
                        eh_http_responder* responder) const {
  std::shared_lock lock(mutex_);
  auto it = active_.find(route->path);
  if (it == active_.end() || it->second != route) return false;
  route->handler(route->arg, &request, responder);
  return true;
}

std::vector<std::shared_ptr<const Route>> RouteTable::all() const {
  std::shared_lock lock(mutex_);
  return all_;
}

}  // namespace eventhost::host::http
