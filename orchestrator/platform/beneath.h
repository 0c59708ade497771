#pragma once

// Writing a file under a directory without ever following a symbolic link: how restores put
// cached outputs into a work tree where a pull request may have planted links.
//
// write_file_beneath(base, rel, bytes, mode):
// - opens `base`, which must be a directory (a link to one is followed: it is the caller's own
//   path, not something found in the tree), then each directory of `rel` with
//   openat(O_NOFOLLOW | O_DIRECTORY): a component that is a symlink or not a directory is an
//   error; a missing one is created (mkdirat, 0777 less the umask);
// - writes the bytes to a fresh temporary in the last directory: a random 16-byte name created
//   with O_CREAT | O_EXCL | O_NOFOLLOW, so nothing already there is ever opened, and short
//   enough beside any name NAME_MAX allows; created with `mode` less the process's umask, as any
//   new file is;
// - renames it over the last component (renameat: a symlink there is replaced, never followed;
//   a directory there is an error).
// Every byte is written or it is an error (a full disk, a quota, an I/O error, or the source
// failing): the temporary is removed then and whatever was at `rel` is unchanged.
//
// With `replace` = Replace::in_place (for ripple's own logs, where a reader seeing a file half
// written does not matter), the last component is opened with O_CREAT | O_TRUNC | O_NOFOLLOW
// instead: a link there is refused (an error), never followed; no temporary, no rename.
//
// `rel` must be a normal relative path ('/'-separated, no "", "." or ".." component).

#include <functional>
#include <string>
#include <string_view>

#include "graph/support/error.h"

namespace ripple {

enum class Replace { atomically, in_place };

Status write_file_beneath(const std::string& base, std::string_view rel, std::string_view bytes,
                          unsigned mode, Replace replace = Replace::atomically);

// The bytes of a file handed out in pieces: the next ones (valid until the next call), an empty
// view at the end, or an error in place of the end.
using ByteSource = std::function<Result<std::string_view>()>;

// The same, with the bytes streamed from `source` as they come (a cached output read in chunks,
// never whole in memory): with Replace::atomically, the file is put in place only once the
// source has ended without error; in place, a source's error leaves what was written so far.
Status write_file_beneath(const std::string& base, std::string_view rel, const ByteSource& source,
                          unsigned mode, Replace replace = Replace::atomically);

// Creates a symbolic link at `rel` under `base` pointing to `target` (written as given, never
// checked or followed), its directories opened and created as write_file_beneath's are. Anything
// already at `rel` is an error (symlinkat's EEXIST): links are made only in fresh trees.
Status symlink_beneath(const std::string& base, std::string_view rel, const std::string& target);

// Writes all of `bytes` to `fd`, retrying short writes and EINTR; an environment error naming
// `what` and the system's reason otherwise.
Status write_all(int fd, std::string_view bytes, const std::string& what);

}  // namespace ripple
