#pragma once

#include "app/cli/cli_commands.h"

namespace linea::cli {

// linea-cli tokenize (--model M | --tokenizer FILE) [--allow-special] TEXT
// linea-cli tokenize (--model M | --tokenizer FILE) --decode 1,2,3
// Prints the ids of TEXT as a JSON array, or the text of the ids followed by a newline.
int run_tokenize(CommandContext& context);

}  // namespace linea::cli
