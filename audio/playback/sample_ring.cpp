#include "audio/playback/sample_ring.h"

#include <algorithm>
#include <bit>

namespace linea::audio {

SampleRing::SampleRing(std::size_t minimum_capacity)
    : capacity_(std::bit_ceil(std::max<std::size_t>(minimum_capacity, 2))), mask_(capacity_ - 1) {
  samples_ = std::make_unique<float[]>(capacity_);
}

std::size_t SampleRing::write(std::span<const float> samples) {
  const std::size_t written = written_.load(std::memory_order_relaxed);  // only this thread stores it
  const std::size_t read = read_.load(std::memory_order_acquire);        // the consumer is done with those slots
  const std::size_t count = std::min(samples.size(), capacity_ - (written - read));
  const std::size_t start = written & mask_;
  const std::size_t first = std::min(count, capacity_ - start);
  std::copy_n(samples.data(), first, samples_.get() + start);
  std::copy_n(samples.data() + first, count - first, samples_.get());
  written_.store(written + count, std::memory_order_release);  // publishes the copied samples
  return count;
}

std::size_t SampleRing::free_space() const {
  return capacity_ - (written_.load(std::memory_order_relaxed) - read_.load(std::memory_order_acquire));
}

std::size_t SampleRing::read(std::span<float> out) {
  const std::size_t read = read_.load(std::memory_order_relaxed);        // only this thread stores it
  const std::size_t written = written_.load(std::memory_order_acquire);  // sees the producer's copies
  const std::size_t count = std::min(out.size(), written - read);
  const std::size_t start = read & mask_;
  const std::size_t first = std::min(count, capacity_ - start);
  std::copy_n(samples_.get() + start, first, out.data());
  std::copy_n(samples_.get(), count - first, out.data() + first);
  read_.store(read + count, std::memory_order_release);  // hands the slots back to the producer
  return count;
}

std::size_t SampleRing::available() const {
  return written_.load(std::memory_order_acquire) - read_.load(std::memory_order_acquire);
}

void SampleRing::discard() { read_.store(written_.load(std::memory_order_acquire), std::memory_order_release); }

void SampleRing::clear_when_idle() {
  written_.store(0, std::memory_order_relaxed);
  read_.store(0, std::memory_order_relaxed);
}

}  // namespace linea::audio
