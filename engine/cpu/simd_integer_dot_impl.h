// The integer matrix product for ggml-quantized weights (Q8_0, Q4_0, Q6_K here; Q4_K in
// simd_q4_k_dot_impl.h, which uses the helpers below and is included after this file) on 256-bit
// vectors (vpmaddubsw + vpmaddwd: the avx2 table, and the avx512 table on CPUs without VNNI; with VNNI
// it uses the 512-bit product of avx512_vnni_kernels.cpp), compiled once per instruction set like
// simd_kernels_impl.h: the including file includes it inside its target region and anonymous
// namespace, after defining V (whose scratch(slot, count) it uses). It includes nothing itself.
//
// Each position's activations are quantized on the fly in blocks of 32 (d = max|x|/127,
// q = round(x/d), as ggml's Q8_0), so every weight block meets an int8 block and its dot product is
// exact in int32. Floats carry only the per-block scales: y = Σ_blocks (d_w·d_x)·Σ q_w·q_x. The
// result is exactly Σ_i W[o][i]·x̂[i] (up to f32 rounding of the scale products) with |x̂ − x| ≤ d_x/2.
//
// Rows go in tiles of 8, one row per lane of the float accumulator, and every float step is
// lane-wise and per block, in block order: acc = fma(float(S), d_w·d_x, acc) with S the block's exact
// int32 total. So lane r sees only row r's blocks, always in the same order, and the integer totals
// are exact in any order of additions: the result does not depend on the thread split, on how many
// positions one call carries (decode and prefill agree), or on which of the ways below found S.
// - Decode reads each row of a tile in order, in groups of 8 activation blocks (one Q6_K block,
//   or 8 blocks of Q8_0 / Q4_0), operands read where they are used. A group's 8 block totals are
//   gathered into one vector (lane j = block j); the tile's are then transposed, 8 × 8, to one row
//   per lane. (Reading the 8 rows side by side instead, so that one gather gave a row per lane,
//   read weights from memory at 0.5–0.75× the rate, even with the next tile prefetched.)
// - Rows shorter than a group (under 8 blocks of Q8_0 / Q4_0) are decoded 8 side by side instead,
//   their block totals gathered straight into one row per lane (decode_short_tile).
// - Prefill decodes a group of the tile once, transposed in 4-byte steps (step k of block j: values
//   4k … 4k + 3 of every row's block j), and takes it to every position: each step meets 4 activations
//   broadcast to all lanes, so the lanes add up to the rows' totals with no horizontal sums at all
//   (those had cost as much as the products), 4 positions at a time. Before, prefill reduced every
//   block's partial sums across lanes per position: 0.4 of the f32 FMA peak on a Zen 3, now 0.6–0.7.

constexpr std::int64_t kActivationBlock = 32;
constexpr int kGroupBlocks = 8;

// x[t] quantized: q (int8, cols per position), d (one scale per block) and sum = Σq per block (an
// integer of at most 32·127, exact in f32; Q4_0's offset of 8).
struct QuantizedActivations {
  const std::int8_t* q;
  const float* d;
  const float* sum;
  // One-position Q6_K products only (else null): per block, vpmaddubsw(32, q)'s 16 int16 pair sums
  // (32·(q[2i] + q[2i + 1])), which depend on x alone (q6_k_group_totals).
  const __m256i* q6_k_offsets = nullptr;
};

// max|x| over 32 values.
inline float block_abs_max(const float* in) {
  const __m256 sign_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  __m256 amax = _mm256_setzero_ps();
  for (int i = 0; i < 4; ++i) amax = _mm256_max_ps(amax, _mm256_and_ps(_mm256_loadu_ps(in + 8 * i), sign_mask));
  __m128 m = _mm_max_ps(_mm256_castps256_ps128(amax), _mm256_extractf128_ps(amax, 1));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  m = _mm_max_ss(m, _mm_movehdup_ps(m));
  return _mm_cvtss_f32(m);
}

// q[i] = round(in[i]·inverse) for 32 values (the caller keeps |in·inverse| below 127.5); returns Σq.
inline std::int32_t quantize_block(const float* in, float inverse, std::int8_t* q) {
  const __m256 factor = _mm256_set1_ps(inverse);
  __m256i sum = _mm256_setzero_si256();
  __m256i words[4];
  for (int i = 0; i < 4; ++i) {
    words[i] = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(in + 8 * i), factor));  // nearest
    sum = _mm256_add_epi32(sum, words[i]);
  }
  // int32 → int8 in element order (packs interleave 128-bit lanes; the permute undoes it).
  const __m256i packed16_a = _mm256_packs_epi32(words[0], words[1]);
  const __m256i packed16_b = _mm256_packs_epi32(words[2], words[3]);
  const __m256i packed8 = _mm256_packs_epi16(packed16_a, packed16_b);
  const __m256i ordered = _mm256_permutevar8x32_epi32(packed8, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(q), ordered);
  __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
  s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0x4e));
  s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0xb1));
  return _mm_cvtsi128_si32(s4);
}

inline void quantize_activations(const float* x, std::int64_t positions, std::int64_t cols, std::int8_t* q, float* d,
                                 float* sums) {
  const std::int64_t blocks = positions * cols / kActivationBlock;
  for (std::int64_t b = 0; b < blocks; ++b) {
    const float* in = x + b * kActivationBlock;
    const float block_max = block_abs_max(in);
    d[b] = block_max / 127.0f;
    sums[b] =
        static_cast<float>(quantize_block(in, block_max > 0.0f ? 127.0f / block_max : 0.0f, q + b * kActivationBlock));
  }
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
// The f16 scales of n blocks `stride` bytes apart, one per lane (lanes from n on zero).
inline __m256 block_scales(const std::byte* first, std::int64_t stride, int n) {
  alignas(16) std::uint16_t bits[kGroupBlocks] = {};
  for (int j = 0; j < n; ++j) bits[j] = u16_at(first + j * stride);
  return _mm256_cvtph_ps(_mm_load_si128(reinterpret_cast<const __m128i*>(bits)));
}

// Lane j = the sum of v[j]'s 8 int32 lanes (exact: integers, so any order of additions gives the
// same totals). Unpacks and adds rather than vphaddd, which issues only every other cycle on a Zen 3.
// Narrow: v holds 16 int16 lanes each (vpmaddubsw's pair sums), added as int16 through the same
// tree and widened by one vpmaddwd at the end, which saves the 8 per-vector vpmaddwd; the caller
// keeps 8 of its lanes' sums within int16.
template <bool Narrow>
[[gnu::always_inline]] inline __m256i add_lanes(__m256i a, __m256i b) {
  return Narrow ? _mm256_add_epi16(a, b) : _mm256_add_epi32(a, b);
}
// The first two levels of that tree: per 128-bit half h, lane i of quads[0] (i < 4 in the half) = the
// sum of v[i]'s 4 lanes in half h, and of quads[1] the same for v[4 + i].
template <bool Narrow = false>
[[gnu::always_inline]] inline void half_totals(const __m256i v[kGroupBlocks], __m256i quads[2]) {
  constexpr auto add = add_lanes<Narrow>;
  __m256i pairs[4];
#pragma GCC unroll 4
  for (int i = 0; i < 4; ++i)  // [v2i, v2i+1] interleaved, half-summed: lanes 2i, 2i + 1 of each quarter
    pairs[i] = add(_mm256_unpacklo_epi32(v[2 * i], v[2 * i + 1]), _mm256_unpackhi_epi32(v[2 * i], v[2 * i + 1]));
#pragma GCC unroll 2
  for (int i = 0; i < 2; ++i)  // each 128-bit half: partial totals of v4i … v4i+3
    quads[i] = add(_mm256_unpacklo_epi64(pairs[2 * i], pairs[2 * i + 1]),
                   _mm256_unpackhi_epi64(pairs[2 * i], pairs[2 * i + 1]));
}
template <bool Narrow = false>
inline __m256i lane_totals(const __m256i v[kGroupBlocks]) {
  __m256i quads[2];
  half_totals<Narrow>(v, quads);
  const __m256i totals = add_lanes<Narrow>(_mm256_permute2x128_si256(quads[0], quads[1], 0x20),
                                           _mm256_permute2x128_si256(quads[0], quads[1], 0x31));
  return Narrow ? _mm256_madd_epi16(totals, _mm256_set1_epi16(1)) : totals;
}

// Weight decoders. A row is read in groups of 8 activation blocks (32 values each); a decoder gives
//   Operand operand(w, j): block j of the group at w, ready for the product (read from w on its own,
//     or from a load the compiler shares with its neighbours);
//   Scales scales(w, n): the group's float factors (n ≤ 8 blocks, lanes from n on zero);
//   block_sum(operand, x): the block's 8 exact int32 partial sums against an int8 block of x;
//   kNarrowProducts, block_products(operand, x): whether the block's 16 int16 pair sums (vpmaddubsw)
//     stay within int16 when 8 of them are added (nibble weights: 8·2·15·127 < 2^15), and those sums;
//   step(column, totals, x, block, acc): acc after one block, for 8 rows at once (one per lane):
//     totals and column (a Scales transposed: lane r = row r's factors of this block) per row.
// Decode reads each operand where it is used, so nothing goes through memory; prefill decodes a
// group of 8 rows once and takes it to every position.

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
  static constexpr bool kNarrowProducts = false;  // |w| up to 127: two blocks' pair sums overflow int16
  [[gnu::always_inline]] static __m256 step(const Scales& w, __m256i totals, const QuantizedActivations& x,
                                            std::int64_t block, __m256 acc) {
    return _mm256_fmadd_ps(_mm256_cvtepi32_ps(totals), _mm256_mul_ps(w.d, _mm256_set1_ps(x.d[block])), acc);
  }
};

// Q4_0 {half d; uint8 qs[16]}: w = d·(nibble − 8). The nibbles (0…15) go in unsigned and the 8
// comes off the block total: S = Σ nibble·q_x − 8·Σq_x, exact (|S| < 2^24, so also in f32). Their
// pair sums against int8 activations stay within int16 even 8 at a time (8·2·15·127 < 2^15).
struct Q4_0Weights : ScaledBlocks<18> {
  using Operand = __m256i;
  [[gnu::always_inline]] static Operand operand(const std::byte* w, int j) {
    const __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + j * kBlockBytes + 2));
    // Low nibbles are elements 0…15, high nibbles 16…31.
    const __m256i both = _mm256_inserti128_si256(_mm256_castsi128_si256(packed), _mm_srli_epi16(packed, 4), 1);
    return _mm256_and_si256(both, _mm256_set1_epi8(15));
  }
  [[gnu::always_inline]] static __m256i block_sum(const Operand& w, __m256i x) { return madd_dot(w, x, ones16()); }
  static constexpr bool kNarrowProducts = true;
  [[gnu::always_inline]] static __m256i block_products(const Operand& w, __m256i x) {
    return _mm256_maddubs_epi16(w, x);
  }
  [[gnu::always_inline]] static __m256 step(const Scales& w, __m256i totals, const QuantizedActivations& x,
                                            std::int64_t block, __m256 acc) {
    const __m256 offset_totals =
        _mm256_fnmadd_ps(_mm256_set1_ps(8.0f), _mm256_set1_ps(x.sum[block]), _mm256_cvtepi32_ps(totals));
    return _mm256_fmadd_ps(offset_totals, _mm256_mul_ps(w.d, _mm256_set1_ps(x.d[block])), acc);
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
  static constexpr bool kNarrowProducts = false;  // scaled by int16 scales in vpmaddwd
  [[gnu::always_inline]] static __m256 step(const Scales& w, __m256i totals, const QuantizedActivations& x,
                                            std::int64_t block, __m256 acc) {
    return _mm256_fmadd_ps(_mm256_cvtepi32_ps(totals), _mm256_mul_ps(w.d, _mm256_set1_ps(x.d[block])), acc);
  }
};

// Decode of one Q6_K block (a group) of one row: lane j = activation block j's exact total, the same
// integers as Q6_KWeights::block_sum gives block by block, with half the instructions. q (0…63) goes
// into vpmaddubsw unsigned and the 32 comes off its int16 pair sums through the activations' own
// offsets (vpmaddubsw(32, x), once per call): q·x − 32·x = (q − 32)·x pair by pair, every value
// within int16 (|q·x pairs| ≤ 2·63·127, |(q − 32)·x pairs| ≤ 2·32·127), where the signed form needed
// vpabsb and vpsignb. The sub-block scales are widened by one load for the whole block and picked per
// block by a byte shuffle instead of two scalar loads and broadcasts.
[[gnu::always_inline]] inline __m256i q6_k_group_totals(const std::byte* w, const std::int8_t* xq,
                                                        const __m256i* offsets) {
  const __m256i scales16 = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + 192)));
  // Sub-block scales 0…7 (then 8…15) in both 128-bit halves.
  const __m256i half_scales[2] = {_mm256_permute4x64_epi64(scales16, 0x44), _mm256_permute4x64_epi64(scales16, 0xee)};
  const __m256i nibble = _mm256_set1_epi8(15), two_bits = _mm256_set1_epi8(0x30);
  __m256i sums[kGroupBlocks];
#pragma GCC unroll 2
  for (int half = 0; half < 2; ++half) {
    const __m256i lows[2] = {load32(w + 64 * half), load32(w + 64 * half + 32)};
    const __m256i highs = load32(w + 128 + 32 * half);
#pragma GCC unroll 4
    for (int k = 0; k < 4; ++k) {
      const int j = 4 * half + k;
      // Low 4 bits: nibble k / 2 of lows[k % 2]; high 2 bits: bits 2k, 2k + 1 of highs, moved to bits 4, 5.
      const __m256i low_bits = _mm256_and_si256(k < 2 ? lows[k % 2] : _mm256_srli_epi16(lows[k % 2], 4), nibble);
      const __m256i shifted = k == 0   ? _mm256_slli_epi16(highs, 4)
                              : k == 1 ? _mm256_slli_epi16(highs, 2)
                              : k == 2 ? highs
                                       : _mm256_srli_epi16(highs, 2);
      const __m256i q = _mm256_or_si256(low_bits, _mm256_and_si256(shifted, two_bits));
      const __m256i pairs = _mm256_sub_epi16(_mm256_maddubs_epi16(q, load32(xq + j * kActivationBlock)), offsets[j]);
      // Scale word 2k to every word of the low half (this block's first 16 values), word 2k + 1 to the
      // high half: copy_word(b) is the byte-shuffle control that copies bytes b, b + 1 to every word.
      const auto copy_word = [](int b) { return _mm_set1_epi16(static_cast<std::int16_t>(b | (b + 1) << 8)); };
      const __m256i pick = _mm256_setr_m128i(copy_word(4 * k), copy_word(4 * k + 2));
      sums[j] = _mm256_madd_epi16(pairs, _mm256_shuffle_epi8(half_scales[half], pick));
    }
  }
  return lane_totals(sums);
}

// 8×8 transpose of 32-bit lanes: lane r of out[k] = lane k of in[r].
[[gnu::always_inline]] inline void transpose8x8(const __m256i in[8], __m256i out[8]) {
  __m256i pairs[8], quads[8];
#pragma GCC unroll 4
  for (int i = 0; i < 8; i += 2) {  // [r0k0 r1k0 r0k1 r1k1 | r0k4 r1k4 r0k5 r1k5], [k2 k3 | k6 k7]
    pairs[i] = _mm256_unpacklo_epi32(in[i], in[i + 1]);
    pairs[i + 1] = _mm256_unpackhi_epi32(in[i], in[i + 1]);
  }
#pragma GCC unroll 2
  for (int i = 0; i < 8; i += 4) {  // rows i … i + 3 of k0|k4, k1|k5, k2|k6, k3|k7
    quads[i] = _mm256_unpacklo_epi64(pairs[i], pairs[i + 2]);
    quads[i + 1] = _mm256_unpackhi_epi64(pairs[i], pairs[i + 2]);
    quads[i + 2] = _mm256_unpacklo_epi64(pairs[i + 1], pairs[i + 3]);
    quads[i + 3] = _mm256_unpackhi_epi64(pairs[i + 1], pairs[i + 3]);
  }
#pragma GCC unroll 4
  for (int k = 0; k < 4; ++k) {
    out[k] = _mm256_permute2x128_si256(quads[k], quads[k + 4], 0x20);
    out[k + 4] = _mm256_permute2x128_si256(quads[k], quads[k + 4], 0x31);
  }
}

// The same for every 256-bit member of 8 structs T (an Operand or Scales: vectors only).
template <class T>
[[gnu::always_inline]] inline void transpose_members(const T in[8], T out[8]) {
  constexpr int kMembers = sizeof(T) / sizeof(__m256i);
  static_assert(sizeof(T) == kMembers * sizeof(__m256i));
#pragma GCC unroll 4
  for (int m = 0; m < kMembers; ++m) {
    __m256i rows[8], columns[8];
#pragma GCC unroll 8
    for (int r = 0; r < 8; ++r) std::memcpy(&rows[r], reinterpret_cast<const char*>(&in[r]) + 32 * m, 32);
    transpose8x8(rows, columns);
#pragma GCC unroll 8
    for (int k = 0; k < 8; ++k) std::memcpy(reinterpret_cast<char*>(&out[k]) + 32 * m, &columns[k], 32);
  }
}

// Rows go in tiles of kTileRows, one row per lane: every float step is lane-wise, so lane r sees
// only row r's blocks, in order. Rows past the matrix's end repeat its last row (lanes not stored).
constexpr int kTileRows = 8;
struct RowTile {
  const std::byte* rows[kTileRows];
  int valid;
};
inline RowTile row_tile(const WeightView& weight, std::size_t row_bytes, std::int64_t first, std::int64_t end) {
  RowTile tile{};
  tile.valid = static_cast<int>(std::min<std::int64_t>(kTileRows, end - first));
  const std::byte* first_row = weight.data + static_cast<std::size_t>(first) * row_bytes;
  for (int r = 0; r < kTileRows; ++r)
    tile.rows[r] = first_row + static_cast<std::size_t>(std::min(r, tile.valid - 1)) * row_bytes;
  return tile;
}
inline void store_tile(float* y, __m256 values, int valid) {
  if (valid == kTileRows)
    _mm256_storeu_ps(y, values);
  else
    _mm256_maskstore_ps(y, first_lanes_i(valid), values);
}
// Lanes [lo, hi) of `values` to y[lo … hi) (other lanes' memory untouched).
inline void store_lanes(float* y, __m256 values, int lo, int hi) {
  if (lo == 0) {
    store_tile(y, values, hi);
    return;
  }
  _mm256_maskstore_ps(y, _mm256_andnot_si256(first_lanes_i(lo), first_lanes_i(hi)), values);
}

// Decode, one row tile: each row streams through once, in order (as the memory prefetchers like
// it), leaving per group its 8 exact block totals (lane j = block j) and its Scales in `groups`;
// then per group both are transposed to one row per lane and the float steps run block by block.
template <class W>
struct GroupTotals {
  __m256i totals[kTileRows];
  typename W::Scales scales[kTileRows];
};

template <class W, bool Full>
[[gnu::always_inline]] inline void group_totals(const std::byte* w, const QuantizedActivations& x, std::int64_t block,
                                                int n, __m256i& totals, typename W::Scales& scales) {
  if constexpr (Full) n = kGroupBlocks;
  __m256i sums[kGroupBlocks];
  if constexpr (W::kNarrowProducts) {
#pragma GCC unroll 8
    for (int j = 0; j < kGroupBlocks; ++j)
      sums[j] = j < n ? W::block_products(W::operand(w, j), load32(x.q + (block + j) * kActivationBlock))
                      : _mm256_setzero_si256();
    totals = lane_totals<true>(sums);
  } else if constexpr (std::is_same_v<W, Q6_KWeights>) {  // a Q6_K group is one whole block: n is 8
    totals = q6_k_group_totals(w, x.q + block * kActivationBlock, x.q6_k_offsets + block);
  } else {
#pragma GCC unroll 8
    for (int j = 0; j < kGroupBlocks; ++j)
      sums[j] =
          j < n ? W::block_sum(W::operand(w, j), load32(x.q + (block + j) * kActivationBlock)) : _mm256_setzero_si256();
    totals = lane_totals(sums);
  }
  scales = W::scales(w, n);
}

template <class W, bool Full>
[[gnu::always_inline]] inline __m256 group_steps(const GroupTotals<W>& group, const QuantizedActivations& x,
                                                 std::int64_t block, int n, __m256 acc) {
  if constexpr (Full) n = kGroupBlocks;
  __m256i totals[kGroupBlocks];
  typename W::Scales columns[kGroupBlocks];
  transpose8x8(group.totals, totals);
  transpose_members(group.scales, columns);
#pragma GCC unroll 8
  for (int j = 0; j < kGroupBlocks; ++j)
    if (j < n) acc = W::step(columns[j], totals[j], x, block + j, acc);
  return acc;
}

// A prefetch the compiler keeps: a loop of nothing but _mm_prefetch has no effect C++ can see, and
// GCC deletes the whole loop.
inline void prefetch_line(const char* p) { asm volatile("prefetcht0 %0" : : "m"(*p)); }

// Weight rows are fetched this far ahead of the group being read: with many instructions per
// weight byte the out-of-order window alone keeps too few cache-line fetches in flight for decode
// to reach the memory bandwidth (prefetching doubled the decode rate of Q8_0 weights).
constexpr std::int64_t kPrefetchBytes = 4096;

template <class W>
void decode_tile(const RowTile& tile, const QuantizedActivations& x, std::int64_t blocks, float* y,
                 GroupTotals<W>* groups) {
  const std::int64_t full_groups = blocks / kGroupBlocks;
  const int tail = static_cast<int>(blocks - full_groups * kGroupBlocks);
  for (int r = 0; r < kTileRows; ++r) {
    const std::byte* row = tile.rows[r];
    if (r >= tile.valid) {  // past the matrix: lanes never stored, zero rather than any bits
      for (std::int64_t g = 0; g < full_groups + (tail > 0); ++g) {
        groups[g].totals[r] = _mm256_setzero_si256();
        std::memset(static_cast<void*>(&groups[g].scales[r]), 0, sizeof groups[g].scales[r]);
      }
      continue;
    }
    for (std::int64_t g = 0; g < full_groups; ++g) {
      const std::byte* group = row + g * W::kGroupBytes;
      for (std::int64_t line = 0; line < W::kGroupBytes; line += 64)
        prefetch_line(reinterpret_cast<const char*>(group) + kPrefetchBytes + line);
      group_totals<W, true>(group, x, g * kGroupBlocks, kGroupBlocks, groups[g].totals[r], groups[g].scales[r]);
    }
    if (tail > 0)
      group_totals<W, false>(row + full_groups * W::kGroupBytes, x, full_groups * kGroupBlocks, tail,
                             groups[full_groups].totals[r], groups[full_groups].scales[r]);
  }
  __m256 acc = _mm256_setzero_ps();
  for (std::int64_t g = 0; g < full_groups; ++g)
    acc = group_steps<W, true>(groups[g], x, g * kGroupBlocks, kGroupBlocks, acc);
  if (tail > 0) acc = group_steps<W, false>(groups[full_groups], x, full_groups * kGroupBlocks, tail, acc);
  store_tile(y, acc, tile.valid);
}

// Decode of rows shorter than a group (fewer than 8 activation blocks: the low-rank projections' 32 to
// 128 columns), for the block-of-32 types: the tile's rows are read side by side, a block at a time,
// and their block totals gathered into one vector (lane r = row r) go straight into the float step,
// with no transposes. (Through decode_tile, such a row filled a whole group with zeros and paid for
// two 8 × 8 transposes per row: these small matrices took ~6 % of a Q4_K decode for ~3 % of its bytes.)
// Rows this short lie next to each other, so reading 8 side by side does not crowd one L1 set.
template <class W>
void decode_short_tile(const RowTile& tile, const QuantizedActivations& x, std::int64_t blocks, float* y) {
  __m256 acc = _mm256_setzero_ps();
  for (std::int64_t b = 0; b < blocks; ++b) {
    const __m256i xb = load32(x.q + b * kActivationBlock);
    const std::int64_t offset = b * W::kBlockBytes;
    // Unrolled, and the f16 scales packed in two integer registers: written to arrays in memory and
    // read back as vectors, the sums and scales stalled on store forwarding (half this loop's time).
    __m256i sums[kTileRows];
    std::uint64_t scale_bits[2] = {0, 0};
#pragma GCC unroll 8
    for (int r = 0; r < kTileRows; ++r) {
      if constexpr (W::kNarrowProducts)
        sums[r] = W::block_products(W::operand(tile.rows[r] + offset, 0), xb);
      else
        sums[r] = W::block_sum(W::operand(tile.rows[r] + offset, 0), xb);
      // Each block leads with its f16 d.
      scale_bits[r / 4] |= std::uint64_t{u16_at(tile.rows[r] + offset)} << (16 * (r % 4));
    }
    const typename W::Scales column{
        _mm256_cvtph_ps(_mm_set_epi64x(static_cast<long long>(scale_bits[1]), static_cast<long long>(scale_bits[0])))};
    acc = W::step(column, lane_totals<W::kNarrowProducts>(sums), x, b, acc);
  }
  store_tile(y, acc, tile.valid);
}

// Prefill, one group of a row tile unpacked once (decode_tile above is the one-position product):
// step k of block j holds values 4k … 4k + 3 of every row's block j (one row per lane), so it meets 4
// activations broadcast to all lanes and the lanes add up to the rows' block totals without any
// horizontal sum.
constexpr int kBlockSteps = kActivationBlock / 4;
template <class W>
struct TileGroup {
  typename W::Operand steps[kGroupBlocks][kBlockSteps];
  typename W::Scales columns[kGroupBlocks];
};
template <class W>
void unpack_tile_group(const RowTile& tile, std::int64_t offset, int n, TileGroup<W>& group) {
  for (int j = 0; j < n; ++j) {
    typename W::Operand rows[kTileRows];
    for (int r = 0; r < kTileRows; ++r) rows[r] = W::operand(tile.rows[r] + offset, j);
    transpose_members(rows, group.steps[j]);
  }
  typename W::Scales rows[kTileRows];
  for (int r = 0; r < kTileRows; ++r) rows[r] = W::scales(tile.rows[r] + offset, n);
  transpose_members(rows, group.columns);
}

inline QuantizedActivations position_of(const QuantizedActivations& x, std::int64_t t, std::int64_t blocks) {
  return {x.q + t * blocks * kActivationBlock, x.d + t * blocks, x.sum + t * blocks};
}

// P positions from `first` against a decoded group; their accumulators (a row per lane) wait in acc
// between groups.
template <class W, int P>
[[gnu::always_inline]] inline void tile_positions(const TileGroup<W>& group, const QuantizedActivations& x,
                                                  std::int64_t first, std::int64_t blocks, std::int64_t block, int n,
                                                  float* acc) {
  // Every loop over p unrolled, so that the P accumulators live in registers.
  QuantizedActivations xp[P];
  __m256 sums[P];
#pragma GCC unroll 8
  for (int p = 0; p < P; ++p) {
    xp[p] = position_of(x, first + p, blocks);
    sums[p] = _mm256_load_ps(acc + 8 * (first + p));
  }
  for (int j = 0; j < n; ++j) {
    __m256i totals[P];
#pragma GCC unroll 8
    for (int p = 0; p < P; ++p) totals[p] = _mm256_setzero_si256();
#pragma GCC unroll 8
    for (int k = 0; k < kBlockSteps; ++k) {
      const typename W::Operand& step = group.steps[j][k];
#pragma GCC unroll 8
      for (int p = 0; p < P; ++p) {
        std::int32_t four;
        std::memcpy(&four, xp[p].q + (block + j) * kActivationBlock + 4 * k, 4);
        totals[p] = _mm256_add_epi32(totals[p], W::block_sum(step, _mm256_set1_epi32(four)));
      }
    }
#pragma GCC unroll 8
    for (int p = 0; p < P; ++p) sums[p] = W::step(group.columns[j], totals[p], xp[p], block + j, sums[p]);
  }
#pragma GCC unroll 8
  for (int p = 0; p < P; ++p) _mm256_store_ps(acc + 8 * (first + p), sums[p]);
}

constexpr int kPrefillPositions = 4;  // positions per pass over a decoded group

template <class W>
void prefill_tile(const RowTile& tile, const QuantizedActivations& x, std::int64_t positions, std::int64_t blocks,
                  float* y, std::int64_t rows_total, float* acc) {
  for (std::int64_t t = 0; t < positions; ++t) _mm256_store_ps(acc + 8 * t, _mm256_setzero_ps());
  TileGroup<W> group;
  for (std::int64_t block = 0; block < blocks; block += kGroupBlocks) {
    const int n = static_cast<int>(std::min<std::int64_t>(kGroupBlocks, blocks - block));
    unpack_tile_group<W>(tile, block / kGroupBlocks * W::kGroupBytes, n, group);
    std::int64_t t = 0;
    for (; t + kPrefillPositions <= positions; t += kPrefillPositions)
      tile_positions<W, kPrefillPositions>(group, x, t, blocks, block, n, acc);
    for (; t < positions; ++t) tile_positions<W, 1>(group, x, t, blocks, block, n, acc);
  }
  for (std::int64_t t = 0; t < positions; ++t) store_tile(y + t * rows_total, _mm256_load_ps(acc + 8 * t), tile.valid);
}

// Rows [row_begin, row_end) against `positions` positions of x (each `blocks` activation blocks),
// a row tile at a time; `acc` holds prefill's accumulators (8 floats per position) or decode's groups.
template <class W>
void integer_rows(const WeightView& weight, const QuantizedActivations& x, std::int64_t positions, float* y,
                  std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end, float* acc) {
  const std::int64_t blocks = weight.cols / kActivationBlock;
  const std::size_t row_bytes = weight.row_bytes();
  for (std::int64_t o = row_begin; o < row_end; o += kTileRows) {
    const RowTile tile = row_tile(weight, row_bytes, o, row_end);
    if constexpr (requires { W::kBlockBytes; }) {  // blocks of 32 led by their scale: Q8_0, Q4_0
      if (positions == 1 && blocks < kGroupBlocks) {
        decode_short_tile<W>(tile, x, blocks, y + o);
        continue;
      }
    }
    if (positions == 1)
      decode_tile<W>(tile, x, blocks, y + o, reinterpret_cast<GroupTotals<W>*>(acc));
    else
      prefill_tile<W>(tile, x, positions, blocks, y + o, rows_total, acc);
  }
}

// Q4_K's product (simd_q4_k_dot_impl.h, included after this file), same contract as below.
template <class V>
void q4_k_matmul_rows(const WeightView& weight, const float* x, std::int64_t positions, float* y,
                      std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end);

inline bool integer_dot_reads(DType dtype) {
  return dtype == DType::q8_0 || dtype == DType::q4_0 || dtype == DType::q4_k || dtype == DType::q6_k;
}

// matmul_rows for a weight integer_dot_reads(); same contract as the float products. Positions go in
// blocks whose quantized activations stay in L2 while every row of the thread passes over them.
template <class V>
void integer_matmul_rows(const WeightView& weight, const float* x, std::int64_t positions, float* y,
                         std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end) {
  if (weight.dtype == DType::q4_k) {
    q4_k_matmul_rows<V>(weight, x, positions, y, rows_total, row_begin, row_end);
    return;
  }
  const std::int64_t cols = weight.cols;
  const std::int64_t blocks = cols / kActivationBlock;  // per position
  const auto total_blocks = static_cast<std::size_t>(positions * blocks);
  // Slot 0: the int8 activations (as floats, 4 bytes each); slot 1: their scales and sums; slot 2:
  // prefill's accumulators or decode's groups.
  auto* q = reinterpret_cast<std::int8_t*>(V::scratch(0, total_blocks * kActivationBlock / 4));
  float* scales = V::scratch(1, 2 * total_blocks);
  quantize_activations(x, positions, cols, q, scales, scales + total_blocks);
  __m256i* q6_k_offsets = nullptr;
  if (weight.dtype == DType::q6_k && positions == 1) {
    q6_k_offsets = reinterpret_cast<__m256i*>(V::scratch(3, total_blocks * 8));
    for (std::size_t b = 0; b < total_blocks; ++b)
      q6_k_offsets[b] = _mm256_maddubs_epi16(_mm256_set1_epi8(32), load32(q + b * kActivationBlock));
  }
  // Per position: cols bytes of q and 2 floats per block.
  const std::int64_t position_bytes = cols + blocks * 2 * static_cast<std::int64_t>(sizeof(float));
  const std::int64_t block = std::clamp<std::int64_t>(kPositionBlockBytes / position_bytes, 1, positions);
  const std::int64_t groups = (blocks + kGroupBlocks - 1) / kGroupBlocks;
  constexpr std::int64_t kGroupFloats =
      std::max({sizeof(GroupTotals<Q8_0Weights>), sizeof(GroupTotals<Q4_0Weights>), sizeof(GroupTotals<Q6_KWeights>)}) /
      sizeof(float);
  float* acc = V::scratch(2, static_cast<std::size_t>(std::max(8 * block, groups * kGroupFloats)));
  for (std::int64_t t0 = 0; t0 < positions; t0 += block) {
    const QuantizedActivations xt{q + t0 * cols, scales + t0 * blocks, scales + total_blocks + t0 * blocks,
                                  q6_k_offsets};
    const std::int64_t count = std::min(block, positions - t0);
    float* yt = y + t0 * rows_total;
    switch (weight.dtype) {
      case DType::q8_0: integer_rows<Q8_0Weights>(weight, xt, count, yt, rows_total, row_begin, row_end, acc); break;
      case DType::q4_0: integer_rows<Q4_0Weights>(weight, xt, count, yt, rows_total, row_begin, row_end, acc); break;
      case DType::q6_k: integer_rows<Q6_KWeights>(weight, xt, count, yt, rows_total, row_begin, row_end, acc); break;
      default: return;
    }
  }
}
