// Issue 13 §5: the fast service.yaml parser (graph/config_fast_parser.cc, with its yaml-cpp
// fallback) against yaml-cpp alone and libyaml's event API, in one process, on every
// service.yaml of a workspace.
//
//   parse_bench ROOT [ROUNDS]      # reads ROOT/packages/*/service.yaml once, into memory
//
// A round parses every file with each of the three, in an order that rotates from round to
// round. The libyaml column is the event parse alone (every event of every file pulled and
// freed, nothing built): a lower bound of what a parser built on libyaml would cost, since it
// still would have to check keys and types, keep positions and build the ServiceConfig. Before
// timing, the program checks that the fast path and yaml-cpp give the same config for every
// file (the codec's bytes), and that libyaml accepts every file; it exits 1 if not.

#include <yaml.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "graph/config_codec.h"
#include "graph/config_fast_parser.h"
#include "graph/config_parser.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

struct File {
  std::string path;
  std::string text;
};

// The number of events, or -1 on a parse error.
long libyaml_events(const std::string& text) {
  yaml_parser_t parser;
  if (yaml_parser_initialize(&parser) == 0) {
    return -1;
  }
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  long events = 0;
  for (;;) {
    yaml_event_t event;
    if (yaml_parser_parse(&parser, &event) == 0) {
      events = -1;
      break;
    }
    ++events;
    bool end = event.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&event);
    if (end) {
      break;
    }
  }
  yaml_parser_delete(&parser);
  return events;
}

enum Method { kFast, kYamlCpp, kLibyaml, kMethods };
const char* const kNames[kMethods] = {"parse_service_config (fast path)", "yaml-cpp alone",
                                      "libyaml events only"};

// One pass over every file; returns a checksum so that nothing is optimised away.
std::size_t pass(Method m, const std::vector<File>& files) {
  std::size_t sum = 0;
  for (const auto& f : files) {
    switch (m) {
      case kFast: {
        auto c = ripple::graph::parse_service_config(f.text, f.path);
        sum += c ? c->deps.size() + 1 : 0;
        break;
      }
      case kYamlCpp: {
        auto c = ripple::graph::parse_service_config_with_yaml_cpp(f.text, f.path);
        sum += c ? c->deps.size() + 1 : 0;
        break;
      }
      default:
        sum += static_cast<std::size_t>(libyaml_events(f.text));
    }
  }
  return sum;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: parse_bench ROOT [ROUNDS]\n");
    return 2;
  }
  fs::path root = argv[1];
  int rounds = argc > 2 ? std::atoi(argv[2]) : 20;

  std::vector<File> files;
  std::size_t bytes = 0;
  for (const auto& dir : fs::directory_iterator(root / "packages")) {
    fs::path p = dir.path() / "service.yaml";
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    files.push_back({fs::relative(p, root).string(), text.str()});
    bytes += files.back().text.size();
  }
  std::sort(files.begin(), files.end(),
            [](const File& a, const File& b) { return a.path < b.path; });
  if (files.empty()) {
    std::fprintf(stderr, "parse_bench: no packages/*/service.yaml under %s\n", argv[1]);
    return 2;
  }

  std::size_t fast_answers = 0;
  for (const auto& f : files) {
    auto fast = ripple::graph::parse_service_config(f.text, f.path);
    auto slow = ripple::graph::parse_service_config_with_yaml_cpp(f.text, f.path);
    if (!fast || !slow ||
        ripple::graph::encode_service_config(*fast) !=
            ripple::graph::encode_service_config(*slow)) {
      std::fprintf(stderr, "parse_bench: %s: the fast path and yaml-cpp disagree or fail\n",
                   f.path.c_str());
      return 1;
    }
    if (libyaml_events(f.text) < 0) {
      std::fprintf(stderr, "parse_bench: %s: libyaml rejects it\n", f.path.c_str());
      return 1;
    }
    fast_answers += ripple::graph::parse_service_config_fast(f.text, f.path).has_value();
  }
  std::printf("%zu service.yaml files, %zu bytes; the fast path answered %zu of them itself\n",
              files.size(), bytes, fast_answers);

  std::vector<double> ms[kMethods];
  std::size_t sums[kMethods] = {};
  for (int r = 0; r < rounds; ++r) {
    for (int k = 0; k < kMethods; ++k) {
      auto m = static_cast<Method>((r + k) % kMethods);
      auto t0 = Clock::now();
      sums[m] += pass(m, files);
      ms[m].push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
  }
  double means[kMethods] = {};
  for (int m = 0; m < kMethods; ++m) {
    auto& v = ms[m];
    double mean = 0;
    for (double x : v) {
      mean += x;
    }
    mean /= static_cast<double>(v.size());
    double var = 0;
    for (double x : v) {
      var += (x - mean) * (x - mean);
    }
    double sd = v.size() > 1 ? std::sqrt(var / static_cast<double>(v.size() - 1)) : 0;
    std::sort(v.begin(), v.end());
    means[m] = mean;
    std::printf("  %-34s %8.2f ± %6.2f ms per pass (median %8.2f, min %8.2f), %6.2f us/file\n",
                kNames[m], mean, sd, v[v.size() / 2], v.front(),
                mean * 1000 / static_cast<double>(files.size()));
  }
  std::printf(
      "  ratios to the fast path: yaml-cpp %.2fx, libyaml events %.2fx (checksums %zu %zu %zu)\n",
      means[kYamlCpp] / means[kFast], means[kLibyaml] / means[kFast], sums[0], sums[1], sums[2]);
  return 0;
}
