#pragma once

#include "app/cli/cli_commands.h"

#include <iosfwd>

namespace linea::cli {

// linea-cli chat --model M [--state FILE] [--system TEXT] [-n N] [sampling options] [--threads T]
// Reads one user message per line from stdin and streams each reply, in the model family's chat
// format. "/reset" starts over, "/quit" (or end of input) leaves. With --state the conversation is
// loaded from FILE when it exists and saved there after every reply.
int run_chat(CommandContext& context);
// The same, reading from `in` (tests).
int run_chat(CommandContext& context, std::istream& in);

}  // namespace linea::cli
