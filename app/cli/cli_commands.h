// The table of linea-cli subcommands and the dispatcher over it. A new subcommand is one entry here
// plus its own file.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace linea::cli {

struct CommandContext {
  std::vector<std::string> arguments;  // after the subcommand name
  std::ostream& out;
  std::ostream& err;
};

struct Command {
  const char* name;
  const char* summary;
  int (*run)(CommandContext& context);  // returns the process exit status
};

const std::vector<Command>& commands();

// The whole program: argv without argv[0]. Exit status 0 success, 1 failure, 2 usage error.
int run_cli(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err);

std::string top_level_help();

}  // namespace linea::cli
