// The ripple binary: parses arguments with CLI11 and hands each command to its own file.

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "orchestrator/commands/graph_command.h"
#include "orchestrator/context.h"
#include "orchestrator/platform/real_filesystem.h"
#include "orchestrator/version.h"

int main(int argc, char** argv) {
  using namespace ripple;
  try {
    CLI::App app{"ripple: change-aware build orchestrator for monorepos", "ripple"};
    app.set_version_flag("--version", std::string("ripple ") + kVersion);
    app.require_subcommand(1);
    std::string dir;
    app.add_option("-C", dir, "Run as if ripple was started in DIR")->type_name("DIR");

    GraphOptions graph_options;
    CLI::App* graph = app.add_subcommand("graph", "Print the service dependency graph");
    graph->add_option("--format", graph_options.format, "Output format")
        ->check(CLI::IsMember({"text", "json", "dot"}))
        ->capture_default_str();

    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      int code = app.exit(e);
      return code == 0 ? 0 : 2;
    }

    RealFilesystem fs;
    StreamReporter reporter(std::cerr);
    CommandContext ctx{fs, reporter, std::cout, absolute_path(dir.empty() ? "." : dir)};
    if (!dir.empty() && fs.kind(ctx.start_dir) != FileKind::directory) {
      reporter.error("-C " + dir + ": no such directory");
      return 2;
    }
    if (graph->parsed()) {
      return run_graph_command(ctx, graph_options);
    }
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "ripple: internal error: " << e.what() << "\n";
    return 3;
  }
}
