# Finds every third-party dependency from Debian 12 packages. A missing one stops the configure
# step with the name of the Debian package to install (scripts/setup.sh installs them all).

include(FindPkgConfig)

macro(ripple_require found package)
  if(NOT ${found})
    message(FATAL_ERROR
      "ripple: missing dependency; install the Debian package '${package}' "
      "(or run scripts/setup.sh, which installs every dependency)")
  endif()
endmacro()

find_package(PkgConfig QUIET)
ripple_require(PkgConfig_FOUND pkg-config)

find_package(yaml-cpp QUIET)
ripple_require(yaml-cpp_FOUND libyaml-cpp-dev)

pkg_check_modules(LIBGIT2 QUIET IMPORTED_TARGET libgit2)
ripple_require(LIBGIT2_FOUND libgit2-dev)

# oneTBB first, in config mode: RocksDB's config brings a FindTBB of its own that defines
# a different target name.
find_package(TBB CONFIG QUIET)
ripple_require(TBB_FOUND libtbb-dev)

find_package(RocksDB QUIET)
ripple_require(RocksDB_FOUND librocksdb-dev)

# RocksDB and protobuf are linked statically (their archives ship in the same -dev packages):
# resolving their ~30,000 dynamic relocations cost every ripple command about 10 ms of start-up,
# a tenth of a warm `ripple affected`. (libcrypto stays shared: libgit2's libssh2 loads it
# anyway.) -DRIPPLE_STATIC_DEPS=OFF links them shared.
option(RIPPLE_STATIC_DEPS "Link RocksDB and protobuf statically" ON)
if(RIPPLE_STATIC_DEPS)
  set(RIPPLE_ROCKSDB RocksDB::rocksdb)
  set(Protobuf_USE_STATIC_LIBS ON)
else()
  set(RIPPLE_ROCKSDB RocksDB::rocksdb-shared)
endif()

pkg_check_modules(XXHASH QUIET IMPORTED_TARGET libxxhash)
ripple_require(XXHASH_FOUND libxxhash-dev)

find_package(Boost 1.74 QUIET COMPONENTS filesystem)
ripple_require(Boost_FOUND libboost-filesystem-dev)

find_package(CLI11 QUIET)
ripple_require(CLI11_FOUND libcli11-dev)

find_package(nlohmann_json 3 QUIET)
ripple_require(nlohmann_json_FOUND nlohmann-json3-dev)

find_package(tl-expected QUIET)
ripple_require(tl-expected_FOUND libexpected-dev)

find_package(OpenSSL QUIET COMPONENTS Crypto)
ripple_require(OpenSSL_FOUND libssl-dev)

find_package(CURL QUIET)
ripple_require(CURL_FOUND libcurl4-openssl-dev)

find_package(Protobuf QUIET)
ripple_require(Protobuf_FOUND "libprotobuf-dev protobuf-compiler")

pkg_check_modules(ZSTD QUIET IMPORTED_TARGET libzstd)
ripple_require(ZSTD_FOUND libzstd-dev)

# TOML (Cargo.toml, pyproject.toml, Cargo.lock, uv.lock) for the cargo and python rules. Debian's
# package ships the compiled library (libtomlplusplus.so.3) and a CMake config defining
# tomlplusplus::tomlplusplus with -DTOML_HEADER_ONLY=0, so the parser is not compiled again into
# every file that includes it.
find_package(tomlplusplus 3 QUIET)
ripple_require(tomlplusplus_FOUND libtomlplusplus-dev)

if(RIPPLE_BUILD_TESTS)
  find_package(Catch2 2 QUIET)
  ripple_require(Catch2_FOUND catch2)
  include(Catch)
endif()
