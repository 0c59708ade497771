#include "orchestrator/inputs/file_table.h"

namespace ripple {

FileTable FileTable::of(std::vector<FileRecord> records) {
  auto owned = std::make_shared<const std::vector<FileRecord>>(std::move(records));
  std::vector<InputFile> views;
  views.reserve(owned->size());
  for (const FileRecord& f : *owned) {
    views.push_back(InputFile{f.path.str(), f.id, f.mode, f.source});
  }
  return FileTable(std::move(views), std::move(owned));
}

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
