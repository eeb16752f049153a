#include "engine/cpu/float_row_panels.h"

#include "engine/cpu/word_transpose.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace linea::cpu {

namespace {

void require_held(const WeightView& view, WeightLayout layout, const char* what) {
  if (!float_row_panels_hold(view.dtype) || view.layout != layout)
    throw std::invalid_argument(std::string(what) + ": expected an F32, F16 or BF16 matrix in the " +
                                (layout == WeightLayout::rows ? "row" : "panel") + " layout, got " +
                                std::string(dtype_name(view.dtype)) +
                                (view.layout == layout ? "" : " in another layout"));
}

std::int64_t element_bytes(DType dtype) { return dtype_info(dtype).block_bytes; }

}  // namespace

bool float_row_panels_hold(DType dtype) { return dtype == DType::f32 || dtype == DType::f16 || dtype == DType::bf16; }

std::size_t float_row_panels_bytes(DType dtype, std::int64_t rows, std::int64_t cols) {
  return static_cast<std::size_t>(float_row_panel_count(rows) * cols * kPanelRows * element_bytes(dtype));
}

void pack_float_row_panels(const WeightView& rows_view, std::byte* out) {
  require_held(rows_view, WeightLayout::rows, "pack_float_row_panels");
  const std::int64_t size = element_bytes(rows_view.dtype), cols = rows_view.cols;
  const std::int64_t column_bytes = kPanelRows * size;  // one column of a panel
  // 16 columns at a time: the transpose of a 16 × 16 block of values, written from start to end
  // while the 16 rows' bytes it reads stay in L1.
  for (std::int64_t g0 = 0; g0 < rows_view.rows; g0 += kPanelRows) {
    const std::int64_t rows = std::min(kPanelRows, rows_view.rows - g0);
    std::byte* panel = out + g0 * cols * size;
    const std::byte* row[kPanelRows];
    for (std::int64_t r = 0; r < rows; ++r) row[r] = rows_view.row(g0 + r);
    std::int64_t c0 = 0;
    if (rows == kPanelRows)
      for (; c0 + kPanelRows <= cols; c0 += kPanelRows)
        transpose_16_words(row, c0 * size, static_cast<int>(size), panel + c0 * column_bytes);
    // The edge of the matrix: value by value, zeros past its last row.
    for (std::int64_t c = c0; c < cols; ++c) {
      std::byte* column = panel + c * column_bytes;
      std::memset(column, 0, static_cast<std::size_t>(column_bytes));
      for (std::int64_t r = 0; r < rows; ++r)
        std::memcpy(column + r * size, row[r] + c * size, static_cast<std::size_t>(size));
    }
  }
}

void float_row_panels_row_to_f32(const WeightView& panels, std::int64_t row, float* out) {
  require_held(panels, WeightLayout::float_row_panels, "float_row_panels_row_to_f32");
  const std::int64_t size = element_bytes(panels.dtype);
  const std::byte* first = panels.data + ((row / kPanelRows) * panels.cols * kPanelRows + row % kPanelRows) * size;
  for (std::int64_t c = 0; c < panels.cols; ++c)
    convert_to_f32(panels.dtype, first + c * kPanelRows * size, 1, out + c);
}

}  // namespace linea::cpu
