#pragma once

// The per-run input index (DESIGN.md §4): which files are inputs of which service, and each
// service's input digest.
//
// A file is an input of the services InputMatcher names (its innermost owning service when
// that service's `inputs` include it, plus services whose `inputs` reach it from outside),
// unless it matches `ignore` or is a task output of its owner (what a task writes is never what a
// key stands on). Files matching `global_inputs` form the global digest, which is folded
// into every service's digest.
//
// Service digest = xxh3-128 over: the format version; then, sorted, for each input file its
// path (relative to the service directory, or workspace-relative under another tag for files
// outside it), its mode and its id, each field tagged and length-prefixed; then the global
// digest. No absolute path, time or machine-specific value enters it.

#include <span>
#include <string>
#include <vector>

#include "cache/digest.h"
#include "graph/workspace.h"
#include "orchestrator/inputs/file_record.h"
#include "orchestrator/inputs/file_table.h"

namespace ripple {

inline constexpr const char* kInputDigestVersion = "ripple-inputs-v1";

struct ServiceInputs {
  std::vector<std::size_t> files;  // InputIndex::file() indexes, sorted by path
  cache::Digest128 digest;
};

struct InputIndex {
  // Every file of the workspace, sorted by path; empty when the index was built over views it
  // does not keep (the span overload below).
  FileTable table;
  std::vector<ServiceInputs> services;    // by ServiceId
  std::vector<std::size_t> global_files;  // file() indexes
  cache::Digest128 global_digest;

  // File `i` of the lists above; valid while the index lives.
  const InputFile& file(std::size_t i) const { return table.files()[i]; }
};

// Over a listing sorted by path (as RepoPath orders them), which the index keeps.
InputIndex build_input_index(const graph::Workspace& ws, FileTable files);
InputIndex build_input_index(const graph::Workspace& ws, std::vector<FileRecord> files);

// The digest of a service's inputs (the header's format) over `chosen`, indexes into `files` in
// path order, for a service (or task) whose directory is `dir`.
cache::Digest128 inputs_digest(std::string_view dir, std::span<const InputFile> files,
                               const std::vector<std::size_t>& chosen,
                               const std::string& global_hex);

// The same lists and digests over views the index does not keep (its `table` stays empty): the
// views need to live only for the call, and the lists index them.
InputIndex build_input_index(const graph::Workspace& ws, std::span<const InputFile> files);

}  // namespace ripple
