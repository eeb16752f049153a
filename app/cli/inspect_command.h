// `linea-cli inspect FILE_OR_DIR [--tensors] [--json]`: what a model file or folder holds (format,
// architecture, parameter count, dtypes, metadata, tokenizer) and whether it is valid. An invalid
// file exits with status 1 and the reader's precise reason on stderr.
#pragma once

#include "app/cli/cli_commands.h"

namespace linea::cli {

int run_inspect(CommandContext& context);

}  // namespace linea::cli
