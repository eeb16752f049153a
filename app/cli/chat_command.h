#pragma once

#include "app/cli/cli_commands.h"

#include <iosfwd>

namespace linea::cli {

// linea-cli chat --model M [--state FILE] [--system TEXT] [-n N] [sampling options] [--threads T]
//                [--speak [--voice V] [--rate R] [--device D] [--audio-buffer S]]
// Reads one user message per line from stdin and streams each reply, in the model family's chat
// format. "/reset" starts over, "/quit" (or end of input) leaves. With --state the conversation is
// loaded from FILE when it exists and saved there after every reply. With --speak each reply is
// also read aloud sentence by sentence while it is written, and the program waits for the speech
// to end before it exits; without an audio device it says so and chats in text only.
int run_chat(CommandContext& context);
// The same, reading from `in` (tests).
int run_chat(CommandContext& context, std::istream& in);

}  // namespace linea::cli
