// The system-call floor of a work-tree status check, for bench_hash.sh: how long the kernel
// alone takes to lstat every tracked file, and to list every directory, on N threads. No
// hashing, no index, no bookkeeping: what any tool that answers "what is uncommitted?" without
// a file-system monitor must at least pay on this machine.
//
//   git ls-files -z | syscall_floor stat THREADS       # paths relative to the current directory
//   find . -type d -print0 | syscall_floor list THREADS
//
// Prints one line: what, how many, threads, wall milliseconds.

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {

void stat_all(const std::vector<std::string>& paths, std::size_t begin, std::size_t end) {
  struct stat st {};
  for (std::size_t i = begin; i < end; ++i) {
    fstatat(AT_FDCWD, paths[i].c_str(), &st, AT_SYMLINK_NOFOLLOW);
  }
}

void list_all(const std::vector<std::string>& dirs, std::size_t begin, std::size_t end) {
  std::vector<char> buffer(32768);
  for (std::size_t i = begin; i < end; ++i) {
    int fd = open(dirs[i].c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      continue;
    }
    while (syscall(SYS_getdents64, fd, buffer.data(), buffer.size()) > 0) {
    }
    close(fd);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string what = argc > 1 ? argv[1] : "";
  if (argc != 3 || (what != "stat" && what != "list")) {
    std::cerr << "usage: syscall_floor stat|list THREADS < NUL-separated paths\n";
    return 2;
  }
  unsigned threads = static_cast<unsigned>(std::max(1, std::stoi(argv[2])));
  std::vector<std::string> paths;
  for (std::string path; std::getline(std::cin, path, '\0');) {
    paths.push_back(std::move(path));
  }
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    std::size_t begin = paths.size() * t / threads;
    std::size_t end = paths.size() * (t + 1) / threads;
    pool.emplace_back(what == "stat" ? stat_all : list_all, std::cref(paths), begin, end);
  }
  for (auto& thread : pool) {
    thread.join();
  }
  std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  std::printf("%s %zu paths, %u thread(s): %.1f ms\n", what.c_str(), paths.size(), threads,
              took.count());
}
