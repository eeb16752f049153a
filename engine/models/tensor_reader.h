// Finds, checks and views the tensors a loader needs by name, with errors that name the source, the
// tensor, what it is for, and expected versus found (shape, dtype). Names are relative to a prefix
// ("language_model." for the text model inside a vision-language checkpoint).
#pragma once

#include "engine/cpu/packed_weights.h"
#include "engine/cpu/weight_view.h"
#include "engine/io/tensor_source.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace linea {

class TensorReader {
 public:
  // `model` names the architecture in messages ("MiniMax"). Matrices for products are regrouped into
  // `packed` where the active kernels prefer another layout (packed_weights.h).
  TensorReader(const io::TensorSource& source, std::string model, std::string prefix, cpu::PackedWeights& packed)
      : source_(source), model_(std::move(model)), prefix_(std::move(prefix)), packed_(packed) {}

  const io::TensorSource& source() const { return source_; }
  std::string full_name(const std::string& name) const { return prefix_ + name; }
  const io::TensorInfo* find(const std::string& name) const { return source_.find(full_name(name)); }
  const io::TensorInfo& require(const std::string& name, std::string_view what) const;

  // A matrix for products: shape exactly [rows, cols], a dtype the CPU kernels read; used in place or
  // regrouped.
  cpu::WeightView matrix(const std::string& name, std::int64_t rows, std::int64_t cols, std::string_view what) const;
  // The same, used in place as the file has it: a table whose rows are looked up (an embedding).
  cpu::WeightView table(const std::string& name, std::int64_t rows, std::int64_t cols, std::string_view what) const;
  // Rows [first, first + rows) of matrix `index` of a stack [count, stack_rows, cols] (fused expert
  // weights; a half of a fused gate_up projection), for products like matrix().
  cpu::WeightView stacked_matrix(const std::string& name, std::int64_t index, std::int64_t count,
                                 std::int64_t stack_rows, std::int64_t first, std::int64_t rows, std::int64_t cols,
                                 std::string_view what) const;
  // A table's view (rows layout) prepared for products like matrix() (a head tied to the embedding).
  cpu::WeightView for_products(const cpu::WeightView& table) const { return packed_.prepare(table); }
  // A small tensor of `count` values (F32 / F16 / BF16; dimensions of 1 ignored) converted to f32.
  std::vector<float> values(const std::string& name, std::int64_t count, std::string_view what) const;

  [[noreturn]] void fail(const io::TensorInfo& info, std::string_view what, const std::string& message) const;

 private:
  const io::TensorSource& source_;
  std::string model_;
  std::string prefix_;
  cpu::PackedWeights& packed_;
};

}  // namespace linea
