// A lock-free single-producer single-consumer ring of float samples, the only thing the real-time
// audio callback touches. Capacity is a power of two fixed at construction; nothing allocates after.
//
// Thread-safety: one producer thread calls write()/free_space(); one consumer thread (the audio
// callback) calls read()/available()/discard(). clear_when_idle() only when neither is running.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <span>

namespace linea::audio {

class SampleRing {
 public:
  explicit SampleRing(std::size_t minimum_capacity);  // rounded up to a power of two (at least 2)

  std::size_t capacity() const { return capacity_; }

  // Producer: copies as many samples as fit; returns how many.
  std::size_t write(std::span<const float> samples);
  std::size_t free_space() const;

  // Consumer: copies up to out.size() samples; returns how many.
  std::size_t read(std::span<float> out);
  // Samples waiting: exact for the consumer, a lower bound of what the producer will see later.
  std::size_t available() const;
  // Consumer: drops everything readable now.
  void discard();

  void clear_when_idle();

 private:
  std::unique_ptr<float[]> samples_;
  std::size_t capacity_;
  std::size_t mask_;
  // Monotonic counters (wrap at 2^64, never in practice); index = counter & mask_.
  alignas(64) std::atomic<std::size_t> written_{0};
  alignas(64) std::atomic<std::size_t> read_{0};
  static_assert(std::atomic<std::size_t>::is_always_lock_free);
};

}  // namespace linea::audio
