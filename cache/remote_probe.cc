#include "cache/remote_probe.h"

#include <chrono>
#include <cstdio>

namespace ripple::cache {
namespace {

std::string answered(const HttpResponse& r, double ms) {
  char took[32];
  std::snprintf(took, sizeof took, "%.1f ms", ms);
  if (r.status == 0) {
    return "no answer: " + r.error;
  }
  return "answered HTTP " + std::to_string(r.status) + " in " + took;
}

bool credentials_refused(const HttpResponse& r) { return r.status == 401 || r.status == 403; }

}  // namespace

std::vector<ProbeLine> probe_remote(const RemoteOptions& options) {
  HttpClient client(options.http);
  std::vector<ProbeLine> lines;
  const BlobDigest empty = digest_of("");
  const std::string blob_url = options.protocol.blob_url(options.url, empty.hash);
  // The blob's path below the URL, its hash cut short ("/cas/e3b0c44298fc…").
  std::string shown_path = blob_url.substr(options.url.size());
  shown_path = shown_path.substr(0, shown_path.find(empty.hash)) + empty.hash.substr(0, 12) + "…";
  auto timed = [](auto&& request) {
    const auto start = std::chrono::steady_clock::now();
    HttpResponse r = request();
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return std::pair{std::move(r), ms};
  };

  auto [head, head_ms] = timed([&] { return client.head(blob_url); });
  ProbeLine reach{"reach", head.ok() || head.status == 404,
                  "HEAD " + shown_path + " " + answered(head, head_ms)};
  if (credentials_refused(head)) {
    reach.detail += ": the server refused the credentials (token_env, headers, user:password)";
  } else if (head.status >= 500) {
    reach.detail += ": the server is in trouble (see its log)";
  }
  lines.push_back(reach);
  if (!reach.ok) {
    return lines;
  }

  if (options.write) {
    auto [put, put_ms] = timed([&] {
      return client.put(blob_url, std::string_view(), options.protocol.blob_put_headers());
    });
    ProbeLine write{"write", put.ok(), "PUT " + shown_path + " " + answered(put, put_ms)};
    if (put.ok()) {
      HttpResponse back = client.get(blob_url);
      write.ok = back.ok() && back.body.empty();
      write.detail += back.ok() ? "; read back " + std::to_string(back.body.size()) + " bytes"
                                : "; reading it back " + answered(back, 0);
    } else if (credentials_refused(put)) {
      write.detail += ": writing needs credentials this run does not have";
    } else if (put.status == 405) {
      write.detail += ": the server does not take PUT here (nginx: dav_methods PUT)";
    }
    lines.push_back(write);
  } else {
    lines.push_back({"write", true, "not tried: this run only reads"});
  }

  // bazel-remote and Turborepo servers answer their status page with JSON; others have none.
  const std::string status_url = options.protocol.status_url(options.url);
  const std::string status_path =
      status_url.substr(status_url.find('/', status_url.find("//") + 2));
  HttpResponse status = client.get(status_url);
  std::string body = status.body.substr(0, std::min<std::size_t>(200, status.body.find('\n')));
  lines.push_back({"status page", true,
                   status.ok()          ? status_path + ": " + body
                   : status.status == 0 ? "none (" + status_path + ": no answer)"
                                        : "none (" + status_path + " answered HTTP " +
                                              std::to_string(status.status) + ")"});
  return lines;
}

}  // namespace ripple::cache
