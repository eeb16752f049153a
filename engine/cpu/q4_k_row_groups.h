// Q4_K weights regrouped at load for the SIMD products: 8 rows side by side, so that one 32-byte load
// holds 4 weights of each of 8 rows and the product keeps one row per lane (simd_q4_k_dot_impl.h).
// The bytes are the rows' own, rearranged: a group block is 8 × 144 bytes, the size of 8 Q4_K blocks.
//
// Group g holds rows 8g … 8g + 7 (rows past the matrix are zero bytes: d = dmin = 0); its 256-value
// blocks follow one another, so block s of group g starts at (g·S + s)·1152, S blocks per row.
// Inside a group block (r = row in the group, j = sub-block of 32 values, entry e = 8j + r):
//   [0, 16)       d of rows 0–7 (f16)            [16, 32)   dmin of rows 0–7 (f16)
//   [32, 64)      byte i: low 4 bits of sc(entry i) | low 4 bits of sc(entry 32 + i) << 4
//   [64, 96)      byte i: the same for the mins m
//   [96, 128)     byte i: top 2 bits of sc(i) | sc(32 + i) << 2 | m(i) << 4 | m(32 + i) << 6
//   [128, 1152)   32 bytes per (c, k), c = 0 … 3 in order, k = 0 … 7 within: bytes 4k … 4k + 3 of each
//                 row's 32-byte nibble chunk c (values 4k … 4k + 3 of sub-block 2c in the low nibbles,
//                 of sub-block 2c + 1 in the high ones), rows 0–7 in order.
// (sc, m: the six-bit sub-block scales and mins of model-spec's Q4_K block.)
#pragma once

#include "engine/cpu/weight_view.h"

#include <cstddef>
#include <cstdint>

namespace linea::cpu {

constexpr std::int64_t kQ4_KGroupRows = 8;
constexpr std::int64_t kQ4_KBlockValues = 256;
constexpr std::int64_t kQ4_KRowBlockBytes = 144;
constexpr std::int64_t kQ4_KGroupBlockBytes = kQ4_KGroupRows * kQ4_KRowBlockBytes;

// Bytes of the regrouped form of a [rows, cols] Q4_K matrix (whole groups).
std::size_t q4_k_row_groups_bytes(std::int64_t rows, std::int64_t cols);

// Writes the regrouped form of `rows_view` (Q4_K, layout rows) to `out` (q4_k_row_groups_bytes).
void pack_q4_k_row_groups(const WeightView& rows_view, std::byte* out);

// The 144 bytes of Q4_K block `block` of row `row`, as the file had them, from a regrouped view.
void q4_k_row_groups_block(const WeightView& grouped, std::int64_t row, std::int64_t block, std::byte* out);

}  // namespace linea::cpu
