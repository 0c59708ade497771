#include "orchestrator/file_table.h"

namespace ripple {

std::vector<FileRecord> FileTable::records() const {
  std::vector<FileRecord> out;
  out.reserve(files_.size());
  for (const InputFile& f : files_) {
    // The views are normal spellings (file_record.h), so this cannot fail.
    if (auto path = RepoPath::parse(f.path)) {
      out.push_back(FileRecord{std::move(*path), f.mode, std::string(f.id), f.source});
    }
  }
  return out;
}

}  // namespace ripple
