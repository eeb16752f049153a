// The model a command runs: --model when given, else the bundled default model (so `linea-cli chat`
// works on a fresh install).
#pragma once

#include "app/cli/argument_parser.h"

#include <string>

namespace linea::cli {

// Throws UsageError naming the places looked in when neither is there.
std::string model_argument(const ArgumentParser& parser);

}  // namespace linea::cli
