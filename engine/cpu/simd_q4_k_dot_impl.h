// The integer matrix product for Q4_K weights on 256-bit vectors, beside the block-of-32 products of
// simd_integer_dot_impl.h (included before this file, in the same target region and anonymous
// namespace; this file uses its helpers and includes nothing itself: the including file includes
// q4_k_activations.h and q4_k_row_groups.h before its target region). Rows come in the file's layout
// or regrouped by 8 at load (q4_k_row_groups.h); both give the same bits.
//
// A Q4_K weight is w = d·sc_j·nibble − dmin·m_j over sub-block j (32 values) of a 256-value block,
// with d, dmin f16 and sc_j, m_j six-bit integers. The activations meet it in the same two levels:
// per position and 256 values, one f32 D and an integer sub-scale k_j (1 … 63) per block of 32, block
// j's values being D·k_j·q (q int8). Then a row's whole 256 values are two exact integers,
//   T = Σ_j (sc_j·k_j)·Σ_{i∈j} nibble_i·q_i,   M = Σ_j (m_j·k_j)·Σ_{i∈j} q_i,
// and the row's sum grows by (d·D)·T − (dmin·D)·M: two float steps per 256 values instead of 16, and
// one integer total per row instead of 8 block totals gathered across lanes (that gather was ~80 %
// of the time of the block-of-32 form this replaces).
//
// Rounding: D = max/(127·63) and k_j = ⌈63·max_j/max⌉ (max over the 256 values, max_j over block j),
// so D·k_j ≥ max_j/127 keeps |q| ≤ 127, and D·k_j < max_j/127 + D: |x̂ − x| ≤ D·k_j/2 < max_j/254 +
// max/16002, the block-of-32 rounding of the other types plus at most 1/16002 of the 256 values'
// largest (ggml's Q8_K, one scale per 256 values, rounds to max/254). On the RWKV-7 model of
// test_integer_dot_model, Q4_K logits moved from the f32 path by 1.41 % with blocks of 32, 1.51 %
// with this, and 2.12 % with k_j ≤ 31.
// Integer ranges: vpmaddubsw pairs |nibble·q + nibble·q| ≤ 2·15·127, then vpmaddwd by sc·k ≤ 63·63;
// every partial sum of T is at most Σ|terms| ≤ 256·15·127·63·63 ≈ 1.94·10^9 < 2^31, and
// |M| ≤ 8·63·63·32·127 < 2^27: exact in int32 in any order of additions. So, as in the block-of-32
// products, decode (one row at a time, lanes holding parts of a row) and prefill (one row per lane)
// compute the same T and M and run the same float steps per row: thread splits and positions per
// call never change a result.

constexpr std::int64_t kSuperblock = 256;      // values of one Q4_K block
constexpr int kSubBlocks = 8;                  // of 32 values
constexpr int kSubScaleLimit = 63;             // largest k_j
constexpr std::int64_t kQ4_KBlockBytes = 144;  // {half d; half dmin; uint8 scales[12]; uint8 qs[128]}
static_assert(kQ4_KGroupRows == kTileRows && kQ4_KRowBlockBytes == kQ4_KBlockBytes && kQ4_KBlockValues == kSuperblock &&
              kQ4_KSubBlocks == kSubBlocks);

inline void quantize_superblocks(const float* x, std::int64_t count, std::int8_t* q, SuperblockScales* scales) {
  for (std::int64_t s = 0; s < count; ++s) {
    const float* in = x + s * kSuperblock;
    float block_max[kSubBlocks];
    float max = 0.0f;
    for (int j = 0; j < kSubBlocks; ++j) {
      block_max[j] = block_abs_max(in + j * kActivationBlock);
      max = std::max(max, block_max[j]);
    }
    SuperblockScales& out = scales[s];
    out.d = max / (127.0f * kSubScaleLimit);
    for (int j = 0; j < kSubBlocks; ++j) {
      // ⌈63·max_j/max⌉ rounded in f32 may come out one short of the exact ceiling; then |x/(D·k)| can
      // exceed 127 by a few ulp, which still rounds to 127.
      const int k =
          max > 0.0f ? std::clamp(static_cast<int>(std::ceil(kSubScaleLimit * (block_max[j] / max))), 1, kSubScaleLimit)
                     : 1;
      const float step = out.d * static_cast<float>(k);
      const std::int32_t sum = quantize_block(in + j * kActivationBlock, step > 0.0f ? 1.0f / step : 0.0f,
                                              q + s * kSuperblock + j * kActivationBlock);
      out.sub_scale[j] = static_cast<std::int16_t>(k);
      out.block_sum[j] = static_cast<std::int16_t>(sum);
      out.scaled_sum[j] = k * sum;
      out.pair_scale[j] = k * 0x10001;
    }
  }
}

// Sub-block j's 32 nibbles as unsigned bytes: bytes 16 + 32·(j / 2) …, low nibbles for even j, high
// ones for odd j.
[[gnu::always_inline]] inline __m256i q4_k_nibbles(const std::byte* w, int j) {
  const __m256i bytes = load32(w + 16 + 32 * (j / 2));
  return _mm256_and_si256(j % 2 == 0 ? bytes : _mm256_srli_epi16(bytes, 4), _mm256_set1_epi8(15));
}

// The 8 six-bit scales and mins packed in bytes 4–15 as [sc 0–7 | m 0–7]: for j < 4, sc_j is the low
// 6 bits of byte 4 + j and m_j of byte 8 + j; for j ≥ 4, the low (sc) or high (m) nibble of byte 8 + j
// gives bits 0–3 and the top 2 bits of byte j (sc) or j + 4 (m) bits 4–5. Unpacked in scalar
// registers, since the vector pipes are the busy ones in decode: in vector registers the unpacking
// took ~1/5 of the decode row pass (in L1), and the scalar form made that pass 5–10 % faster.
[[gnu::always_inline]] inline __m128i q4_k_scale_bytes(const std::byte* w) {
  std::uint32_t first, second, third;  // bytes 4–7, 8–11, 12–15
  std::memcpy(&first, w + 4, 4);
  std::memcpy(&second, w + 8, 4);
  std::memcpy(&third, w + 12, 4);
  asm("" : "+r"(first), "+r"(second), "+r"(third));  // kept scalar: GCC would vectorize it again
  const std::uint32_t scales_low = first & 0x3f3f3f3f, mins_low = second & 0x3f3f3f3f;
  const std::uint32_t scales_high = (third & 0x0f0f0f0f) | ((first >> 2) & 0x30303030);
  const std::uint32_t mins_high = ((third >> 4) & 0x0f0f0f0f) | ((second >> 2) & 0x30303030);
  return _mm_set_epi64x(static_cast<long long>((std::uint64_t{mins_high} << 32) | mins_low),
                        static_cast<long long>((std::uint64_t{scales_high} << 32) | scales_low));
}

// The f16 pairs {d, dmin} of 8 rows (one 32-bit word per row, lane r = row r) as floats.
struct RowFactors {
  __m256 d, dmin;
};
inline RowFactors row_factors(__m256i words) {
  // Per 128-bit half: [d of its 4 rows | dmin of its 4 rows] as u16; then halves' quarters reordered.
  const __m256i split =
      _mm256_packus_epi32(_mm256_and_si256(words, _mm256_set1_epi32(0xffff)), _mm256_srli_epi32(words, 16));
  const __m256i ordered = _mm256_permute4x64_epi64(split, 0b11011000);
  return {_mm256_cvtph_ps(_mm256_castsi256_si128(ordered)), _mm256_cvtph_ps(_mm256_extracti128_si256(ordered, 1))};
}

// The float steps of one 256-value block for 8 rows (lane r = row r) at one position.
[[gnu::always_inline]] inline __m256 superblock_step(const RowFactors& w, __m256i t, __m256i m, float d_x, __m256 acc) {
  const __m256 dx = _mm256_set1_ps(d_x);
  acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(t), _mm256_mul_ps(w.d, dx), acc);
  return _mm256_fnmadd_ps(_mm256_cvtepi32_ps(m), _mm256_mul_ps(w.dmin, dx), acc);
}

// Decode: one row's 256 values against one position, as [4 lanes adding up to T | 4 adding up to M].
[[gnu::always_inline]] inline __m256i q4_k_row_parts(const std::byte* w, const std::int8_t* xq,
                                                     const SuperblockScales& xs) {
  const __m256i k = _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(xs.sub_scale)));
  const __m256i factors = _mm256_mullo_epi16(_mm256_cvtepu8_epi16(q4_k_scale_bytes(w)), k);  // [sc·k | m·k]
  const __m256i scale_factors = _mm256_permute2x128_si256(factors, factors, 0x00);
  __m256i sum = _mm256_setzero_si256();
#pragma GCC unroll 8
  for (int j = 0; j < kSubBlocks; ++j) {  // sc_j·k_j in every int16 lane, by a byte shuffle
    const __m256i factor =
        _mm256_shuffle_epi8(scale_factors, _mm256_set1_epi16(static_cast<short>(0x0100 + 0x0202 * j)));
    sum = _mm256_add_epi32(sum, madd_dot(q4_k_nibbles(w, j), load32(xq + j * kActivationBlock), factor));
  }
  const __m128i t = _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
  const __m128i m = _mm_madd_epi16(_mm256_extracti128_si256(factors, 1),
                                   _mm_load_si128(reinterpret_cast<const __m128i*>(xs.block_sum)));
  return _mm256_set_m128i(m, t);
}

// A row tile's parts of one 256-value block, and each row's {d, dmin}.
struct alignas(32) Q4_KTileParts {
  __m256i parts[kTileRows];
  std::uint32_t d_dmin[kTileRows];
};

// Decode, one row tile: each row streams through once, in order, leaving its parts per block; then
// per block the 8 rows' T and M come out of one transposing sum and go through the float steps.
inline void q4_k_decode_tile(const RowTile& tile, const std::int8_t* xq, const SuperblockScales* xs,
                             std::int64_t superblocks, float* y, Q4_KTileParts* blocks) {
  for (int r = 0; r < kTileRows; ++r) {
    if (r >= tile.valid) {  // past the matrix: lanes never stored, zero rather than any bits
      for (std::int64_t s = 0; s < superblocks; ++s) {
        blocks[s].parts[r] = _mm256_setzero_si256();
        blocks[s].d_dmin[r] = 0;
      }
      continue;
    }
    for (std::int64_t s = 0; s < superblocks; ++s) {
      const std::byte* w = tile.rows[r] + s * kQ4_KBlockBytes;
      for (std::int64_t line = 0; line < kQ4_KBlockBytes; line += 64)
        prefetch_line(reinterpret_cast<const char*>(w) + kPrefetchBytes + line);
      blocks[s].parts[r] = q4_k_row_parts(w, xq + s * kSuperblock, xs[s]);
      std::memcpy(&blocks[s].d_dmin[r], w, 4);
    }
  }
  __m256 acc = _mm256_setzero_ps();
  for (std::int64_t s = 0; s < superblocks; ++s) {
    __m256i quads[2];  // [T of rows 0–3 | M of rows 0–3], [the same of rows 4–7]
    half_totals(blocks[s].parts, quads);
    const RowFactors factors = row_factors(_mm256_load_si256(reinterpret_cast<const __m256i*>(blocks[s].d_dmin)));
    acc = superblock_step(factors, _mm256_permute2x128_si256(quads[0], quads[1], 0x20),
                          _mm256_permute2x128_si256(quads[0], quads[1], 0x31), xs[s].d, acc);
  }
  store_tile(y, acc, tile.valid);
}

// Prefill: one 256-value block of a row tile unpacked once, one row per lane: step k of sub-block j
// holds nibbles 4k … 4k + 3 of every row's sub-block j, to meet 4 activations broadcast to all lanes.
struct Q4_KTileBlock {
  __m256i steps[kSubBlocks][kBlockSteps];
  __m256i scale_pairs[kSubBlocks];  // int32 lane r: sc_j of row r in both int16 halves
  __m256i mins[kSubBlocks];         // int32 lane r: m_j of row r
  RowFactors factors;
};

inline void q4_k_unpack_tile_block(const RowTile& tile, std::int64_t offset, Q4_KTileBlock& block) {
  for (int j = 0; j < kSubBlocks; ++j) {
    __m256i rows[kTileRows];
    for (int r = 0; r < kTileRows; ++r) rows[r] = q4_k_nibbles(tile.rows[r] + offset, j);
    transpose8x8(rows, block.steps[j]);
  }
  __m256i scales[kTileRows], mins[kTileRows];
  alignas(32) std::uint32_t words[kTileRows];
  for (int r = 0; r < kTileRows; ++r) {
    const __m128i bytes = q4_k_scale_bytes(tile.rows[r] + offset);
    scales[r] = _mm256_cvtepu8_epi32(bytes);
    mins[r] = _mm256_cvtepu8_epi32(_mm_unpackhi_epi64(bytes, bytes));
    std::memcpy(&words[r], tile.rows[r] + offset, 4);
  }
  __m256i scale_columns[kSubBlocks];
  transpose8x8(scales, scale_columns);
  transpose8x8(mins, block.mins);
  for (int j = 0; j < kSubBlocks; ++j)
    block.scale_pairs[j] = _mm256_or_si256(scale_columns[j], _mm256_slli_epi32(scale_columns[j], 16));
  block.factors = row_factors(_mm256_load_si256(reinterpret_cast<const __m256i*>(words)));
}

// P positions from `first` against an unpacked block (block `s` of each position); their
// accumulators (a row per lane) wait in acc between blocks.
template <int P>
[[gnu::always_inline]] inline void q4_k_tile_positions(const Q4_KTileBlock& block, const std::int8_t* xq,
                                                       const SuperblockScales* xs, std::int64_t first,
                                                       std::int64_t superblocks, std::int64_t s, float* acc) {
  // Every loop over p unrolled, so that the P totals live in registers.
  const std::int8_t* xp[P];
  const SuperblockScales* sp[P];
  __m256i t[P];
#pragma GCC unroll 8
  for (int p = 0; p < P; ++p) {
    xp[p] = xq + ((first + p) * superblocks + s) * kSuperblock;
    sp[p] = xs + (first + p) * superblocks + s;
    t[p] = _mm256_setzero_si256();
  }
  for (int j = 0; j < kSubBlocks; ++j) {
    __m256i factor[P];  // sc_j·k_j per row (lane) for position p
#pragma GCC unroll 8
    for (int p = 0; p < P; ++p)
      factor[p] = _mm256_mullo_epi16(block.scale_pairs[j], _mm256_set1_epi16(sp[p]->sub_scale[j]));
#pragma GCC unroll 8
    for (int k = 0; k < kBlockSteps; ++k) {
      const __m256i step = block.steps[j][k];
#pragma GCC unroll 8
      for (int p = 0; p < P; ++p) {
        std::int32_t four;
        std::memcpy(&four, xp[p] + j * kActivationBlock + 4 * k, 4);
        t[p] = _mm256_add_epi32(t[p], madd_dot(step, _mm256_set1_epi32(four), factor[p]));
      }
    }
  }
#pragma GCC unroll 8
  for (int p = 0; p < P; ++p) {
    __m256i m = _mm256_setzero_si256();
#pragma GCC unroll 8
    for (int j = 0; j < kSubBlocks; ++j)
      m = _mm256_add_epi32(m, _mm256_mullo_epi32(block.mins[j], _mm256_set1_epi32(sp[p]->scaled_sum[j])));
    float* sums = acc + 8 * (first + p);
    _mm256_store_ps(sums, superblock_step(block.factors, t[p], m, sp[p]->d, _mm256_load_ps(sums)));
  }
}

// Prefill, one tile of 8 rows (lanes): `unpack(s, block)` fills block s of the tile; stores lanes
// [lo, hi) of each position's results at y + t·rows_total (lane r = row r of the tile).
template <class Unpack>
inline void q4_k_prefill_tile(const Unpack& unpack, const std::int8_t* xq, const SuperblockScales* xs,
                              std::int64_t positions, std::int64_t superblocks, float* y, std::int64_t rows_total,
                              int lo, int hi, float* acc) {
  for (std::int64_t t = 0; t < positions; ++t) _mm256_store_ps(acc + 8 * t, _mm256_setzero_ps());
  Q4_KTileBlock block;
  for (std::int64_t s = 0; s < superblocks; ++s) {
    unpack(s, block);
    std::int64_t t = 0;
    for (; t + kPrefillPositions <= positions; t += kPrefillPositions)
      q4_k_tile_positions<kPrefillPositions>(block, xq, xs, t, superblocks, s, acc);
    for (; t < positions; ++t) q4_k_tile_positions<1>(block, xq, xs, t, superblocks, s, acc);
  }
  for (std::int64_t t = 0; t < positions; ++t) store_lanes(y + t * rows_total, _mm256_load_ps(acc + 8 * t), lo, hi);
}

// ---- The 8-row groups (q4_k_row_groups.h): one row per lane from the start, no transposes.

// A group block's six-bit scales and mins as bytes, entry 8j + r: [0] sub-blocks 0–3, [1] 4–7.
struct Q4_KGroupSixBit {
  __m256i scales[2], mins[2];
};
[[gnu::always_inline]] inline Q4_KGroupSixBit q4_k_group_six_bit(const std::byte* group_block) {
  const __m256i low_scales = load32(group_block + 32), low_mins = load32(group_block + 64);
  const __m256i high = load32(group_block + 96);
  const __m256i nibble = _mm256_set1_epi8(15), top = _mm256_set1_epi8(0x30);
  const auto join = [&](__m256i low, __m256i high_at_4) {
    return _mm256_or_si256(_mm256_and_si256(low, nibble), _mm256_and_si256(high_at_4, top));
  };
  return {{join(low_scales, _mm256_slli_epi16(high, 4)),
           join(_mm256_srli_epi16(low_scales, 4), _mm256_slli_epi16(high, 2))},
          {join(low_mins, high), join(_mm256_srli_epi16(low_mins, 4), _mm256_srli_epi16(high, 2))}};
}
// Sub-block j's 8 bytes of `bytes` (lane r = row r) as int32 lanes.
[[gnu::always_inline]] inline __m256i q4_k_group_column(const __m256i (&bytes)[2], int j) {
  const __m256i v = bytes[j / 4];
  __m128i half = j % 4 < 2 ? _mm256_castsi256_si128(v) : _mm256_extracti128_si256(v, 1);
  if (j % 2 == 1) half = _mm_srli_si128(half, 8);
  return _mm256_cvtepu8_epi32(half);
}
inline RowFactors group_factors(const std::byte* group_block) {
  return {_mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(group_block))),
          _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(group_block + 16)))};
}
// 32 bytes of the group's nibbles: step k of the chunk holding sub-blocks 2c (low) and 2c + 1 (high).
inline const std::byte* group_nibbles(const std::byte* group_block, int c, int k) {
  return group_block + 128 + (c * 8 + k) * 32;
}

// Decode asks for the lines kPrefetchBytes ahead (a later block of the group's one sequential stream)
// a few per chunk, spread over the block: all 18 at once stalled on the line-fill buffers, and without
// them the stream from memory was 1.1–1.3× slower (24 matrices of 4096 × 1024, 2 threads).
constexpr int kPrefetchLinesPerChunk = 5;  // 4 chunks cover the group block's 18 lines

// Decode, one group block against one position. A sub-block's 8 steps of 4 values add up in int16
// (8·2·15·127 < 2^15) before one vpmaddwd by each row's sc_j·k_j (sc_j·k_j·0x10001 < 2^31 puts it in
// both halves of an int32): per 8 rows and sub-block, 8 vpmaddubsw + 1 vpmaddwd, where the row layout
// needs 8 + 8, a factor shuffle per row and a transposing sum per block. The same T and M as
// q4_k_row_parts, so the same bits; in cache 1.5–1.6× faster than the row layout (1 and 2 threads).
[[gnu::always_inline]] inline __m256 q4_k_group_decode_block(const std::byte* b, const std::int8_t* xq,
                                                             const SuperblockScales& xs, __m256 acc) {
  const char* ahead = reinterpret_cast<const char*>(b) + kPrefetchBytes;
  const Q4_KGroupSixBit six = q4_k_group_six_bit(b);
  const __m256i nibble = _mm256_set1_epi8(15);
  __m256i t = _mm256_setzero_si256(), m = _mm256_setzero_si256();
#pragma GCC unroll 4
  for (int c = 0; c < 4; ++c) {
    for (int line = kPrefetchLinesPerChunk * c;
         line < std::min<int>(kPrefetchLinesPerChunk * (c + 1), kQ4_KGroupBlockBytes / 64); ++line)
      prefetch_line(ahead + 64 * line);
    __m256i low = _mm256_setzero_si256(), high = _mm256_setzero_si256();  // sub-blocks 2c, 2c + 1
#pragma GCC unroll 8
    for (int k = 0; k < kBlockSteps; ++k) {
      const __m256i w = load32(group_nibbles(b, c, k));
      std::int32_t x_low, x_high;
      std::memcpy(&x_low, xq + (2 * c) * kActivationBlock + 4 * k, 4);
      std::memcpy(&x_high, xq + (2 * c + 1) * kActivationBlock + 4 * k, 4);
      low = _mm256_add_epi16(low, _mm256_maddubs_epi16(_mm256_and_si256(w, nibble), _mm256_set1_epi32(x_low)));
      high = _mm256_add_epi16(
          high, _mm256_maddubs_epi16(_mm256_and_si256(_mm256_srli_epi16(w, 4), nibble), _mm256_set1_epi32(x_high)));
    }
#pragma GCC unroll 2
    for (int h = 0; h < 2; ++h) {
      const int j = 2 * c + h;
      const __m256i factor = _mm256_mullo_epi32(q4_k_group_column(six.scales, j), _mm256_set1_epi32(xs.pair_scale[j]));
      t = _mm256_add_epi32(t, _mm256_madd_epi16(h == 0 ? low : high, factor));
      m = _mm256_add_epi32(m, _mm256_mullo_epi32(q4_k_group_column(six.mins, j), _mm256_set1_epi32(xs.scaled_sum[j])));
    }
  }
  return superblock_step(group_factors(b), t, m, xs.d, acc);
}

inline void q4_k_group_decode(const std::byte* group, const std::int8_t* xq, const SuperblockScales* xs,
                              std::int64_t superblocks, float* y, int lo, int hi) {
  __m256 acc = _mm256_setzero_ps();
  for (std::int64_t s = 0; s < superblocks; ++s)
    acc = q4_k_group_decode_block(group + s * kQ4_KGroupBlockBytes, xq + s * kSuperblock, xs[s], acc);
  store_lanes(y, acc, lo, hi);
}

inline void q4_k_unpack_group_block(const std::byte* b, Q4_KTileBlock& block) {
  const __m256i nibble = _mm256_set1_epi8(15);
  for (int c = 0; c < 4; ++c)
    for (int k = 0; k < kBlockSteps; ++k) {
      const __m256i w = load32(group_nibbles(b, c, k));
      block.steps[2 * c][k] = _mm256_and_si256(w, nibble);
      block.steps[2 * c + 1][k] = _mm256_and_si256(_mm256_srli_epi16(w, 4), nibble);
    }
  const Q4_KGroupSixBit six = q4_k_group_six_bit(b);
  for (int j = 0; j < kSubBlocks; ++j) {
    const __m256i scale = q4_k_group_column(six.scales, j);
    block.scale_pairs[j] = _mm256_or_si256(scale, _mm256_slli_epi32(scale, 16));
    block.mins[j] = q4_k_group_column(six.mins, j);
  }
  block.factors = group_factors(b);
}

template <class V>
void q4_k_matmul_rows(const WeightView& weight, const float* x, std::int64_t positions, float* y,
                      std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end) {
  const std::int64_t cols = weight.cols;
  const std::int64_t superblocks = cols / kSuperblock;  // per position
  const auto total = static_cast<std::size_t>(positions * superblocks);
  const bool grouped = weight.layout == WeightLayout::q4_k_row_groups;
  // Slot 0: the int8 activations; slot 1: their SuperblockScales; slot 2: prefill's accumulators or
  // decode's parts (sizes in floats).
  auto* q = reinterpret_cast<std::int8_t*>(V::scratch(0, total * kSuperblock / sizeof(float)));
  auto* scales = reinterpret_cast<SuperblockScales*>(V::scratch(1, total * sizeof(SuperblockScales) / sizeof(float)));
  quantize_superblocks(x, static_cast<std::int64_t>(total), q, scales);
  if (const Q4_KGroupProduct wide = V::q4_k_group_product(); wide != nullptr && grouped) {
    wide(weight, q, scales, positions, y, rows_total, row_begin, row_end);  // the same integers, 512 bits
    return;
  }
  const std::int64_t position_bytes = cols + superblocks * static_cast<std::int64_t>(sizeof(SuperblockScales));
  const std::int64_t block = std::clamp<std::int64_t>(kPositionBlockBytes / position_bytes, 1, positions);
  float* acc = V::scratch(2, static_cast<std::size_t>(std::max<std::int64_t>(
                                 8 * block, superblocks * sizeof(Q4_KTileParts) / sizeof(float))));
  const std::size_t row_bytes = weight.row_bytes();
  for (std::int64_t t0 = 0; t0 < positions; t0 += block) {
    const std::int64_t count = std::min(block, positions - t0);
    const std::int8_t* xq = q + t0 * cols;
    const SuperblockScales* xs = scales + t0 * superblocks;
    float* yt = y + t0 * rows_total;
    if (grouped) {
      // Whole groups; a range that starts or ends inside one stores only its own lanes.
      for (std::int64_t g = row_begin / kTileRows; g * kTileRows < row_end; ++g) {
        const std::int64_t first = g * kTileRows;
        const int lo = static_cast<int>(std::max(row_begin, first) - first);
        const int hi = static_cast<int>(std::min(row_end, first + kTileRows) - first);
        const std::byte* group = weight.data + g * superblocks * kQ4_KGroupBlockBytes;
        if (count == 1)
          q4_k_group_decode(group, xq, xs, superblocks, yt + first, lo, hi);
        else
          q4_k_prefill_tile(
              [&](std::int64_t s, Q4_KTileBlock& b) { q4_k_unpack_group_block(group + s * kQ4_KGroupBlockBytes, b); },
              xq, xs, count, superblocks, yt + first, rows_total, lo, hi, acc);
      }
      continue;
    }
    for (std::int64_t o = row_begin; o < row_end; o += kTileRows) {
      const RowTile tile = row_tile(weight, row_bytes, o, row_end);
      if (count == 1)
        q4_k_decode_tile(tile, xq, xs, superblocks, yt + o, reinterpret_cast<Q4_KTileParts*>(acc));
      else
        q4_k_prefill_tile(
            [&](std::int64_t s, Q4_KTileBlock& b) { q4_k_unpack_tile_block(tile, s * kQ4_KBlockBytes, b); }, xq, xs,
            count, superblocks, yt + o, rows_total, 0, tile.valid, acc);
    }
  }
}

// matmul_rows for a weight in another layout than rows: Q4_K's 8-row groups take the integer product;
// with it switched off, and any other layout (the amx table's BF16 tiles), the reference's f32
// product (which reads any layout).
template <class V>
void grouped_matmul_rows(const WeightView& weight, const float* x, std::int64_t positions, float* y,
                         std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end) {
  if (weight.layout == WeightLayout::q4_k_row_groups && integer_dot_enabled())
    q4_k_matmul_rows<V>(weight, x, positions, y, rows_total, row_begin, row_end);
  else
    reference_kernels().matmul_rows(weight, x, positions, y, rows_total, row_begin, row_end);
}
