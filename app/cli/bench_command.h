#pragma once

#include "app/cli/cli_commands.h"

namespace linea::cli {

// linea-cli bench (--model M | --random ARCH:SIZE [--dtype f32|f16|bf16]) [-p 512] [-n 128] [--chunk N]
//                 [--threads T] [--json]
// Prefill (sequence mode) and decode (one token at a time) speed, and peak memory.
int run_bench(CommandContext& context);

}  // namespace linea::cli
