#include "resource_watch.hpp"

#include <rapidjson/document.h>

namespace eventhost::apiserver {

using namespace std::chrono_literals;

Result<ResourceName> find_resource(std::string_view discovery_json, const std::string& api_version,
                                   const std::string& kind) {
  rapidjson::Document d;
  d.Parse(discovery_json.data(), discovery_json.size());
  if (d.HasParseError() || !d.IsObject()) return Status::invalid("the discovery answer is not a JSON object");
  auto resources = d.FindMember("resources");
  if (resources == d.MemberEnd() || !resources->value.IsArray()) {
    return Status::invalid("the discovery answer has no resources");
  }
  for (const auto& r : resources->value.GetArray()) {
    if (!r.IsObject() || !r.HasMember("name") || !r["name"].IsString() || !r.HasMember("kind") || !r["kind"].IsString()) {
      continue;
    }
    std::string name = r["name"].GetString();
    if (name.find('/') != std::string::npos || kind != r["kind"].GetString()) continue;
    bool namespaced = r.HasMember("namespaced") && r["namespaced"].IsBool() && r["namespaced"].GetBool();
    return ResourceName{name, namespaced};
  }
  return Status::invalid("kind '" + kind + "' is not served in apiVersion " + api_version);
}

ResourceWatch::ResourceWatch(WatchContext& ctx, ResourceSpec spec)
    : ctx_(ctx),
      spec_(std::move(spec)),
      what_(spec_.api_version + " " + spec_.kind),
      backoff_(ctx.settings),
      timer_(ctx.io) {}

void ResourceWatch::stop() {
  stopped_ = true;
  if (exchange_) exchange_->cancel();
  exchange_.reset();
  timer_.cancel();
  for (auto& c : collections_) c->stop();
}

void ResourceWatch::discover() {
  if (stopped_) return;
  auto token = ctx_.access.bearer_token();
  if (!token) return retry(token.status().message());
  exchange_ = fetch(ctx_.io, ctx_.tls, ctx_.access.server, *token, api_base(spec_.api_version), 30s, 16u << 20,
                    [this](Result<HttpAnswer> answer) { on_discovery(std::move(answer)); });
}

void ResourceWatch::on_discovery(Result<HttpAnswer> answer) {
  exchange_.reset();
  if (stopped_) return;
  if (!answer) return retry("discovery: " + answer.status().message());
  if (answer->status == 404) {
    return retry("discovery: apiVersion " + spec_.api_version + " is not served by the API server");
  }
  if (answer->status != 200) return retry("discovery: " + describe_answer(answer->status, answer->body, "discovery"));
  auto resource = find_resource(answer->body, spec_.api_version, spec_.kind);
  if (!resource) return retry("discovery: " + resource.status().message());

  const std::string base = api_base(spec_.api_version);
  const auto& namespaces = ctx_.settings.namespaces;
  std::string selector = spec_.label_selector.empty() ? "" : " with labels '" + spec_.label_selector + "'";
  if (!resource->namespaced || namespaces.empty()) {
    if (!resource->namespaced && !namespaces.empty()) {
      ctx_.host.info(what_ + " is cluster-scoped: watching it cluster-wide, `namespaces` does not apply");
    }
    std::string scope = resource->namespaced ? " in all namespaces" : "";
    collections_.push_back(std::make_unique<CollectionWatch>(ctx_, spec_, *resource, base + "/" + resource->plural,
                                                             what_ + scope + selector));
  } else {
    for (const auto& ns : namespaces) {
      collections_.push_back(std::make_unique<CollectionWatch>(
          ctx_, spec_, *resource, base + "/namespaces/" + ns + "/" + resource->plural,
          what_ + " in namespace " + ns + selector));
    }
  }
  ctx_.host.info("watching " + what_ + " (" + resource->plural + ")");
  for (auto& c : collections_) c->start();
}

void ResourceWatch::retry(const std::string& why) {
  if (stopped_) return;
  auto delay = backoff_.next();
  ctx_.host.warn(what_ + ": " + why + "; retrying in " + std::to_string(delay.count()) + " ms");
  timer_.expires_after(delay);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !stopped_) discover();
  });
}

}  // namespace eventhost::apiserver
