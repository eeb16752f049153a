#include "app/cli/cli_commands.h"

#include "app/cli/argument_parser.h"
#include "app/cli/version_command.h"

#include <exception>
#include <ostream>
#include <sstream>

namespace linea::cli {

const std::vector<Command>& commands() {
  // Subcommands arrive with the features that implement them (inspect, tokenize, generate, ...).
  static const std::vector<Command> table = {};
  return table;
}

std::string top_level_help() {
  std::ostringstream out;
  out << "usage: linea-cli [--help | --version] <command> [arguments]\n\n"
         "Linea's command line: run local linear-attention language models.\n\n"
         "  -h, --help      show this help\n"
         "  -V, --version   show the version, the compute backend and the linked libraries\n";
  if (commands().empty()) {
    out << "\nNo subcommands are available in this build yet.\n";
  } else {
    out << "\ncommands:\n";
    for (const Command& command : commands()) out << "  " << command.name << "\n      " << command.summary << '\n';
    out << "\nlinea-cli <command> --help shows a command's options.\n";
  }
  return out.str();
}

int run_cli(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err) {
  if (arguments.empty()) {
    err << top_level_help();
    return 2;
  }
  const std::string& first = arguments.front();
  if (first == "-h" || first == "--help" || first == "help") {
    out << top_level_help();
    return 0;
  }
  if (first == "-V" || first == "--version") {
    print_version(out);
    return 0;
  }
  for (const Command& command : commands()) {
    if (first != command.name) continue;
    CommandContext context{{arguments.begin() + 1, arguments.end()}, out, err};
    try {
      return command.run(context);
    } catch (const UsageError& error) {
      err << "linea-cli " << command.name << ": " << error.what() << '\n';
      return 2;
    } catch (const std::exception& error) {
      err << "linea-cli " << command.name << ": error: " << error.what() << '\n';
      return 1;
    }
  }
  err << "linea-cli: unknown command '" << first << "' (see linea-cli --help)\n";
  return 2;
}

}  // namespace linea::cli
