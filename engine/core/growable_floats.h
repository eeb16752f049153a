// A growable array of floats for buffers that only ever grow by appending (KV caches). Unlike
// std::vector it grows with realloc: glibc serves big blocks with mmap and grows them with mremap,
// which moves page mappings instead of copying, so a cache of N bytes never needs 2·N while it grows.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <span>
#include <utility>

namespace linea {

class GrowableFloats {
 public:
  GrowableFloats() = default;
  GrowableFloats(const GrowableFloats& other) { assign(other.view()); }
  GrowableFloats& operator=(const GrowableFloats& other) {
    if (this != &other) assign(other.view());
    return *this;
  }
  GrowableFloats(GrowableFloats&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  GrowableFloats& operator=(GrowableFloats&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
    return *this;
  }
  ~GrowableFloats() { std::free(data_); }

  std::size_t size() const { return size_; }
  float* data() { return data_; }
  const float* data() const { return data_; }
  std::span<float> view() { return {data_, size_}; }
  std::span<const float> view() const { return {data_, size_}; }

  // New elements are uninitialised; callers write them before reading.
  void resize(std::size_t count) {
    if (count > capacity_) reserve(std::max(count, capacity_ + capacity_ / 2));
    size_ = count;
  }

  void reserve(std::size_t count) {
    if (count <= capacity_) return;
    void* grown = std::realloc(data_, count * sizeof(float));
    if (!grown) throw std::bad_alloc();
    data_ = static_cast<float*>(grown);
    capacity_ = count;
  }

  void assign(std::span<const float> values) {
    resize(values.size());
    if (!values.empty()) std::memcpy(data_, values.data(), values.size() * sizeof(float));
  }

  void clear() { size_ = 0; }

 private:
  float* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace linea
