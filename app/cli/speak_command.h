// `linea-cli speak TEXT [--voice V] [--rate R] [--out FILE] [--device D] [--list-voices]
// [--list-devices]`: reads TEXT aloud (TEXT "-" reads stdin), sentence by sentence through the same
// speech queue the chat uses, and waits until it has been played; with --out it writes the speech
// to FILE instead (.wav, .opus, .ogg, .mp3, from the extension). Without an audio device playback
// fails with "no audio output device" while --out still works.
#pragma once

#include "app/cli/cli_commands.h"

namespace linea::cli {

int run_speak(CommandContext& context);

}  // namespace linea::cli
