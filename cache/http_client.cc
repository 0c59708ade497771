#include "cache/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <deque>

namespace ripple::cache {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// A request's header list, freed when it goes.
struct HeaderList {
  curl_slist* list = nullptr;
  HeaderList(const std::vector<std::string>& common, const std::vector<std::string>& extra) {
    for (const auto* headers : {&common, &extra}) {
      for (const std::string& h : *headers) {
        list = curl_slist_append(list, h.c_str());
      }
    }
    // No "Expect: 100-continue" round trip before a PUT body.
    list = curl_slist_append(list, "Expect:");
  }
  ~HeaderList() { curl_slist_free_all(list); }
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
};

// Where a response's body goes, and what a sink said when it stopped.
struct BodyTarget {
  std::string* body = nullptr;
  const std::function<Status(std::string_view)>* sink = nullptr;
  CURL* easy = nullptr;
  std::string sink_error;
  std::uint64_t bytes = 0;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& target = *static_cast<BodyTarget*>(user);
  const std::size_t n = size * count;
  target.bytes += n;
  if (target.sink != nullptr) {
    long status = 0;
    curl_easy_getinfo(target.easy, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300) {
      if (auto st = (*target.sink)(std::string_view(data, n)); !st) {
        target.sink_error = st.error().message;
        return 0;  // aborts the transfer
      }
      return n;
    }
  }
  if (target.body != nullptr) {
    target.body->append(data, n);
  }
  return n;
}

struct UploadSource {
  const HttpClient::ChunkSource* next = nullptr;
  std::string_view pending;
  std::string error;
  std::uint64_t bytes = 0;
};

std::size_t on_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto& source = *static_cast<UploadSource*>(user);
  const std::size_t room = size * count;
  if (source.pending.empty()) {
    auto chunk = (*source.next)();
    if (!chunk) {
      source.error = chunk.error().message;
      return CURL_READFUNC_ABORT;
    }
    source.pending = *chunk;
    if (source.pending.empty()) {
      return 0;
    }
  }
  const std::size_t n = std::min(room, source.pending.size());
  std::memcpy(buffer, source.pending.data(), n);
  source.pending.remove_prefix(n);
  source.bytes += n;
  return n;
}

}  // namespace

struct HttpClient::Handle {
  CURL* easy = nullptr;
  char error[CURL_ERROR_SIZE] = {};
  Handle() : easy(curl_easy_init()) {}
  ~Handle() {
    if (easy != nullptr) {
      curl_easy_cleanup(easy);
    }
  }
};

HttpClient::HttpClient(HttpOptions options) : options_(std::move(options)) { global_init(); }
HttpClient::~HttpClient() = default;

std::unique_ptr<HttpClient::Handle> HttpClient::take() {
  {
    std::lock_guard lock(idle_mutex_);
    if (!idle_.empty()) {
      auto h = std::move(idle_.back());
      idle_.pop_back();
      return h;
    }
  }
  return std::make_unique<Handle>();
}

void HttpClient::give_back(std::unique_ptr<Handle> handle) {
  std::lock_guard lock(idle_mutex_);
  idle_.push_back(std::move(handle));
}

void HttpClient::prepare(Handle& h, const std::string& url) const {
  // Reset keeps the handle's open connections and DNS cache: keep-alive across requests.
  curl_easy_reset(h.easy);
  h.error[0] = '\0';
  curl_easy_setopt(h.easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h.easy, CURLOPT_ERRORBUFFER, h.error);
  curl_easy_setopt(h.easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h.easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h.easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h.easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(h.easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(h.easy, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(h.easy, CURLOPT_ACCEPT_ENCODING, "");  // whatever the server compresses
  if (!options_.user_password.empty()) {
    curl_easy_setopt(h.easy, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(h.easy, CURLOPT_USERPWD, options_.user_password.c_str());
  }
}

namespace {

HttpResponse finish(CURL* easy, CURLcode code, const char* error, BodyTarget& target) {
  HttpResponse r;
  if (!target.sink_error.empty()) {
    r.error = target.sink_error;
  } else if (code != CURLE_OK) {
    r.error = error[0] != '\0' ? error : curl_easy_strerror(code);
  } else {
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &r.status);
  }
  r.bytes_down = target.bytes;
  return r;
}

}  // namespace

HttpResponse HttpClient::get(const std::string& url) { return get_into(url, nullptr); }

HttpResponse HttpClient::get_to(const std::string& url,
                                const std::function<Status(std::string_view)>& sink) {
  return get_into(url, &sink);
}

HttpResponse HttpClient::get_into(const std::string& url,
                                  const std::function<Status(std::string_view)>* sink) {
  std::string body;  // the answer's body; with a sink, only a non-2xx one's, for its message
  auto h = take();
  prepare(*h, url);
  HeaderList headers(options_.headers, {});
  BodyTarget target{&body, sink, h->easy, {}, 0};
  curl_easy_setopt(h->easy, CURLOPT_HTTPHEADER, headers.list);
  curl_easy_setopt(h->easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h->easy, CURLOPT_WRITEDATA, &target);
  HttpResponse r = finish(h->easy, curl_easy_perform(h->easy), h->error, target);
  r.body = std::move(body);
  give_back(std::move(h));
  return r;
}

HttpResponse HttpClient::head(const std::string& url) {
  auto h = take();
  prepare(*h, url);
  HeaderList headers(options_.headers, {});
  BodyTarget target;
  curl_easy_setopt(h->easy, CURLOPT_HTTPHEADER, headers.list);
  curl_easy_setopt(h->easy, CURLOPT_NOBODY, 1L);
  HttpResponse r = finish(h->easy, curl_easy_perform(h->easy), h->error, target);
  give_back(std::move(h));
  return r;
}

HttpResponse HttpClient::put(const std::string& url, std::uint64_t size, const ChunkSource& next,
                             const std::vector<std::string>& extra_headers) {
  std::string body;
  auto h = take();
  prepare(*h, url);
  HeaderList headers(options_.headers, extra_headers);
  BodyTarget target{&body, nullptr, h->easy, {}, 0};
  UploadSource source{&next, {}, {}, 0};
  curl_easy_setopt(h->easy, CURLOPT_HTTPHEADER, headers.list);
  curl_easy_setopt(h->easy, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h->easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
  curl_easy_setopt(h->easy, CURLOPT_READFUNCTION, on_upload);
  curl_easy_setopt(h->easy, CURLOPT_READDATA, &source);
  curl_easy_setopt(h->easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h->easy, CURLOPT_WRITEDATA, &target);
  HttpResponse r = finish(h->easy, curl_easy_perform(h->easy), h->error, target);
  if (!source.error.empty()) {
    r.status = 0;
    r.error = source.error;
  }
  r.body = std::move(body);
  r.bytes_up = source.bytes;
  give_back(std::move(h));
  return r;
}

HttpResponse HttpClient::put(const std::string& url, std::string_view body,
                             const std::vector<std::string>& extra_headers) {
  bool given = false;
  return put(
      url, body.size(),
      [&]() -> Result<std::string_view> {
        return std::exchange(given, true) ? std::string_view() : body;
      },
      extra_headers);
}

std::vector<HttpResponse> HttpClient::get_all(const std::vector<std::string>& urls) {
  std::vector<HttpResponse> out(urls.size());
  if (urls.empty()) {
    return out;
  }
  CURLM* multi = curl_multi_init();
  const std::size_t width = static_cast<std::size_t>(std::max(1, options_.max_connections));
  curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(width));
  curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  HeaderList headers(options_.headers, {});
  struct Slot {
    std::unique_ptr<Handle> handle;
    BodyTarget target;
    std::size_t index = 0;
  };
  std::vector<Slot> slots(std::min(width, urls.size()));
  std::deque<Slot*> free_slots;
  for (Slot& s : slots) {
    s.handle = take();
    free_slots.push_back(&s);
  }
  std::size_t next = 0;
  auto start = [&](Slot& s) {
    s.index = next++;
    prepare(*s.handle, urls[s.index]);
    s.target = BodyTarget{&out[s.index].body, nullptr, s.handle->easy, {}, 0};
    curl_easy_setopt(s.handle->easy, CURLOPT_HTTPHEADER, headers.list);
    curl_easy_setopt(s.handle->easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(s.handle->easy, CURLOPT_WRITEDATA, &s.target);
    curl_easy_setopt(s.handle->easy, CURLOPT_PRIVATE, &s);
    curl_multi_add_handle(multi, s.handle->easy);
  };
  int running = 0;
  std::size_t done = 0;
  while (done < urls.size()) {
    while (!free_slots.empty() && next < urls.size()) {
      start(*free_slots.front());
      free_slots.pop_front();
    }
    curl_multi_perform(multi, &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) {
        continue;
      }
      Slot* s = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&s));
      std::string body = std::move(out[s->index].body);
      out[s->index] = finish(s->handle->easy, msg->data.result, s->handle->error, s->target);
      out[s->index].body = std::move(body);
      curl_multi_remove_handle(multi, s->handle->easy);
      free_slots.push_back(s);
      ++done;
    }
    if (done < urls.size() && free_slots.empty()) {
      curl_multi_poll(multi, nullptr, 0, 100, nullptr);
    }
  }
  for (Slot& s : slots) {
    give_back(std::move(s.handle));
  }
  curl_multi_cleanup(multi);
  return out;
}

}  // namespace ripple::cache

namespace ripple::cache {

HttpResponse HttpClient::request(const std::string& method, const std::string& url,
                                 const std::vector<std::string>& extra_headers,
                                 const std::vector<std::string>& answer_headers) {
  std::string body;
  auto h = take();
  prepare(*h, url);
  HeaderList headers(options_.headers, extra_headers);
  BodyTarget target{&body, nullptr, h->easy, {}, 0};
  curl_easy_setopt(h->easy, CURLOPT_HTTPHEADER, headers.list);
  if (method == "HEAD") {
    curl_easy_setopt(h->easy, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(h->easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h->easy, CURLOPT_WRITEDATA, &target);
  }
  HttpResponse r = finish(h->easy, curl_easy_perform(h->easy), h->error, target);
  r.body = std::move(body);
  for (const std::string& name : answer_headers) {
    curl_header* found = nullptr;
    if (r.status != 0 &&
        curl_easy_header(h->easy, name.c_str(), 0, CURLH_HEADER, -1, &found) == CURLHE_OK) {
      r.headers[name] = found->value;
    }
  }
  give_back(std::move(h));
  return r;
}

}  // namespace ripple::cache
