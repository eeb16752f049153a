// Float buffers for the intermediates of one forward pass, reused across calls on the same thread.
// Fresh vectors of a prefill chunk's size cost a zero fill and a page fault per 4 KiB on every
// call (about 5 % of an RWKV-7 prefill); a released buffer keeps its pages for the next call.
#pragma once

#include <cstddef>
#include <vector>

namespace linea::cpu {

class ScratchFloats {
 public:
  ScratchFloats() = default;
  // `count` floats whose contents are unspecified: the caller writes before it reads.
  explicit ScratchFloats(std::size_t count);
  ~ScratchFloats();
  ScratchFloats(ScratchFloats&& other) noexcept;
  ScratchFloats& operator=(ScratchFloats&& other) noexcept;
  ScratchFloats(const ScratchFloats&) = delete;
  ScratchFloats& operator=(const ScratchFloats&) = delete;

  // Bytes this thread's pool holds for reuse (for tests and diagnostics).
  static std::size_t pooled_bytes();

  float* data() { return storage_.data(); }
  const float* data() const { return storage_.data(); }
  std::size_t size() const { return size_; }
  float* begin() { return data(); }
  float* end() { return data() + size_; }
  const float* begin() const { return data(); }
  const float* end() const { return data() + size_; }
  float& operator[](std::size_t i) { return storage_[i]; }
  const float& operator[](std::size_t i) const { return storage_[i]; }

 private:
  std::vector<float> storage_;  // at least size_ floats, taken from this thread's pool
  std::size_t size_ = 0;
};

}  // namespace linea::cpu
