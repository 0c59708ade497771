#pragma once

// One input file as the hashing pass sees it: owned (FileRecord) or viewed (InputFile).

#include <cstdint>
#include <string>
#include <string_view>

#include "graph/support/repo_path.h"

namespace ripple {

enum class FileSource {
  index,       // a clean tracked file: id taken from the git index, file not read
  stat_cache,  // id remembered by the stat cache for unchanged stat data, file not read
  read,        // the file was read and hashed in this run
};

const char* file_source_name(FileSource source);  // "index", "stat-cache", "read"

struct FileRecord {
  RepoPath path;           // workspace-relative
  std::uint32_t mode = 0;  // git's modes: 0100644, 0100755, 0120000
  std::string id;          // git blob id (hex) in a git workspace, xxh3-128 (hex) outside git
  FileSource source = FileSource::read;
};

// A file as the digest sees it, owning nothing: for listings that keep paths and ids elsewhere
// (a mapped git index, file_table.h), where a FileRecord per file costs more than the digest.
struct InputFile {
  std::string_view path;  // workspace-relative, in RepoPath's normal spelling (is_normal)
  std::string_view id;
  std::uint32_t mode = 0;
  FileSource source = FileSource::index;  // packed beside `mode`: 110,000 of these on a large index
};

}  // namespace ripple
