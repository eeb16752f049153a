// The integer matrix product for ggml-quantized weights (Q8_0, Q4_0, Q4_K, Q6_K), compiled once per
// instruction set like simd_kernels_impl.h: the including file defines, inside its target region
// and anonymous namespace, a policy D with
//   static __m256i dot(__m256i u, __m256i s): 8 int32 lanes, lane i = Σ_{j<4} u[4i+j]·s[4i+j]
//   (u unsigned bytes 0…255, s signed bytes −127…127; vpmaddubsw + vpmaddwd: the avx2 table, and the
//   avx512 table on CPUs without VNNI; with VNNI it uses the 512-bit product of avx512_vnni_kernels.cpp)
// kPositions (how many positions share one decoded weight block: as many accumulators as the
// registers hold) and scratch(slot, count) as V does. It includes nothing itself.
//
// Each position's activations are quantized on the fly in blocks of 32 (d = max|x|/127,
// q = round(x/d), as ggml's Q8_0), so every weight block meets an int8 block and its dot product is
// exact in int32. Floats carry only the per-block scales: y = Σ_blocks (d_w·d_x)·Σ q_w·q_x (Q4_K also
// subtracts its per-sub-block minimum against the block sum of the quantized x). The result is
// exactly Σ_i W[o][i]·x̂[i] (up to f32 rounding of the scale products) with |x̂ − x| ≤ d_x/2.
//
// Every (row, position) is accumulated over its blocks in order in one 8-lane float vector and
// reduced once, and each position's activations are quantized alone, so the result does not depend
// on the thread split or on how many positions one call carries.

constexpr std::int64_t kActivationBlock = 32;

// x[t] quantized: q (int8, cols per position), d (one scale per block) and s = d·Σq per block (the
// sum of the dequantized block, for Q4_K's minimum).
struct QuantizedActivations {
  const std::int8_t* q;
  const float* d;
  const float* s;
};

inline void quantize_activations(const float* x, std::int64_t positions, std::int64_t cols, std::int8_t* q, float* d,
                                 float* s) {
  const __m256 sign_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  const std::int64_t blocks = positions * cols / kActivationBlock;
  for (std::int64_t b = 0; b < blocks; ++b) {
    const float* in = x + b * kActivationBlock;
    __m256 v[4];
    __m256 amax = _mm256_setzero_ps();
    for (int i = 0; i < 4; ++i) {
      v[i] = _mm256_loadu_ps(in + 8 * i);
      amax = _mm256_max_ps(amax, _mm256_and_ps(v[i], sign_mask));
    }
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(amax), _mm256_extractf128_ps(amax, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    const float block_max = _mm_cvtss_f32(m);
    const float scale = block_max / 127.0f;
    const __m256 inverse = _mm256_set1_ps(block_max > 0.0f ? 127.0f / block_max : 0.0f);
    __m256i sum = _mm256_setzero_si256();
    __m256i words[4];
    for (int i = 0; i < 4; ++i) {
      words[i] = _mm256_cvtps_epi32(_mm256_mul_ps(v[i], inverse));  // nearest, |·| ≤ 127
      sum = _mm256_add_epi32(sum, words[i]);
    }
    // int32 → int8 in element order (packs interleave 128-bit lanes; the permute undoes it).
    const __m256i packed16_a = _mm256_packs_epi32(words[0], words[1]);
    const __m256i packed16_b = _mm256_packs_epi32(words[2], words[3]);
    const __m256i packed8 = _mm256_packs_epi16(packed16_a, packed16_b);
    const __m256i ordered = _mm256_permutevar8x32_epi32(packed8, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(q + b * kActivationBlock), ordered);
    __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
    s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0x4e));
    s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0xb1));
    d[b] = scale;
    s[b] = scale * static_cast<float>(_mm_cvtsi128_si32(s4));
  }
}

// Weight rows are fetched this far ahead of the block being read: with many instructions per
// weight byte the out-of-order window alone keeps too few cache-line fetches in flight for decode
// to reach the memory bandwidth (prefetching doubled the decode rate of Q8_0 weights).
constexpr std::int64_t kPrefetchBytes = 4096;
inline void prefetch_ahead(const std::byte* w) {
  _mm_prefetch(reinterpret_cast<const char*>(w) + kPrefetchBytes, _MM_HINT_T0);
}

inline __m256i load32(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
inline float fp16_at(const std::byte* p) {
  std::uint16_t bits;
  std::memcpy(&bits, p, 2);
  return _cvtsh_ss(bits);
}

// Signed weights × signed activations through the unsigned × signed product: |w| · (x with w's sign).
template <class D>
__m256i dot_signed(__m256i w, __m256i x) {
  return D::dot(_mm256_sign_epi8(w, w), _mm256_sign_epi8(x, w));
}

inline float reduce8(__m256 v) {
  __m128 q = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  q = _mm_add_ps(q, _mm_movehl_ps(q, q));
  q = _mm_add_ss(q, _mm_movehdup_ps(q));
  return _mm_cvtss_f32(q);
}

// acc[p] += one weight row · position p's quantized activations, for P positions (their blocks
// `x_stride` blocks apart), over the whole row.
template <class D, int P>
void q8_0_row(const std::byte* w, std::int64_t blocks, const QuantizedActivations& x, std::int64_t x_stride,
              __m256* acc) {
  for (std::int64_t b = 0; b < blocks; ++b, w += 34) {
    prefetch_ahead(w);
    const float dw = fp16_at(w);
    const __m256i wq = load32(w + 2);
#pragma GCC unroll 8
    for (int p = 0; p < P; ++p) {
      const std::int64_t xb = p * x_stride + b;
      const __m256i dot = dot_signed<D>(wq, load32(x.q + xb * kActivationBlock));
      acc[p] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), _mm256_set1_ps(dw * x.d[xb]), acc[p]);
    }
  }
}

template <class D, int P>
void q4_0_row(const std::byte* w, std::int64_t blocks, const QuantizedActivations& x, std::int64_t x_stride,
              __m256* acc) {
  const __m256i low = _mm256_set1_epi8(15), eight = _mm256_set1_epi8(8);
  for (std::int64_t b = 0; b < blocks; ++b, w += 18) {
    prefetch_ahead(w);
    const float dw = fp16_at(w);
    const __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + 2));
    // Low nibbles are elements 0…15, high nibbles 16…31.
    const __m256i both = _mm256_inserti128_si256(_mm256_castsi128_si256(packed), _mm_srli_epi16(packed, 4), 1);
    const __m256i wq = _mm256_sub_epi8(_mm256_and_si256(both, low), eight);
#pragma GCC unroll 8
    for (int p = 0; p < P; ++p) {
      const std::int64_t xb = p * x_stride + b;
      const __m256i dot = dot_signed<D>(wq, load32(x.q + xb * kActivationBlock));
      acc[p] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), _mm256_set1_ps(dw * x.d[xb]), acc[p]);
    }
  }
}

template <class D, int P>
void q4_k_row(const std::byte* w, std::int64_t blocks, const QuantizedActivations& x, std::int64_t x_stride,
              __m256* acc) {
  const __m256i low = _mm256_set1_epi8(15);
  for (std::int64_t b = 0; b < blocks; ++b, w += 144) {
    prefetch_ahead(w);
    const float d = fp16_at(w), dmin = fp16_at(w + 2);
    int scales[8], mins[8];
    for (int s = 0; s < 8; ++s) q4_k_scale_min(w + 4, s, scales[s], mins[s]);
    // dmin·min_s against the sum of each dequantized activation sub-block, all 8 in one vector.
    const __m256 minimum = _mm256_mul_ps(_mm256_set1_ps(dmin), _mm256_cvtepi32_ps(load32(mins)));
    for (int pair = 0; pair < 4; ++pair) {
      const __m256i bytes = load32(w + 16 + 32 * pair);
      const __m256i nibbles[2] = {_mm256_and_si256(bytes, low), _mm256_and_si256(_mm256_srli_epi16(bytes, 4), low)};
#pragma GCC unroll 2
      for (int half = 0; half < 2; ++half) {
        const int s = 2 * pair + half;
        const float ds = d * static_cast<float>(scales[s]);
#pragma GCC unroll 8
        for (int p = 0; p < P; ++p) {
          const std::int64_t xb = (p * x_stride + b) * 8 + s;
          const __m256i dot = D::dot(nibbles[half], load32(x.q + xb * kActivationBlock));
          acc[p] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), _mm256_set1_ps(ds * x.d[xb]), acc[p]);
        }
      }
    }
#pragma GCC unroll 8
    for (int p = 0; p < P; ++p)
      acc[p] = _mm256_fnmadd_ps(minimum, _mm256_loadu_ps(x.s + (p * x_stride + b) * 8), acc[p]);
  }
}

template <class D, int P>
void q6_k_row(const std::byte* w, std::int64_t blocks, const QuantizedActivations& x, std::int64_t x_stride,
              __m256* acc) {
  const __m256i low = _mm256_set1_epi8(15), two_bits = _mm256_set1_epi8(3), offset = _mm256_set1_epi8(32);
  for (std::int64_t b = 0; b < blocks; ++b, w += 210) {
    prefetch_ahead(w);
    const float d = fp16_at(w + 208);
    for (int half = 0; half < 2; ++half) {
      const std::byte* ql = w + 64 * half;
      const __m256i high = load32(w + 128 + 32 * half);
      const __m256i ql_a = load32(ql), ql_b = load32(ql + 32);
      const auto* sc = reinterpret_cast<const std::int8_t*>(w + 192 + 8 * half);
#pragma GCC unroll 8
      for (int g = 0; g < 4; ++g) {
        // Elements 128·half + 32·g …: 4 low bits from ql (nibble g / 2 of bytes 32·(g % 2) …), 2 high
        // bits from qh (bits 2g, 2g + 1), minus 32.
        const __m256i lows = (g & 1) ? ql_b : ql_a;
        const __m256i low_bits =
            g < 2 ? _mm256_and_si256(lows, low) : _mm256_and_si256(_mm256_srli_epi16(lows, 4), low);
        const __m256i high_bits =
            _mm256_slli_epi16(_mm256_and_si256(_mm256_srl_epi16(high, _mm_cvtsi32_si128(2 * g)), two_bits), 4);
        const __m256i wq = _mm256_sub_epi8(_mm256_or_si256(low_bits, high_bits), offset);
        // Lanes 0–3 are elements 0–15 (scale 2g), lanes 4–7 elements 16–31 (scale 2g + 1).
        const __m256i scale = _mm256_setr_epi32(sc[2 * g], sc[2 * g], sc[2 * g], sc[2 * g], sc[2 * g + 1],
                                                sc[2 * g + 1], sc[2 * g + 1], sc[2 * g + 1]);
#pragma GCC unroll 8
        for (int p = 0; p < P; ++p) {
          const std::int64_t xb = (p * x_stride + b) * 8 + 4 * half + g;
          const __m256i dot = _mm256_mullo_epi32(dot_signed<D>(wq, load32(x.q + xb * kActivationBlock)), scale);
          acc[p] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), _mm256_set1_ps(d * x.d[xb]), acc[p]);
        }
      }
    }
  }
}

template <class D, int P>
void integer_row(DType dtype, const std::byte* w, std::int64_t cols, const QuantizedActivations& x,
                 std::int64_t x_stride, __m256* acc) {
  switch (dtype) {
    case DType::q8_0: q8_0_row<D, P>(w, cols / 32, x, x_stride, acc); return;
    case DType::q4_0: q4_0_row<D, P>(w, cols / 32, x, x_stride, acc); return;
    case DType::q4_k: q4_k_row<D, P>(w, cols / 256, x, x_stride / 8, acc); return;
    case DType::q6_k: q6_k_row<D, P>(w, cols / 256, x, x_stride / 8, acc); return;
    default: return;
  }
}

inline bool integer_dot_reads(DType dtype) {
  return dtype == DType::q8_0 || dtype == DType::q4_0 || dtype == DType::q4_k || dtype == DType::q6_k;
}

using IntegerRow = void (*)(DType, const std::byte*, std::int64_t, const QuantizedActivations&, std::int64_t, __m256*);

// integer_row<D, P> for P = 1 … sizeof...(Index) (a plain array: std::array<IntegerRow> would drop
// __m256's alignment attribute from its template argument).
template <class D, std::size_t... Index>
struct IntegerRows {
  static constexpr IntegerRow table[] = {&integer_row<D, static_cast<int>(Index) + 1>...};
};
template <class D, std::size_t... Index>
constexpr const IntegerRow* integer_rows(std::index_sequence<Index...>) {
  return IntegerRows<D, Index...>::table;
}

// matmul_rows for a weight integer_dot_reads(); same contract as simd_matmul_rows. Positions go
// through each weight row D::kPositions at a time (one accumulator each), so a decoded weight block
// serves them all.
template <class D>
void integer_matmul_rows(const WeightView& weight, const float* x, std::int64_t positions, float* y,
                         std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end) {
  constexpr int P = D::kPositions;
  static constexpr const IntegerRow* rows_for = integer_rows<D>(std::make_index_sequence<P>());
  const std::int64_t cols = weight.cols;
  const std::int64_t blocks = cols / kActivationBlock;  // per position
  const auto total_blocks = static_cast<std::size_t>(positions * blocks);
  // Slot 0: the int8 activations (as floats, 4 bytes each); slot 1: their scales and block sums.
  auto* q = reinterpret_cast<std::int8_t*>(D::scratch(0, total_blocks * kActivationBlock / 4));
  float* scales = D::scratch(1, 2 * total_blocks);
  quantize_activations(x, positions, cols, q, scales, scales + total_blocks);
  for (std::int64_t o = row_begin; o < row_end; ++o) {
    const std::byte* row = weight.row(o);
    for (std::int64_t t0 = 0; t0 < positions; t0 += P) {
      const int count = static_cast<int>(std::min<std::int64_t>(P, positions - t0));
      const QuantizedActivations xt{q + t0 * cols, scales + t0 * blocks, scales + total_blocks + t0 * blocks};
      __m256 acc[P];
      for (__m256& a : acc) a = _mm256_setzero_ps();
      rows_for[count - 1](weight.dtype, row, cols, xt, blocks, acc);
      for (int p = 0; p < count; ++p) y[(t0 + p) * rows_total + o] = reduce8(acc[p]);
    }
  }
}
