#include "orchestrator/inputs/file_record.h"

namespace ripple {

const char* file_source_name(FileSource source) {
  switch (source) {
    case FileSource::index:
      return "index";
    case FileSource::stat_cache:
      return "stat-cache";
    case FileSource::read:
      return "read";
  }
  return "read";
}

}  // namespace ripple
