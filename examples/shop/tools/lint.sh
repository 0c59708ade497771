#!/bin/sh
# Shared lint used by every service (tools/** is a global input: editing this
# file affects the whole workspace).
# Usage: sh ../../tools/lint.sh [dir]   -- fails on trailing whitespace or CRLF.
set -eu
dir=${1:-.}
status=0
for f in $(find "$dir" -type f ! -path '*/dist/*' ! -path '*/.ripple/*' | LC_ALL=C sort); do
    if grep -n '[[:space:]]$' "$f" >/dev/null 2>&1; then
        echo "lint: trailing whitespace or CRLF in $f" >&2
        status=1
    fi
done
[ "$status" -eq 0 ] && echo "lint: ok ($dir)"
exit "$status"
