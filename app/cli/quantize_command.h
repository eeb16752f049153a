// `linea-cli quantize IN OUT --type q8_0|q4_0|q4_k|q6_k [--threads T]`: writes a GGUF file whose
// matrices are quantized (rule: io::quantized_type_for), keeping every other tensor and, from a GGUF
// input, all metadata (tokenizer included). Prints the error it introduced per tensor kind.
#pragma once

#include "app/cli/cli_commands.h"

namespace linea::cli {

int run_quantize(CommandContext& context);

}  // namespace linea::cli
