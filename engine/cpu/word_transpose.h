// 16 × 16 transposes of 2- and 4-byte words, the step that regroups rows of weights into the layouts
// the SIMD products read (bf16_pair_tiles.h, float_row_panels.h).
#pragma once

#include <cstddef>
#include <cstdint>

namespace linea::cpu {

// Word j (of `word_bytes` = 2 or 4 bytes) from byte `offset` of row[r], for r, j in [0, 16), to word
// 16·j + r of `out` (512 or 1024 bytes): the 16 rows side by side, word after word.
void transpose_16_words(const std::byte* const* row, std::int64_t offset, int word_bytes, std::byte* out);

}  // namespace linea::cpu
