#pragma once

#include "app/cli/cli_commands.h"

namespace linea::cli {

// linea-cli bench (--model M | --random ARCH:SIZE [--dtype f32|f16|bf16|q8_0|q4_0|q4_k|q6_k]) [-p 512] [-n 128]
//                 [--chunk N] [--threads T] [--kernels NAME] [--roofline] [--json]
// Prefill (sequence mode) and decode (one token at a time) speed, and peak memory. --roofline adds
// the machine's measured bandwidth and peak FMA rate and the fraction of each that decode and
// prefill reach (JSON: bandwidth_gb_s, peak_gflop_s, decode_roofline_fraction, prefill_roofline_fraction).
int run_bench(CommandContext& context);

}  // namespace linea::cli
