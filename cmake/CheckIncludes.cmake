cmake_minimum_required(VERSION 3.25)
# Fails when an #include goes against the module arrows of STYLE.md:
#
#   orchestrator/ ──► rules/ ──► graph/ ──► graph/support/
#         │                         ▲            ▲
#         ├─► orchestrator/git/ ──► orchestrator/inputs/ ──► orchestrator/platform/ ──► cache/
#         └────────────────────────────────────────────────────────────────────────────┘
#
# Inside orchestrator/, the folders git/, inputs/ and platform/ are modules of their own (their
# own CMake libraries): each may include only the ones to its right, never the top floor.
# Commands (orchestrator/commands/) never include each other.
#
# Usage: cmake -DROOT=<source tree> -P CheckIncludes.cmake
# Only quoted includes of our own folders are checked; <system> includes are the adapters' job.

if(NOT ROOT)
  message(FATAL_ERROR "pass -DROOT=<source tree>")
endif()

# module → the folders its files may include
set(allowed_graph/support "graph/support")
set(allowed_graph "graph;graph/support")
set(allowed_rules "rules;graph;graph/support")
set(allowed_cache "cache;graph/support")
set(allowed_orchestrator/platform "orchestrator/platform;cache;graph;graph/support")
set(allowed_orchestrator/inputs
    "orchestrator/inputs;orchestrator/platform;cache;graph;graph/support")
set(allowed_orchestrator/git
    "orchestrator/git;orchestrator/inputs;orchestrator/platform;cache;graph;graph/support")
set(allowed_orchestrator "orchestrator;orchestrator/git;orchestrator/inputs;orchestrator/platform;\
rules;cache;graph;graph/support")

function(module_of path out)
  # The longer prefix first: orchestrator/git/x.h belongs to orchestrator/git, not orchestrator.
  foreach(m graph/support graph rules cache orchestrator/platform orchestrator/inputs
            orchestrator/git orchestrator)
    string(LENGTH "${m}/" n)
    string(SUBSTRING "${path}" 0 ${n} prefix)
    if(prefix STREQUAL "${m}/")
      set(${out} "${m}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  set(${out} "" PARENT_SCOPE)
endfunction()

set(violations 0)
file(GLOB_RECURSE sources RELATIVE "${ROOT}"
  "${ROOT}/graph/*.h" "${ROOT}/graph/*.cc" "${ROOT}/rules/*.h" "${ROOT}/rules/*.cc"
  "${ROOT}/cache/*.h" "${ROOT}/cache/*.cc" "${ROOT}/orchestrator/*.h" "${ROOT}/orchestrator/*.cc")
foreach(source IN LISTS sources)
  module_of("${source}" from)
  file(STRINGS "${ROOT}/${source}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\".*" "\\1" target "${line}")
    module_of("${target}" to)
    if(to STREQUAL "")
      continue()  # generated headers and the like
    endif()
    # A command is its own file: one may include its own header, never another command.
    string(REGEX MATCH "^orchestrator/commands/" from_command "${source}")
    string(REGEX MATCH "^orchestrator/commands/" to_command "${target}")
    string(REGEX REPLACE "\\.(cc|h)$" "" source_stem "${source}")
    string(REGEX REPLACE "\\.h$" "" target_stem "${target}")
    if(from_command AND to_command AND NOT source_stem STREQUAL target_stem)
      message(SEND_ERROR "${source}: includes \"${target}\": a command may not include another "
                         "command; move what they share below orchestrator/commands/")
      math(EXPR violations "${violations} + 1")
      continue()
    endif()
    if(NOT to IN_LIST allowed_${from})
      message(SEND_ERROR "${source}: includes \"${target}\": ${from}/ may not include ${to}/ "
                         "(allowed: ${allowed_${from}})")
      math(EXPR violations "${violations} + 1")
    endif()
  endforeach()
endforeach()

list(LENGTH sources count)
if(violations GREATER 0)
  message(FATAL_ERROR "${violations} include(s) against the module arrows")
endif()
message(STATUS "checked ${count} files: every include follows the module arrows")
