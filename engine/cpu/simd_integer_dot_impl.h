// The integer matrix product for ggml-quantized weights (Q8_0, Q4_0, Q4_K, Q6_K) on 256-bit vectors
// (vpmaddubsw + vpmaddwd: the avx2 table, and the avx512 table on CPUs without VNNI; with VNNI it
// uses the 512-bit product of avx512_vnni_kernels.cpp), compiled once per instruction set like
// simd_kernels_impl.h: the including file includes it inside its target region and anonymous
// namespace, after defining V (whose scratch(slot, count) it uses). It includes nothing itself.
//
// Each position's activations are quantized on the fly in blocks of 32 (d = max|x|/127,
// q = round(x/d), as ggml's Q8_0), so every weight block meets an int8 block and its dot product is
// exact in int32. Floats carry only the per-block scales: y = Σ_blocks (d_w·d_x)·Σ q_w·q_x (Q4_K also
// subtracts its per-sub-block minimum against the block sum of the quantized x). The result is
// exactly Σ_i W[o][i]·x̂[i] (up to f32 rounding of the scale products) with |x̂ − x| ≤ d_x/2.
//
// A row is read in groups of 8 activation blocks (one K-quant block, or 8 blocks of Q8_0 / Q4_0).
// A group's 8 exact block sums are gathered into one vector (lane j = block j, integer additions,
// so in any order) before any float work; then one float step per group and position:
// acc = fma(float(S), d_w·d_x, acc) lane-wise (Q4_K then acc −= (dmin·min)·(d_x·Σq_x)). Before, every
// block's 8 partial sums were converted and scaled on their own: three float steps per block instead
// of about one integer step. Every (row, position) accumulates its groups in order in one 8-lane
// vector, reduced once; each position's activations are quantized alone. So the result does not
// depend on the thread split or on how many positions one call carries (decode and prefill agree).

constexpr std::int64_t kActivationBlock = 32;
constexpr int kGroupBlocks = 8;

// x[t] quantized: q (int8, cols per position), d (one scale per block), s = d·Σq per block (the
// sum of the dequantized block, for Q4_K's minimum) and sum = Σq per block (an integer of at most
// 32·127, exact in f32; Q4_0's offset of 8).
struct QuantizedActivations {
  const std::int8_t* q;
  const float* d;
  const float* s;
  const float* sum;
};

inline void quantize_activations(const float* x, std::int64_t positions, std::int64_t cols, std::int8_t* q, float* d,
                                 float* s, float* sums) {
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
    const auto total = static_cast<float>(_mm_cvtsi128_si32(s4));
    d[b] = scale;
    s[b] = scale * total;
    sums[b] = total;
  }
}

// Weight rows are fetched this far ahead of the group being read: with many instructions per
// weight byte the out-of-order window alone keeps too few cache-line fetches in flight for decode
// to reach the memory bandwidth (prefetching doubled the decode rate of Q8_0 weights).
constexpr std::int64_t kPrefetchBytes = 4096;
inline void prefetch_group(const std::byte* w, std::int64_t bytes) {
  for (std::int64_t at = 0; at < bytes; at += 64)
    _mm_prefetch(reinterpret_cast<const char*>(w) + kPrefetchBytes + at, _MM_HINT_T0);
}

inline __m256i load32(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
inline std::uint16_t u16_at(const std::byte* p) {
  std::uint16_t bits;
  std::memcpy(&bits, p, 2);
  return bits;
}
inline float fp16_at(const std::byte* p) { return _cvtsh_ss(u16_at(p)); }

// The first n lanes all ones (n = 0 … 8).
inline __m256i first_lanes_i(int n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
// 8 floats, lanes from n on zero (and not read: a group's scales may end the buffer).
inline __m256 load_group(const float* p, int n) {
  return n == kGroupBlocks ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, first_lanes_i(n));
}

// The f16 scales of n blocks `stride` bytes apart, one per lane (lanes from n on zero).
inline __m256 block_scales(const std::byte* first, std::int64_t stride, int n) {
  alignas(16) std::uint16_t bits[kGroupBlocks] = {};
  for (int j = 0; j < n; ++j) bits[j] = u16_at(first + j * stride);
  return _mm256_cvtph_ps(_mm_load_si128(reinterpret_cast<const __m128i*>(bits)));
}

// Lane j = the sum of v[j]'s 8 lanes (exact: integers, so any order of additions gives the same
// totals). vphaddd issues only every other cycle on a Zen 3, but unpacks and adds instead measured
// no faster over all (decode 1.05×, prefill 0.94×).
inline __m256i lane_totals(const __m256i v[kGroupBlocks]) {
  // Within each 128-bit half: [Σ v0 pairs, Σ v1 pairs, …], then quarters of four vectors.
  const __m256i h0123 = _mm256_hadd_epi32(_mm256_hadd_epi32(v[0], v[1]), _mm256_hadd_epi32(v[2], v[3]));
  const __m256i h4567 = _mm256_hadd_epi32(_mm256_hadd_epi32(v[4], v[5]), _mm256_hadd_epi32(v[6], v[7]));
  // h0123 = [v0..v3 low halves | v0..v3 high halves]; add the halves, v4..v7 into the upper lanes.
  return _mm256_add_epi32(_mm256_permute2x128_si256(h0123, h4567, 0x20), _mm256_permute2x128_si256(h0123, h4567, 0x31));
}

inline float reduce8(__m256 v) {
  __m128 q = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  q = _mm_add_ps(q, _mm_movehl_ps(q, q));
  q = _mm_add_ss(q, _mm_movehdup_ps(q));
  return _mm_cvtss_f32(q);
}

// Weight decoders. A row is read in groups of 8 activation blocks (32 values each); a decoder gives
//   Operand operand(w, j): block j of the group at w, ready for the product (read from w on its own,
//     or from a load the compiler shares with its neighbours);
//   Scales scales(w, n): the group's float factors (n ≤ 8 blocks, lanes from n on zero);
//   block_sum(operand, x): the block's 8 exact int32 partial sums against an int8 block of x;
//   scale(scales, totals, x, block, n, acc): acc after the group, from its 8 block totals.
// Prefill decodes a group once into a Group and takes it to every position; decode reads each
// operand where it is used, so nothing goes through memory.

// 8 int32 lanes, lane i = Σ_{j<2} pair_weights[2i+j] · (u[4i+2j]·s[4i+2j] + u[4i+2j+1]·s[4i+2j+1]):
// u unsigned bytes, s signed bytes, pair_weights int16. vpmaddubsw saturates its int16 pairs; every
// caller keeps |u|·|s| ≤ 128·127 per product, below that.
[[gnu::always_inline]] inline __m256i madd_dot(__m256i u, __m256i s, __m256i pair_weights) {
  return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), pair_weights);
}

// Signed weights against signed activations through the unsigned × signed product:
// |w| · (x with w's sign); |w| ≤ 128 and |x| ≤ 127 keep vpmaddubsw's int16 pairs from saturating.
struct SignedOperand {
  __m256i magnitude, sign;
};
[[gnu::always_inline]] inline SignedOperand signed_operand(__m256i w) { return {_mm256_abs_epi8(w), w}; }
[[gnu::always_inline]] inline __m256i signed_dot(const SignedOperand& w, __m256i x, __m256i pair_weights) {
  return madd_dot(w.magnitude, _mm256_sign_epi8(x, w.sign), pair_weights);
}

inline __m256i ones16() { return _mm256_set1_epi16(1); }

// Q8_0 and Q4_0: blocks of 32 values, each led by its f16 scale d.
template <std::int64_t BlockBytes>
struct ScaledBlocks {
  static constexpr std::int64_t kBlockBytes = BlockBytes;
  static constexpr std::int64_t kGroupBytes = kGroupBlocks * kBlockBytes;
  struct Scales {
    __m256 d;
  };
  [[gnu::always_inline]] static Scales scales(const std::byte* w, int n) { return {block_scales(w, kBlockBytes, n)}; }
};

// Q8_0 {half d; int8 q[32]}.
struct Q8_0Weights : ScaledBlocks<34> {
  using Operand = SignedOperand;
  [[gnu::always_inline]] static Operand operand(const std::byte* w, int j) {
    return signed_operand(load32(w + j * kBlockBytes + 2));
  }
  [[gnu::always_inline]] static __m256i block_sum(const Operand& w, __m256i x) { return signed_dot(w, x, ones16()); }
  [[gnu::always_inline]] static __m256 scale(const Scales& w, __m256i totals, const QuantizedActivations& x,
                                             std::int64_t block, int n, __m256 acc) {
    return _mm256_fmadd_ps(_mm256_cvtepi32_ps(totals), _mm256_mul_ps(w.d, load_group(x.d + block, n)), acc);
  }
};

// Q4_0 {half d; uint8 qs[16]}: w = d·(nibble − 8). The nibbles (0…15) go in unsigned and the 8
// comes off the block total: S = Σ nibble·q_x − 8·Σq_x, exact (|S| < 2^24, so also in f32).
struct Q4_0Weights : ScaledBlocks<18> {
  using Operand = __m256i;
  [[gnu::always_inline]] static Operand operand(const std::byte* w, int j) {
    const __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + j * kBlockBytes + 2));
    // Low nibbles are elements 0…15, high nibbles 16…31.
    const __m256i both = _mm256_inserti128_si256(_mm256_castsi128_si256(packed), _mm_srli_epi16(packed, 4), 1);
    return _mm256_and_si256(both, _mm256_set1_epi8(15));
  }
  [[gnu::always_inline]] static __m256i block_sum(const Operand& w, __m256i x) { return madd_dot(w, x, ones16()); }
  [[gnu::always_inline]] static __m256 scale(const Scales& w, __m256i totals, const QuantizedActivations& x,
                                             std::int64_t block, int n, __m256 acc) {
    const __m256 offset_totals =
        _mm256_fnmadd_ps(_mm256_set1_ps(8.0f), load_group(x.sum + block, n), _mm256_cvtepi32_ps(totals));
    return _mm256_fmadd_ps(offset_totals, _mm256_mul_ps(w.d, load_group(x.d + block, n)), acc);
  }
};

// Q4_K {half d; half dmin; uint8 scales[12]; uint8 qs[128]}: w = (d·scale_s)·nibble − dmin·min_s for
// sub-block s of 32 (one activation block each).
struct Q4_KWeights {
  static constexpr std::int64_t kGroupBytes = 144;
  using Operand = __m256i;
  struct Scales {
    __m256 scale, minimum;
  };
  [[gnu::always_inline]] static Operand operand(const std::byte* w, int j) {
    // Bytes 16 + 32·(j / 2) …: sub-block j in the low nibbles for even j, the high ones for odd j.
    const __m256i bytes = load32(w + 16 + 32 * (j / 2));
    return _mm256_and_si256(j % 2 == 0 ? bytes : _mm256_srli_epi16(bytes, 4), _mm256_set1_epi8(15));
  }
  // The 8 six-bit scales and mins packed in bytes 4–15: for j < 4, scale j is the low 6 bits of byte
  // 4 + j and min j of byte 8 + j; for j ≥ 4, the low (scale) or high (min) nibble of byte 8 + j gives
  // bits 0–3 and the top 2 bits of byte j (scale) or j + 4 (min) bits 4–5. All 16 bytes in one
  // vector: [scale 0–7 | min 0–7] from two byte shuffles, masks and shifts.
  [[gnu::always_inline]] static Scales scales(const std::byte* w, int /*n: always 8*/) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w));
    constexpr char z = -128;  // a shuffle index that gives 0
    // Lanes: scale 0–3, scale 4–7, min 0–3, min 4–7 low bits come from these bytes …
    const __m128i low_bytes =
        _mm_shuffle_epi8(v, _mm_setr_epi8(4, 5, 6, 7, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15));
    // … (min 4–7: their high nibbles) …
    const __m128i low = _mm_blend_epi32(low_bytes, _mm_srli_epi16(low_bytes, 4), 0b1000);
    const __m128i low_bits =
        _mm_and_si128(low, _mm_setr_epi8(63, 63, 63, 63, 15, 15, 15, 15, 63, 63, 63, 63, 15, 15, 15, 15));
    // … and scale 4–7, min 4–7 take bits 4–5 from the top 2 bits of these.
    const __m128i top_bytes = _mm_shuffle_epi8(v, _mm_setr_epi8(z, z, z, z, 4, 5, 6, 7, z, z, z, z, 8, 9, 10, 11));
    const __m128i both = _mm_or_si128(low_bits, _mm_and_si128(_mm_srli_epi16(top_bytes, 2), _mm_set1_epi8(0x30)));
    const __m128 d_dmin = _mm_cvtph_ps(v);  // lanes 0, 1: d, dmin
    const __m256 scale = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(both));
    const __m256 minimum = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_unpackhi_epi64(both, both)));
    return {_mm256_mul_ps(_mm256_broadcastss_ps(d_dmin), scale),
            _mm256_mul_ps(_mm256_broadcastss_ps(_mm_movehdup_ps(d_dmin)), minimum)};
  }
  [[gnu::always_inline]] static __m256i block_sum(const Operand& w, __m256i x) { return madd_dot(w, x, ones16()); }
  [[gnu::always_inline]] static __m256 scale(const Scales& w, __m256i totals, const QuantizedActivations& x,
                                             std::int64_t block, int, __m256 acc) {
    acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(totals), _mm256_mul_ps(w.scale, _mm256_loadu_ps(x.d + block)), acc);
    return _mm256_fnmadd_ps(w.minimum, _mm256_loadu_ps(x.s + block), acc);
  }
};

// Q6_K {uint8 ql[128]; uint8 qh[64]; int8 scales[16]; half d}: w = d·scale_s·(q − 32) for sub-block s
// of 16; an activation block of 32 spans two, whose scales weight its halves' pair sums in vpmaddwd.
struct Q6_KWeights {
  static constexpr std::int64_t kGroupBytes = 210;
  struct Operand {
    SignedOperand q;
    __m256i scales;  // int16: the first 16 values' scale in the low half, the next 16's in the high
  };
  struct Scales {
    __m256 d;
  };
  [[gnu::always_inline]] static Operand operand(const std::byte* w, int j) {
    // Elements 32·j …, j = 4·half + k: 4 low bits from ql (nibble k / 2 of bytes 64·half + 32·(k % 2)
    // …), 2 high bits from qh (bits 2k, 2k + 1 of bytes 128 + 32·half …), minus 32.
    const int half = j / 4, k = j % 4;
    const __m256i lows = load32(w + 64 * half + 32 * (k % 2));
    const __m256i low_bits = _mm256_and_si256(k < 2 ? lows : _mm256_srli_epi16(lows, 4), _mm256_set1_epi8(15));
    const __m256i high_bits = _mm256_slli_epi16(
        _mm256_and_si256(_mm256_srli_epi16(load32(w + 128 + 32 * half), 2 * k), _mm256_set1_epi8(3)), 4);
    const __m256i q = _mm256_sub_epi8(_mm256_or_si256(low_bits, high_bits), _mm256_set1_epi8(32));
    const auto* sc = reinterpret_cast<const std::int8_t*>(w + 192 + 2 * j);
    return {signed_operand(q), _mm256_setr_m128i(_mm_set1_epi16(sc[0]), _mm_set1_epi16(sc[1]))};
  }
  [[gnu::always_inline]] static Scales scales(const std::byte* w, int /*n: always 8*/) {
    return {_mm256_set1_ps(fp16_at(w + 208))};
  }
  [[gnu::always_inline]] static __m256i block_sum(const Operand& w, __m256i x) { return signed_dot(w.q, x, w.scales); }
  [[gnu::always_inline]] static __m256 scale(const Scales& w, __m256i totals, const QuantizedActivations& x,
                                             std::int64_t block, int, __m256 acc) {
    return _mm256_fmadd_ps(_mm256_cvtepi32_ps(totals), _mm256_mul_ps(w.d, _mm256_loadu_ps(x.d + block)), acc);
  }
};

// A group decoded once, for prefill.
template <class W>
struct Group {
  typename W::Operand operands[kGroupBlocks];
  typename W::Scales scales;
};
template <class W>
[[gnu::always_inline]] inline Group<W> decode_group(const std::byte* w, int n) {
  Group<W> group;
  for (int j = 0; j < n; ++j) group.operands[j] = W::operand(w, j);
  group.scales = W::scales(w, n);
  return group;
}

// acc += a group of n blocks (Full: n = 8) from activation block `block` of position x. The operands
// come from `operand(j)`: a decoded Group's, or read from the weights on the spot. Inlined by force:
// as a call, the block count was tested per block and the constants were rebuilt per call.
template <class W, bool Full, class OperandOf>
[[gnu::always_inline]] inline __m256 group_product(OperandOf operand, const typename W::Scales& scales,
                                                   const QuantizedActivations& x, std::int64_t block, int n,
                                                   __m256 acc) {
  if constexpr (Full) n = kGroupBlocks;
  __m256i sums[kGroupBlocks];
#pragma GCC unroll 8
  for (int j = 0; j < kGroupBlocks; ++j)
    sums[j] = j < n ? W::block_sum(operand(j), load32(x.q + (block + j) * kActivationBlock)) : _mm256_setzero_si256();
  return W::scale(scales, lane_totals(sums), x, block, n, acc);
}

// The positions [0, count) of x, each `blocks` activation blocks, against one decoded group;
// their accumulators wait in acc (8 floats each) between groups.
template <class W, bool Full>
void group_positions(const Group<W>& group, const QuantizedActivations& x, std::int64_t count, std::int64_t blocks,
                     std::int64_t block, int n, float* acc) {
  const auto operand = [&](int j) -> const typename W::Operand& { return group.operands[j]; };
  for (std::int64_t t = 0; t < count; ++t) {
    const QuantizedActivations xt{x.q + t * blocks * kActivationBlock, x.d + t * blocks, x.s + t * blocks,
                                  x.sum + t * blocks};
    _mm256_store_ps(acc + 8 * t,
                    group_product<W, Full>(operand, group.scales, xt, block, n, _mm256_load_ps(acc + 8 * t)));
  }
}

// One position: each block's operand is read where it is used.
template <class W, bool Full>
[[gnu::always_inline]] inline __m256 group_streamed(const std::byte* w, const QuantizedActivations& x,
                                                    std::int64_t block, int n, __m256 acc) {
  const auto operand = [w](int j) { return W::operand(w, j); };
  return group_product<W, Full>(operand, W::scales(w, n), x, block, n, acc);
}

// Rows [row_begin, row_end) against `positions` positions of x (each `blocks` activation blocks):
// per row, each group is decoded once and meets every position.
template <class W>
void integer_rows(const WeightView& weight, const QuantizedActivations& x, std::int64_t positions, float* y,
                  std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end, float* acc) {
  const std::int64_t blocks = weight.cols / kActivationBlock;
  const std::int64_t full_groups = blocks / kGroupBlocks;
  const int tail = static_cast<int>(blocks - full_groups * kGroupBlocks);
  for (std::int64_t o = row_begin; o < row_end; ++o) {
    const std::byte* row = weight.row(o);
    if (positions == 1) {  // decode: the operands and the accumulator stay in registers
      __m256 sum = _mm256_setzero_ps();
      for (std::int64_t g = 0; g < full_groups; ++g) {
        prefetch_group(row + g * W::kGroupBytes, W::kGroupBytes);
        sum = group_streamed<W, true>(row + g * W::kGroupBytes, x, g * kGroupBlocks, kGroupBlocks, sum);
      }
      if (tail > 0)
        sum = group_streamed<W, false>(row + full_groups * W::kGroupBytes, x, full_groups * kGroupBlocks, tail, sum);
      y[o] = reduce8(sum);
      continue;
    }
    for (std::int64_t t = 0; t < positions; ++t) _mm256_store_ps(acc + 8 * t, _mm256_setzero_ps());
    for (std::int64_t g = 0; g < full_groups; ++g)
      group_positions<W, true>(decode_group<W>(row + g * W::kGroupBytes, kGroupBlocks), x, positions, blocks,
                               g * kGroupBlocks, kGroupBlocks, acc);
    if (tail > 0)
      group_positions<W, false>(decode_group<W>(row + full_groups * W::kGroupBytes, tail), x, positions, blocks,
                                full_groups * kGroupBlocks, tail, acc);
    for (std::int64_t t = 0; t < positions; ++t) y[t * rows_total + o] = reduce8(_mm256_load_ps(acc + 8 * t));
  }
}

inline bool integer_dot_reads(DType dtype) {
  return dtype == DType::q8_0 || dtype == DType::q4_0 || dtype == DType::q4_k || dtype == DType::q6_k;
}

// matmul_rows for a weight integer_dot_reads(); same contract as simd_matmul_rows. Positions go in
// blocks whose quantized activations stay in L2 while every row of the thread passes over them.
template <class V>
void integer_matmul_rows(const WeightView& weight, const float* x, std::int64_t positions, float* y,
                         std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end) {
  const std::int64_t cols = weight.cols;
  const std::int64_t blocks = cols / kActivationBlock;  // per position
  const auto total_blocks = static_cast<std::size_t>(positions * blocks);
  // Slot 0: the int8 activations (as floats, 4 bytes each); slot 1: their scales, scaled sums and
  // sums; slot 2: the accumulators.
  auto* q = reinterpret_cast<std::int8_t*>(V::scratch(0, total_blocks * kActivationBlock / 4));
  float* scales = V::scratch(1, 3 * total_blocks);
  quantize_activations(x, positions, cols, q, scales, scales + total_blocks, scales + 2 * total_blocks);
  // Per position: cols bytes of q and 3 floats per block.
  const std::int64_t position_bytes = cols + blocks * 3 * static_cast<std::int64_t>(sizeof(float));
  const std::int64_t block = std::clamp<std::int64_t>(kPositionBlockBytes / position_bytes, 1, positions);
  float* acc = V::scratch(2, static_cast<std::size_t>(8 * block));
  for (std::int64_t t0 = 0; t0 < positions; t0 += block) {
    const QuantizedActivations xt{q + t0 * cols, scales + t0 * blocks, scales + total_blocks + t0 * blocks,
                                  scales + 2 * total_blocks + t0 * blocks};
    const std::int64_t count = std::min(block, positions - t0);
    float* yt = y + t0 * rows_total;
    switch (weight.dtype) {
      case DType::q8_0: integer_rows<Q8_0Weights>(weight, xt, count, yt, rows_total, row_begin, row_end, acc); break;
      case DType::q4_0: integer_rows<Q4_0Weights>(weight, xt, count, yt, rows_total, row_begin, row_end, acc); break;
      case DType::q4_k: integer_rows<Q4_KWeights>(weight, xt, count, yt, rows_total, row_begin, row_end, acc); break;
      case DType::q6_k: integer_rows<Q6_KWeights>(weight, xt, count, yt, rows_total, row_begin, row_end, acc); break;
      default: return;
    }
  }
}
