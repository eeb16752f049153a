#include "engine/cpu/packed_weights.h"

#include "engine/cpu/bf16_pair_tiles.h"
#include "engine/cpu/float_row_panels.h"
#include "engine/cpu/kernels.h"
#include "engine/cpu/q4_k_row_groups.h"
#include "engine/cpu/q8_0_row_tiles.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <new>
#include <stdexcept>

namespace linea::cpu {
namespace {

// Copies are read once per token from start to end. They live in chunks of 2 MiB pages (transparent
// huge pages, where the system grants them to those who ask): 512 times fewer page faults when they
// are written at load and TLB entries when they are read. Chunks, not one allocation per matrix, so
// that a matrix of 2.3 MiB does not take two whole huge pages.
constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kChunkBytes = 16 * kHugePage;
constexpr std::size_t kAlignment = 64;  // a cache line

}  // namespace

void PackedWeights::Free::operator()(std::byte* p) const { std::free(p); }

std::byte* PackedWeights::allocate(std::size_t size) {
  size = (size + kAlignment - 1) / kAlignment * kAlignment;
  if (chunks_.empty() || chunk_used_ + size > chunk_size_) {
    const std::size_t chunk = (std::max(size, kChunkBytes) + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, chunk);
    if (p == nullptr) throw std::bad_alloc();
    ::madvise(p, chunk, MADV_HUGEPAGE);  // advice: without it (or refused) the chunk has 4 KiB pages
    chunks_.emplace_back(static_cast<std::byte*>(p));
    chunk_used_ = 0;
    chunk_size_ = chunk;
  }
  std::byte* room = chunks_.back().get() + chunk_used_;
  chunk_used_ += size;
  return room;
}

WeightView PackedWeights::prepare(const WeightView& view) {
  if (view.layout != WeightLayout::rows)
    throw std::invalid_argument("PackedWeights::prepare: the view is already regrouped");
  const WeightLayout wanted = active_kernels().preferred_layout(view.dtype);
  if (wanted == WeightLayout::rows || view.rows == 0) return view;
  std::size_t size = 0;
  switch (wanted) {
    case WeightLayout::bf16_pair_tiles: size = bf16_pair_tiles_bytes(view.rows, view.cols); break;
    case WeightLayout::float_row_panels: size = float_row_panels_bytes(view.dtype, view.rows, view.cols); break;
    case WeightLayout::q4_k_row_groups: size = q4_k_row_groups_bytes(view.rows, view.cols); break;
    case WeightLayout::q8_0_row_tiles: size = q8_0_row_tiles_bytes(view.rows, view.cols); break;
    case WeightLayout::rows: break;
  }
  WeightView grouped = view;
  std::byte* room = allocate(size);
  switch (wanted) {
    case WeightLayout::bf16_pair_tiles: pack_bf16_pair_tiles(view, room); break;
    case WeightLayout::float_row_panels: pack_float_row_panels(view, room); break;
    case WeightLayout::q4_k_row_groups: pack_q4_k_row_groups(view, room); break;
    case WeightLayout::q8_0_row_tiles: pack_q8_0_row_tiles(view, room); break;
    case WeightLayout::rows: break;
  }
  grouped.data = room;
  grouped.layout = wanted;
  bytes_ += size;
  return grouped;
}

WeightView PackedWeights::prepare(const WeightView& view, const io::TensorSource& source) {
  const WeightView result = prepare(view);
  if (result.data != view.data) source.drop_pages(view.data, static_cast<std::size_t>(view.rows) * view.row_bytes());
  return result;
}

}  // namespace linea::cpu
