#include "engine/cpu/scratch_floats.h"

#include <algorithm>
#include <utility>

namespace linea::cpu {

namespace {

// Released buffers of this thread, kept up to this many bytes in all (beyond it the largest goes
// back to the allocator), so a one-off huge call does not hold its memory for good.
constexpr std::size_t kPoolBytes = std::size_t{256} << 20;

struct Pool {
  std::vector<std::vector<float>> free;
  std::size_t bytes = 0;
};

Pool& pool() {
  thread_local Pool buffers;
  return buffers;
}

std::size_t bytes_of(const std::vector<float>& buffer) { return buffer.size() * sizeof(float); }

}  // namespace

ScratchFloats::ScratchFloats(std::size_t count) : size_(count) {
  Pool& buffers = pool();
  // The smallest free buffer that holds count floats, else the largest one (grown below).
  auto best = buffers.free.end();
  for (auto it = buffers.free.begin(); it != buffers.free.end(); ++it) {
    const bool best_fits = best != buffers.free.end() && best->size() >= count;
    if (it->size() >= count) {
      if (!best_fits || it->size() < best->size()) best = it;
    } else if (!best_fits && (best == buffers.free.end() || it->size() > best->size())) {
      best = it;
    }
  }
  if (best != buffers.free.end()) {
    storage_ = std::move(*best);
    buffers.bytes -= bytes_of(storage_);
    buffers.free.erase(best);
  }
  if (storage_.size() < count) storage_.resize(count);
}

ScratchFloats::~ScratchFloats() {
  if (storage_.empty()) return;
  Pool& buffers = pool();
  buffers.bytes += bytes_of(storage_);
  buffers.free.push_back(std::move(storage_));
  while (buffers.bytes > kPoolBytes) {
    auto largest = std::ranges::max_element(buffers.free, {}, [](const std::vector<float>& b) { return b.size(); });
    buffers.bytes -= bytes_of(*largest);
    buffers.free.erase(largest);
  }
}

std::size_t ScratchFloats::pooled_bytes() { return pool().bytes; }

ScratchFloats::ScratchFloats(ScratchFloats&& other) noexcept
    : storage_(std::move(other.storage_)), size_(std::exchange(other.size_, 0)) {
  other.storage_.clear();
}

ScratchFloats& ScratchFloats::operator=(ScratchFloats&& other) noexcept {
  if (this != &other) {
    ScratchFloats released(std::move(*this));  // back to the pool when it leaves scope
    storage_ = std::move(other.storage_);
    other.storage_.clear();
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

}  // namespace linea::cpu
