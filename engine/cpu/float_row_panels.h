// F32, F16 and BF16 weights regrouped at load for the avx512 table's float product
// (avx512_float_panels.cpp): in panels of 16 rows stored column after column, so that the 16 rows'
// values of one column are one vector and the product's step is an outer product (each weight
// vector meets many positions' broadcast activations).
//
// Panel g holds rows 16g … 16g + 15. Element (16g + r, k) is element (g·cols + k)·16 + r of the
// regrouped bytes, in the matrix's own dtype (exactly its bits); rows past the matrix are zero.
#pragma once

#include "engine/cpu/weight_view.h"

#include <cstddef>
#include <cstdint>

namespace linea::cpu {

constexpr std::int64_t kPanelRows = 16;

constexpr std::int64_t float_row_panel_count(std::int64_t rows) { return (rows + kPanelRows - 1) / kPanelRows; }

// Whether the layout holds `dtype` (F32, F16, BF16).
bool float_row_panels_hold(DType dtype);

// Bytes of the regrouped form of a [rows, cols] matrix of `dtype` (whole panels).
std::size_t float_row_panels_bytes(DType dtype, std::int64_t rows, std::int64_t cols);

// Writes the regrouped form of `rows_view` (layout rows, a dtype the layout holds) to `out`.
void pack_float_row_panels(const WeightView& rows_view, std::byte* out);

// Row `row` of a regrouped view as f32 (cols values; exact, as from the file).
void float_row_panels_row_to_f32(const WeightView& panels, std::int64_t row, float* out);

}  // namespace linea::cpu
