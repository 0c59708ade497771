#pragma once

// A small HTTP/1.1 client over libcurl, for the remote cache stores (http_store.h): GET, HEAD
// and PUT with keep-alive, and many GETs at once (curl's multi interface). It knows nothing of
// caches; it answers status codes and bodies.
//
// Contracts:
// - Never throws and never retries: a transport failure (refused, timed out, reset) is status 0
//   with curl's message; any HTTP answer is its status and body.
// - Bounded: every request ends within `timeout` (connecting within `connect_timeout`).
// - Only http and https are followed; redirects are not (a cache that redirects is misconfigured,
//   and a redirect must not carry the credentials elsewhere).
// - Thread-safe: any method may be called from several threads; each call takes an idle
//   connection handle or makes one, and gives it back (connections are kept alive).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "graph/support/error.h"

namespace ripple::cache {

struct HttpOptions {
  std::vector<std::string> headers;  // "Name: value", sent with every request
  std::string user_password;         // basic auth ("user:password"), empty for none
  std::chrono::milliseconds timeout{30000};
  std::chrono::milliseconds connect_timeout{5000};
  int max_connections = 8;  // for get_all()
};

struct HttpResponse {
  long status = 0;    // 0: no HTTP answer (see error)
  std::string body;   // empty for HEAD and for bodies handed to a sink
  std::string error;  // curl's message when status is 0, or why a sink stopped
  std::uint64_t bytes_down = 0;
  std::uint64_t bytes_up = 0;
  // The answer's values of the headers a request() asked for (by the names it gave), when sent.
  std::map<std::string, std::string> headers;
  bool ok() const { return status >= 200 && status < 300; }
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse get(const std::string& url);
  // GET whose body goes to `sink` in pieces, for a 2xx answer only; an error from the sink
  // aborts the transfer (status 0, the sink's message as the error).
  HttpResponse get_to(const std::string& url, const std::function<Status(std::string_view)>& sink);
  HttpResponse head(const std::string& url);
  // PUT of `size` bytes handed out by `next` (an empty view ends them; an error aborts).
  using ChunkSource = std::function<Result<std::string_view>()>;
  HttpResponse put(const std::string& url, std::uint64_t size, const ChunkSource& next,
                   const std::vector<std::string>& extra_headers = {});
  HttpResponse put(const std::string& url, std::string_view body,
                   const std::vector<std::string>& extra_headers = {});
  // A GET or HEAD (`method`) with `extra_headers`, answering the values of `answer_headers`.
  HttpResponse request(const std::string& method, const std::string& url,
                       const std::vector<std::string>& extra_headers,
                       const std::vector<std::string>& answer_headers);
  // GETs of every URL, up to max_connections at once; the answers in the URLs' order.
  std::vector<HttpResponse> get_all(const std::vector<std::string>& urls);

 private:
  struct Handle;
  std::unique_ptr<Handle> take();
  void give_back(std::unique_ptr<Handle> handle);
  void prepare(Handle& h, const std::string& url) const;
  // get() without a sink, get_to() with one.
  HttpResponse get_into(const std::string& url,
                        const std::function<Status(std::string_view)>* sink);

  HttpOptions options_;
  std::mutex idle_mutex_;
  std::vector<std::unique_ptr<Handle>> idle_;
};

}  // namespace ripple::cache
