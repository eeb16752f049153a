#pragma once

#include "app/cli/cli_commands.h"

namespace linea::cli {

// linea-cli evaluate bits-per-byte|reading|pictures TASKS.jsonl [--model M] [--through-state]
//                    [--begin TOKEN] [--reference BPB --tolerance R] [--min-accuracy A] [--json] [--threads T]
// Measures the model on a task file from tools/train/evaluation_sets.py through the engine (see
// model_evaluation.h) and prints the result; with --json one object on stdout. Exit status 1 when a
// bound given on the command line is missed (--min-accuracy, or --reference with --tolerance).
int run_evaluate(CommandContext& context);

}  // namespace linea::cli
