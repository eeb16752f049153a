#pragma once

#include "app/cli/argument_parser.h"
#include "app/cli/cli_commands.h"
#include "engine/runtime/sampler.h"

namespace linea::cli {

// --temp, --top-k, --top-p, --min-p, --repeat-penalty, --seed (shared with chat).
void add_sampling_options(ArgumentParser& parser);
SamplingParams sampling_from(const ArgumentParser& parser);

// linea-cli generate --model M --prompt TEXT [-n N] [--temp T] [--top-k K] [--top-p P] [--seed S]
//                    [--state FILE] [--threads T]
// Streams the continuation to stdout, statistics to stderr.
int run_generate(CommandContext& context);

}  // namespace linea::cli
