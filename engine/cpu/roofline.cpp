#include "engine/cpu/roofline.h"

#include "engine/cpu/kernels.h"
#include "engine/cpu/simd_kernels.h"

#include <emmintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

namespace linea::cpu {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Four lanes of independent chains with plain floats: what the reference table can reach.
float reference_fma_chains(std::int64_t iterations) {
  float acc[32];
  for (int i = 0; i < 32; ++i) acc[i] = static_cast<float>(i) * 1e-3f;
  const float m = 0.999999f, a = 1e-7f;
  for (std::int64_t it = 0; it < iterations; ++it)
    for (float& value : acc) value = value * m + a;
  float sum = 0;
  for (float value : acc) sum += value;
  return sum;
}

// out[i] = x[i] + s·y[i] for i in [begin, end), in 16-byte vectors (SSE2: every x86-64), written
// out because the baseline build leaves the loop scalar, and the scalar loop was bound by its own
// instructions on two vCPUs of a Zen 3: it read 14–16 or 23–25 GB/s depending only on where the
// linker put it, so a memory probe that measured code placement.
void triad(float* out, const float* x, const float* y, float s, std::int64_t begin, std::int64_t end) {
  const __m128 scale = _mm_set1_ps(s);
  std::int64_t i = begin;
  for (; i + 16 <= end; i += 16)
    for (int v = 0; v < 16; v += 4)
      _mm_storeu_ps(out + i + v, _mm_add_ps(_mm_loadu_ps(x + i + v), _mm_mul_ps(scale, _mm_loadu_ps(y + i + v))));
  for (; i < end; ++i) out[i] = x[i] + s * y[i];
}

}  // namespace

double measure_bandwidth_gb_s(ThreadPool& pool, std::size_t array_bytes, int repeats) {
  const std::size_t n = array_bytes / sizeof(float);
  // Not value-initialised by std::vector: each thread first touches its own part (its NUMA node).
  const std::unique_ptr<float[]> a(new float[n]), b(new float[n]), c(new float[n]);
  const std::int64_t threads = pool.thread_count();
  const auto part = [&](std::int64_t index, std::int64_t& begin, std::int64_t& end) {
    begin = static_cast<std::int64_t>(n) * index / threads;
    end = static_cast<std::int64_t>(n) * (index + 1) / threads;
  };
  pool.parallel_for(threads, 1, [&](std::int64_t first, std::int64_t last) {
    for (std::int64_t index = first; index < last; ++index) {
      std::int64_t begin, end;
      part(index, begin, end);
      std::fill(a.get() + begin, a.get() + end, 0.0f);
      std::fill(b.get() + begin, b.get() + end, 1.0f);
      std::fill(c.get() + begin, c.get() + end, 2.0f);
    }
  });
  double best = 0;
  for (int r = 0; r < repeats; ++r) {
    const float s = 0.5f + static_cast<float>(r);
    const auto start = std::chrono::steady_clock::now();
    pool.parallel_for(threads, 1, [&](std::int64_t first, std::int64_t last) {
      for (std::int64_t index = first; index < last; ++index) {
        std::int64_t begin, end;
        part(index, begin, end);
        triad(a.get(), b.get(), c.get(), s, begin, end);
      }
    });
    const double seconds = seconds_since(start);
    best = std::max(best, 3.0 * static_cast<double>(array_bytes) / seconds / 1e9);
  }
  volatile float sink = a[n / 2];  // the triads are used
  (void)sink;
  return best;
}

double measure_peak_gflop_s(ThreadPool& pool, int repeats) {
  const std::string_view table = active_kernels().name;
  FmaProbe probe = reference_fma_chains;
  double flops_per_iteration = 32 * 2;
  if ((table == "avx512" || table == "amx") && avx512_fma_probe()) {
    probe = avx512_fma_probe();
    flops_per_iteration = kFmaProbeChains * 16 * 2;
  } else if (table == "avx2" && avx2_fma_probe()) {
    probe = avx2_fma_probe();
    flops_per_iteration = kFmaProbeChains * 8 * 2;
  }
  const std::int64_t iterations = 20'000'000;
  const std::int64_t threads = pool.thread_count();
  std::vector<float> sinks(static_cast<std::size_t>(threads));
  double best = 0;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    pool.parallel_for(threads, 1, [&](std::int64_t first, std::int64_t last) {
      for (std::int64_t index = first; index < last; ++index)
        sinks[static_cast<std::size_t>(index)] = probe(iterations);
    });
    const double seconds = seconds_since(start);
    best = std::max(
        best, flops_per_iteration * static_cast<double>(iterations) * static_cast<double>(threads) / seconds / 1e9);
  }
  volatile float sink = sinks[0];
  (void)sink;
  return best;
}

}  // namespace linea::cpu
