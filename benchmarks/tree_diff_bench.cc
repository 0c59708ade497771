// Issue 13 §5: ripple's own tree-to-tree diff (orchestrator/git/tree_diff.cc) against libgit2's
// git_diff_tree_to_tree, in one process, on the same two commits.
//
//   tree_diff_bench REPO BASE HEAD [ITERATIONS]    # BASE may be "empty" (the empty tree)
//
// Each iteration runs both methods, alternating which goes first, and each method opens its own
// repository handle (so neither finds trees the other already read in libgit2's object cache;
// the OS page cache is warm for both). libgit2 is asked for what ripple computes: every blob
// path that differs, renames not paired (no git_diff_find_similar), no pathspec, no type-change
// pairing (a file that became a directory is a deletion plus additions), and no content read
// (GIT_DIFF_SKIP_BINARY_CHECK). Both answers become the same map (path → added / deleted /
// modified); the program exits 1 when they differ in any iteration.
//
// Prints, per method, the diff alone and the whole iteration (open, resolve, diff): mean ± sd
// and median in milliseconds, and the ratio of the means.

#include <git2.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "orchestrator/git/tree_diff.h"

namespace {

using ripple::git::ChangeMap;
using ripple::graph::ChangeKind;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

[[noreturn]] void die(const std::string& what) {
  const git_error* e = git_error_last();
  std::fprintf(stderr, "tree_diff_bench: %s: %s\n", what.c_str(), e != nullptr ? e->message : "");
  std::exit(2);
}

struct Handles {
  git_repository* repo = nullptr;
  git_tree* before = nullptr;  // null for "empty"
  git_tree* after = nullptr;
  ~Handles() {
    git_tree_free(before);
    git_tree_free(after);
    git_repository_free(repo);
  }
};

git_tree* tree_of(git_repository* repo, const std::string& spec) {
  if (spec == "empty") {
    return nullptr;
  }
  git_object* obj = nullptr;
  if (git_revparse_single(&obj, repo, (spec + "^{tree}").c_str()) != 0) {
    die("cannot resolve " + spec);
  }
  return reinterpret_cast<git_tree*>(obj);
}

void open(Handles& h, const char* path, const std::string& base, const std::string& head) {
  if (git_repository_open(&h.repo, path) != 0) {
    die(std::string("cannot open ") + path);
  }
  h.before = tree_of(h.repo, base);
  h.after = tree_of(h.repo, head);
}

void diff_own(const Handles& h, ChangeMap& out) {
  if (auto st = ripple::git::diff_trees(h.repo, h.before, h.after, "", out); !st) {
    std::fprintf(stderr, "tree_diff_bench: %s\n", st.error().message.c_str());
    std::exit(2);
  }
}

void diff_libgit2(const Handles& h, ChangeMap& out) {
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
  git_diff* diff = nullptr;
  if (git_diff_tree_to_tree(&diff, h.repo, h.before, h.after, &opts) != 0) {
    die("git_diff_tree_to_tree");
  }
  for (std::size_t i = 0, n = git_diff_num_deltas(diff); i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    switch (d->status) {
      case GIT_DELTA_ADDED:
        out[d->new_file.path] = ChangeKind::added;
        break;
      case GIT_DELTA_DELETED:
        out[d->old_file.path] = ChangeKind::deleted;
        break;
      case GIT_DELTA_MODIFIED:
        out[d->new_file.path] = ChangeKind::modified;
        break;
      default:
        std::fprintf(stderr, "tree_diff_bench: unexpected delta status %d for %s\n", d->status,
                     d->new_file.path);
        std::exit(1);
    }
  }
  git_diff_free(diff);
}

struct Samples {
  std::vector<double> diff_ms;
  std::vector<double> total_ms;
};

// One method, one iteration: a fresh handle, the diff, the answer.
ChangeMap run(bool own, const char* repo, const std::string& base, const std::string& head,
              Samples& s) {
  auto t0 = Clock::now();
  ChangeMap out;
  {
    Handles h;
    open(h, repo, base, head);
    auto t1 = Clock::now();
    own ? diff_own(h, out) : diff_libgit2(h, out);
    s.diff_ms.push_back(ms_since(t1));
  }
  s.total_ms.push_back(ms_since(t0));
  return out;
}

void report(const char* name, std::vector<double> v, double* mean_out) {
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
  std::printf("  %-28s %9.3f ± %7.3f ms  median %9.3f  min %9.3f\n", name, mean, sd,
              v[v.size() / 2], v.front());
  *mean_out = mean;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: tree_diff_bench REPO BASE|empty HEAD [ITERATIONS]\n");
    return 2;
  }
  const char* repo = argv[1];
  std::string base = argv[2];
  std::string head = argv[3];
  int iterations = argc > 4 ? std::atoi(argv[4]) : 50;
  git_libgit2_init();

  Samples own;
  Samples lib;
  std::size_t paths = 0;
  for (int i = 0; i < iterations; ++i) {
    bool own_first = i % 2 == 0;
    ChangeMap a = run(own_first, repo, base, head, own_first ? own : lib);
    ChangeMap b = run(!own_first, repo, base, head, own_first ? lib : own);
    if (a != b) {
      const ChangeMap& o = own_first ? a : b;
      const ChangeMap& l = own_first ? b : a;
      std::fprintf(stderr, "tree_diff_bench: answers differ (own %zu paths, libgit2 %zu)\n",
                   o.size(), l.size());
      for (const auto& [p, k] : o) {
        auto it = l.find(p);
        if (it == l.end() || it->second != k) {
          std::fprintf(stderr, "  own only or different: %s\n", p.c_str());
        }
      }
      for (const auto& [p, k] : l) {
        if (o.find(p) == o.end()) {
          std::fprintf(stderr, "  libgit2 only: %s\n", p.c_str());
        }
      }
      return 1;
    }
    paths = a.size();
  }
  std::printf("%s %s..%s: %zu changed paths, same answer in all %d iterations\n", repo,
              base.c_str(), head.c_str(), paths, iterations);
  double own_diff = 0;
  double lib_diff = 0;
  double own_total = 0;
  double lib_total = 0;
  report("own diff_trees: diff", own.diff_ms, &own_diff);
  report("git_diff_tree_to_tree: diff", lib.diff_ms, &lib_diff);
  report("own: open + diff", own.total_ms, &own_total);
  report("libgit2: open + diff", lib.total_ms, &lib_total);
  std::printf("  libgit2 / own: diff %.2fx, open + diff %.2fx\n", lib_diff / own_diff,
              lib_total / own_total);
  git_libgit2_shutdown();
  return 0;
}
