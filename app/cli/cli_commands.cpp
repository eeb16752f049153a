#include "app/cli/cli_commands.h"

#include "app/cli/argument_parser.h"
#include "app/cli/bench_command.h"
#include "app/cli/chat_command.h"
#include "app/cli/evaluate_command.h"
#include "app/cli/generate_command.h"
#include "app/cli/ingest_command.h"
#include "app/cli/inspect_command.h"
#include "app/cli/logits_command.h"
#include "app/cli/ocr_command.h"
#include "app/cli/quantize_command.h"
#include "app/cli/speak_command.h"
#include "app/cli/tokenize_command.h"
#include "app/cli/version_command.h"

#include <exception>
#include <ostream>
#include <sstream>

namespace linea::cli {

const std::vector<Command>& commands() {
  // Subcommands arrive with the features that implement them (inspect, tokenize, generate, ...).
  static const std::vector<Command> table = {
      {"inspect", "show and validate a model file or folder (GGUF, safetensors, Hugging Face)", run_inspect},
      {"generate", "continue a prompt and stream the text", run_generate},
      {"chat", "chat with a model over stdin, in its chat format", run_chat},
      {"tokenize", "print the token ids of a text (or the text of ids) with a model's tokenizer", run_tokenize},
      {"logits", "print a model's logits for tokens or a prompt as JSON", run_logits},
      {"ingest", "read a document of any length into a state file (checkpointed, resumable)", run_ingest},
      {"quantize", "write a GGUF copy of a model with its matrices quantized (q8_0, q4_0, q4_k, q6_k)", run_quantize},
      {"evaluate", "measure a model on a task file: bits per byte, reading long documents, describing pictures",
       run_evaluate},
      {"bench", "measure prefill and decode speed and peak memory (a model or random weights)", run_bench},
      {"ocr", "print the text of an image or a PDF (scanned pages are read with Tesseract)", run_ocr},
      {"speak", "read text aloud, or write it to a WAV, Opus or MP3 file", run_speak},
  };
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
