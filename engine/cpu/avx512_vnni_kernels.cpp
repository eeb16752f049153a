// The integer matrix product for quantized weights with AVX-512 VNNI (vpdpbusd on 256-bit vectors),
// kept apart from avx512_kernels.cpp so that only this file may emit VNNI instructions: the avx512
// table runs on AVX-512 CPUs without VNNI too, and calls this only where cpu_features() has it.
// Every header is included before the target region (see avx512_kernels.cpp).
#include "engine/cpu/simd_kernels.h"

#if defined(__x86_64__)

#include "engine/core/float16.h"
#include "engine/cpu/kernels.h"
#include "engine/cpu/weight_view.h"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace linea::cpu {

namespace {

float* vnni_scratch(int slot, std::size_t count) {
  thread_local std::vector<float> buffers[2];
  std::vector<float>& buffer = buffers[slot];
  if (buffer.size() < count) buffer.resize(count);
  return buffer.data();
}

}  // namespace

}  // namespace linea::cpu

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma,f16c"))), \
                             apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma,f16c")
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

namespace linea::cpu {

namespace {

// q4_k_scale_min, half_to_float: the block layouts shared with the f32 path.
inline void q4_k_scale_min(const std::byte* scales, int j, int& scale, int& min) {
  const auto q = [&](int i) { return static_cast<int>(static_cast<std::uint8_t>(scales[i])); };
  if (j < 4) {
    scale = q(j) & 63;
    min = q(j + 4) & 63;
  } else {
    scale = (q(j + 4) & 0x0F) | ((q(j - 4) >> 6) << 4);
    min = (q(j + 4) >> 4) | ((q(j) >> 6) << 4);
  }
}

struct VnniDot {
  static constexpr int kPositions = 8;  // accumulators of the 32 YMM (AVX-512 VL) registers
  static __m256i dot(__m256i u, __m256i s) { return _mm256_dpbusd_epi32(_mm256_setzero_si256(), u, s); }
  static float* scratch(int slot, std::size_t count) { return vnni_scratch(slot, count); }
};

#include "engine/cpu/simd_integer_dot_impl.h"

}  // namespace

}  // namespace linea::cpu

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC diagnostic pop
#pragma GCC pop_options
#endif

namespace linea::cpu {
MatmulRows avx512_vnni_integer_matmul_rows() { return integer_matmul_rows<VnniDot>; }
}  // namespace linea::cpu

#else

namespace linea::cpu {
MatmulRows avx512_vnni_integer_matmul_rows() { return nullptr; }
}  // namespace linea::cpu

#endif
