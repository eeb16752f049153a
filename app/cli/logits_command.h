#pragma once

#include "app/cli/cli_commands.h"

namespace linea::cli {

// linea-cli logits --model M (--tokens 1,2,3 | --prompt TEXT) [--all-positions] [--state FILE] [--threads T]
// Prints {"n_vocab": V, "logits": [[...], ...]}: the last position's logits, or every position's.
// Floats are printed in their shortest form that reads back to the same float.
int run_logits(CommandContext& context);

}  // namespace linea::cli
