#include "orchestrator/git/shallow_merge_base.h"

#include <cstdint>
#include <fstream>
#include <map>
#include <queue>
#include <set>
#include <string>
#include <vector>

namespace ripple::git {
namespace {

constexpr std::uint8_t kFromA = 1;
constexpr std::uint8_t kFromB = 2;
constexpr std::uint8_t kStale = 4;  // below a common ancestor already found: not a best one

struct OidLess {
  bool operator()(const git_oid& x, const git_oid& y) const { return git_oid_cmp(&x, &y) < 0; }
};

struct Node {
  git_time_t time = 0;
  std::vector<git_oid> parents;
  std::uint8_t flags = 0;
  std::size_t queued_live = 0;  // entries of it in the queue while it was not stale
  bool found = false;
};

// The boundary commits of the clone, one hex id per line of <commondir>/shallow.
std::set<git_oid, OidLess> boundary(git_repository* repo) {
  std::set<git_oid, OidLess> out;
  std::ifstream in(std::string(git_repository_commondir(repo)) + "shallow");
  std::string line;
  git_oid id;
  while (std::getline(in, line)) {
    if (git_oid_fromstrn(&id, line.data(), line.size()) == 0) {
      out.insert(id);
    }
  }
  return out;
}

}  // namespace

Result<std::optional<git_oid>> shallow_merge_base(git_repository* repo, const git_oid& a,
                                                  const git_oid& b) {
  if (git_oid_equal(&a, &b)) {
    return a;
  }
  const std::set<git_oid, OidLess> cut = boundary(repo);
  std::map<git_oid, Node, OidLess> nodes;
  auto load = [&](const git_oid& id) -> Result<Node*> {
    auto [it, inserted] = nodes.try_emplace(id);
    if (!inserted) {
      return &it->second;
    }
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo, &id) != 0) {
      return environment_error("cannot read commit " + hex(id) + ": " + last_error());
    }
    CommitPtr commit(raw);
    it->second.time = git_commit_time(commit.get());
    if (cut.count(id) == 0) {
      for (unsigned i = 0; i < git_commit_parentcount(commit.get()); ++i) {
        it->second.parents.push_back(*git_commit_parent_id(commit.get(), i));
      }
    }
    return &it->second;
  };

  // Newest first, as git's walk, and among equal times first queued first: a commit is mostly
  // looked at after the commits above it, so a common ancestor is found before the ones below it
  // (which are then stale). Commit times can lie (equal, skewed), hence the check at the end.
  struct Entry {
    git_time_t time;
    std::size_t seq;
    git_oid id;
  };
  auto later = [](const Entry& x, const Entry& y) {
    return x.time != y.time ? x.time < y.time : x.seq > y.seq;
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(later)> queue(later);
  std::size_t seq = 0;
  // Queued entries whose commit is not stale, in all and per commit: the walk ends when none is
  // left, since everything still queued then lies below a common ancestor already found.
  std::size_t live = 0;
  auto enqueue = [&](const git_oid& id, Node& node, std::uint8_t flags) {
    if ((flags & kStale) != 0 && (node.flags & kStale) == 0) {
      live -= node.queued_live;
      node.queued_live = 0;
    }
    node.flags |= flags;
    queue.push({node.time, seq++, id});
    if ((node.flags & kStale) == 0) {
      ++live;
      ++node.queued_live;
    }
  };
  for (auto [id, flag] : {std::pair{a, kFromA}, std::pair{b, kFromB}}) {
    auto node = load(id);
    if (!node) {
      return tl::unexpected(node.error());
    }
    enqueue(id, **node, flag);
  }
  std::vector<git_oid> found;
  while (live > 0) {
    const git_oid id = queue.top().id;
    queue.pop();
    Node& node = nodes.at(id);  // std::map: stays valid while parents are loaded
    std::uint8_t flags = node.flags & (kFromA | kFromB | kStale);
    if ((flags & kStale) == 0) {
      --live;
      --node.queued_live;
    }
    if (flags == (kFromA | kFromB)) {
      if (!node.found) {
        node.found = true;
        found.push_back(id);
      }
      flags |= kStale;  // its parents: below a common ancestor
    }
    for (const git_oid& p : node.parents) {
      auto parent = load(p);
      if (!parent) {
        return tl::unexpected(parent.error());
      }
      if (((*parent)->flags & flags) != flags) {
        enqueue(p, **parent, flags);
      }
    }
  }
  std::vector<git_oid> best;
  for (const git_oid& id : found) {
    if ((nodes.at(id).flags & kStale) == 0) {
      best.push_back(id);
    }
  }
  // With lying commit times a candidate may still lie below another: drop those (git's
  // remove_redundant). Rare, and then a walk per candidate down to the boundary.
  if (best.size() > 1) {
    std::set<git_oid, OidLess> below;
    for (const git_oid& top : best) {
      std::vector<git_oid> todo = nodes.at(top).parents;
      std::set<git_oid, OidLess> seen;
      while (!todo.empty()) {
        git_oid id = todo.back();
        todo.pop_back();
        if (!seen.insert(id).second) {
          continue;
        }
        below.insert(id);
        auto node = load(id);
        if (!node) {
          return tl::unexpected(node.error());
        }
        todo.insert(todo.end(), (*node)->parents.begin(), (*node)->parents.end());
      }
    }
    std::erase_if(best, [&](const git_oid& id) { return below.count(id) > 0; });
  }
  if (best.empty()) {
    return std::nullopt;
  }
  // Several left (criss-cross merges): the newest, as libgit2 answers with the first of git's
  // date-ordered list; among equal dates the smallest id, so that the answer does not depend on
  // the order of the two commits.
  git_oid answer = best.front();
  for (const git_oid& id : best) {
    const git_time_t t = nodes.at(id).time;
    const git_time_t u = nodes.at(answer).time;
    if (t > u || (t == u && git_oid_cmp(&id, &answer) < 0)) {
      answer = id;
    }
  }
  return answer;
}

}  // namespace ripple::git
