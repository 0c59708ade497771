#pragma once

// A listing of files as InputFile views over memory the table keeps alive: what a listing of
// 100,000 files hands over when the caller only needs digests, without a FileRecord (two heap
// strings) per file.

#include <memory>
#include <span>
#include <vector>

#include "orchestrator/inputs/file_record.h"

namespace ripple {

class FileTable {
 public:
  FileTable() = default;
  // `files` point into memory that `owner` keeps alive (a mapped index, a buffer of ids).
  FileTable(std::vector<InputFile> files, std::shared_ptr<const void> owner)
      : files_(std::move(files)), owner_(std::move(owner)) {}

  // In the order the listing gave them (for the listings of vcs.h: sorted by path).
  std::span<const InputFile> files() const { return files_; }

  // A table over owned records: its views point into them, kept alive by the table.
  static FileTable of(std::vector<FileRecord> records);

  // One owned record per file, in the same order.
  std::vector<FileRecord> records() const;

 private:
  std::vector<InputFile> files_;
  std::shared_ptr<const void> owner_;
};

}  // namespace ripple
