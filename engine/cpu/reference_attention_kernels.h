// The reference (plain-loop) kernels of the attention family: RMSNorm, SiLU, lightning attention in
// both forms, and tiled causal softmax attention. Entries of reference_kernels(); see kernels.h
// for what each computes.
#pragma once

#include "engine/cpu/kernels.h"

#include <cstdint>

namespace linea::cpu::reference {

void rms_norm(const float* x, std::int64_t n, const float* weight, float eps, float* out);
void silu(float* x, std::int64_t n);
void lightning_recurrent_head(const LightningHeadArgs& args);
void lightning_block_head(const LightningHeadArgs& args);
void attention_head(const AttentionHeadArgs& args);

}  // namespace linea::cpu::reference
