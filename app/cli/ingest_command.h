#pragma once

#include "app/cli/cli_commands.h"

namespace linea::cli {

// linea-cli ingest --model M --input FILE --state OUT [--checkpoint-every N] [--resume] [--chunk N] [--threads T]
// Reads a document of any length into the model and saves the state to OUT. Progress lines go to
// stdout (at most one a second), then a final line with tokens, seconds, tokens/s and peak RSS.
// Checkpoints are written to OUT every N tokens; --resume continues from OUT. Ctrl-C stops at the
// next chunk and saves the state reached, so a later --resume continues from there.
int run_ingest(CommandContext& context);

}  // namespace linea::cli
