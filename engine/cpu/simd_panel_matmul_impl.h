// The avx2 table's matrix product for F16 and BF16 weights (and the quantized ones when the
// integer product is off) as outer products of packed panels. Included by avx2_kernels.cpp inside
// its target region and anonymous namespace after simd_kernels_impl.h (whose convert_chunk it uses),
// with V = Avx2 for the scratch buffers; it includes nothing itself.
//
// Every output is one float chain: acc = fma(W[o][k], x[t][k], acc) for k = 0, 1, …, cols − 1 in
// order, from acc = 0, in one lane (lane r of a vector = row r of a 16-row tile). Tiles of
// positions, column chunks and thread splits change only when these steps run, so the results are
// the same bits for any thread count and any number of positions per call (decode and prefill agree).
//
// Why outer products: the dot form of simd_kernels_impl.h keeps a vector of 8 partial sums per
// output, so its 12 accumulators hold 12 outputs and every 12 FMAs load 3 activation vectors (96
// bytes, from L2 in prefill). Here 12 accumulators hold 16 rows × 6 positions = 96 outputs, and
// every 12 FMAs load 2 weight vectors from a panel in L1 plus 6 broadcast activations (24 bytes).
// The price is the panel: a chunk of 16 weight rows transposed to [column][row], once per position
// block; decode transposes in registers instead (panel_decode). Measured on a Zen 3, whole model,
// against the dot form: BF16 decode 1.45–1.76×, prefill 0.82–1.31× (noisy; 1.2–1.3× on one thread in
// a kernel harness); F32 decode 0.74–0.84× (a row's chain is one dependent FMA per value, which with
// 8 rows read side by side keeps fewer loads in flight), so F32 stays with the dot form. Only the
// avx2 table uses it so far: the avx512 table keeps the dot form until this has run on an AVX-512
// CPU (it is written for 8-lane vectors).

constexpr int kPanelRows = 16;               // two 8-lane vectors of rows
constexpr int kPanelPositions = 6;           // 6 × 2 accumulators + 2 weight vectors + 1 broadcast
constexpr std::int64_t kPanelColumns = 256;  // a panel of 256 × 16 f32 is 16 KiB: half of L1
constexpr std::int64_t kPanelFloats = kPanelRows * kPanelColumns;
// Positions per block: as many as keep their packed activations within this many bytes. Unlike the
// dot form they may come from L3: every 16-row tile reads the block's activations once while doing
// 16 multiply-adds per 4-byte value, 4 bytes per cycle of FMA work at any block size, which L3
// sustains; a larger block spreads each panel's conversion over more positions (measured on a Zen 3:
// 8 MiB blocks 1.1–1.3× faster than 768 KiB ones).
constexpr std::int64_t kPanelBlockBytes = std::int64_t{8} << 20;

// 8×8 transpose of floats: lane r of out[k] = lane k of in[r].
[[gnu::always_inline]] inline void transpose8x8_ps(const __m256 in[8], __m256 out[8]) {
  __m256 pairs[8], quads[8];
#pragma GCC unroll 4
  for (int i = 0; i < 8; i += 2) {
    pairs[i] = _mm256_unpacklo_ps(in[i], in[i + 1]);
    pairs[i + 1] = _mm256_unpackhi_ps(in[i], in[i + 1]);
  }
#pragma GCC unroll 2
  for (int i = 0; i < 8; i += 4) {
    quads[i] = _mm256_shuffle_ps(pairs[i], pairs[i + 2], 0x44);
    quads[i + 1] = _mm256_shuffle_ps(pairs[i], pairs[i + 2], 0xee);
    quads[i + 2] = _mm256_shuffle_ps(pairs[i + 1], pairs[i + 3], 0x44);
    quads[i + 3] = _mm256_shuffle_ps(pairs[i + 1], pairs[i + 3], 0xee);
  }
#pragma GCC unroll 4
  for (int k = 0; k < 4; ++k) {
    out[k] = _mm256_permute2f128_ps(quads[k], quads[k + 4], 0x20);
    out[k + 4] = _mm256_permute2f128_ps(quads[k], quads[k + 4], 0x31);
  }
}

// panel[k·16 + r] = tile[r·kPanelColumns + k] for k < n, r < 16 (the caller zeroes rows past the
// matrix's end in the tile).
inline void pack_panel(const float* tile, std::int64_t n, float* panel) {
  std::int64_t k = 0;
  for (; k + 8 <= n; k += 8)
#pragma GCC unroll 2
    for (int half = 0; half < 2; ++half) {
      __m256 in[8], out[8];
#pragma GCC unroll 8
      for (int r = 0; r < 8; ++r) in[r] = _mm256_load_ps(tile + (8 * half + r) * kPanelColumns + k);
      transpose8x8_ps(in, out);
#pragma GCC unroll 8
      for (int j = 0; j < 8; ++j) _mm256_store_ps(panel + (k + j) * kPanelRows + 8 * half, out[j]);
    }
  for (; k < n; ++k)
    for (int r = 0; r < kPanelRows; ++r) panel[k * kPanelRows + r] = tile[r * kPanelColumns + k];
}

// Copies `positions` rows of `cols` activations into the order the position tiles read them: per
// chunk of columns and tile of 6 positions, column-major (the tile's 6 values of column k adjacent),
// so a tile's broadcasts walk one stream instead of 6. Position slots past `positions` are zero.
inline void pack_panel_positions(const float* x, std::int64_t positions, std::int64_t cols, float* packed) {
  const std::int64_t chunks = (cols + kPanelColumns - 1) / kPanelColumns;
  const std::int64_t tiles = (positions + kPanelPositions - 1) / kPanelPositions;
  for (std::int64_t c = 0; c < chunks; ++c) {
    const std::int64_t k0 = c * kPanelColumns, n = std::min(kPanelColumns, cols - k0);
    for (std::int64_t tile = 0; tile < tiles; ++tile) {
      float* to = packed + (c * tiles + tile) * kPanelColumns * kPanelPositions;
      for (int p = 0; p < kPanelPositions; ++p) {
        const std::int64_t t = tile * kPanelPositions + p;
        if (t < positions) {
          const float* from = x + t * cols + k0;
          for (std::int64_t k = 0; k < n; ++k) to[k * kPanelPositions + p] = from[k];
        } else {
          for (std::int64_t k = 0; k < n; ++k) to[k * kPanelPositions + p] = 0.0f;
        }
      }
    }
  }
}

// P positions of a 16-row tile over one chunk (n columns): acc holds their 2 vectors each (rows
// 0–7, 8–15) between chunks, or y receives them after the last chunk (`rows` of the 16 valid).
template <int P>
void panel_positions(const float* panel, std::int64_t n, const float* x, float* acc, bool first, float* y,
                     std::int64_t y_stride, int rows) {
  __m256 a[2][P];
#pragma GCC unroll 8
  for (int p = 0; p < P; ++p)
#pragma GCC unroll 2
    for (int h = 0; h < 2; ++h) a[h][p] = first ? _mm256_setzero_ps() : _mm256_load_ps(acc + p * kPanelRows + 8 * h);
  for (std::int64_t k = 0; k < n; ++k) {
    const __m256 w0 = _mm256_load_ps(panel + k * kPanelRows), w1 = _mm256_load_ps(panel + k * kPanelRows + 8);
#pragma GCC unroll 8
    for (int p = 0; p < P; ++p) {
      const __m256 xb = _mm256_broadcast_ss(x + k * kPanelPositions + p);
      a[0][p] = _mm256_fmadd_ps(w0, xb, a[0][p]);
      a[1][p] = _mm256_fmadd_ps(w1, xb, a[1][p]);
    }
  }
  if (y == nullptr) {
#pragma GCC unroll 8
    for (int p = 0; p < P; ++p)
#pragma GCC unroll 2
      for (int h = 0; h < 2; ++h) _mm256_store_ps(acc + p * kPanelRows + 8 * h, a[h][p]);
    return;
  }
  const __m256i first_lanes = _mm256_cmpgt_epi32(_mm256_set1_epi32(rows), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  const __m256i second_lanes =
      _mm256_cmpgt_epi32(_mm256_set1_epi32(rows), _mm256_setr_epi32(8, 9, 10, 11, 12, 13, 14, 15));
#pragma GCC unroll 8
  for (int p = 0; p < P; ++p) {
    float* out = y + p * y_stride;
    if (rows == kPanelRows) {
      _mm256_storeu_ps(out, a[0][p]);
      _mm256_storeu_ps(out + 8, a[1][p]);
    } else {
      _mm256_maskstore_ps(out, first_lanes, a[0][p]);
      _mm256_maskstore_ps(out + 8, second_lanes, a[1][p]);
    }
  }
}

using PanelPositions = void (*)(const float*, std::int64_t, const float*, float*, bool, float*, std::int64_t, int);
inline constexpr std::array<PanelPositions, kPanelPositions> kPanelTiles = {&panel_positions<1>, &panel_positions<2>,
                                                                            &panel_positions<3>, &panel_positions<4>,
                                                                            &panel_positions<5>, &panel_positions<6>};

// Decode (one position): the chains of panel_positions<1>, step for step (lane r of a vector is row
// r's chain, in column order), with the weights transposed 8 × 8 in registers straight from their
// rows instead of through a panel in memory, 8 rows at a time. BF16 and F16 rows are read where they
// lie (widened exactly in registers), side by side, each asked for kDecodePrefetchBytes ahead; the
// quantized dtypes are converted a chunk of 8 rows at a time first. (Copying whole chunks of 16 rows
// into a panel first waited on memory: F32 decode at 0.35 of the bandwidth.)
constexpr std::int64_t kDecodePrefetchBytes = 2048;

enum class RowFormat { f32, bf16, f16 };

template <RowFormat Format>
[[gnu::always_inline]] inline __m256 load_row8(const std::byte* p) {
  if constexpr (Format == RowFormat::f32) return _mm256_loadu_ps(reinterpret_cast<const float*>(p));
  const __m128i bits = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  if constexpr (Format == RowFormat::f16) return _mm256_cvtph_ps(bits);
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(bits), 16));
}

template <RowFormat Format>
inline float load_row1(const std::byte* p) {
  if constexpr (Format == RowFormat::f32) {
    float value;
    std::memcpy(&value, p, sizeof value);
    return value;
  }
  std::uint16_t bits;
  std::memcpy(&bits, p, 2);
  if constexpr (Format == RowFormat::f16) return fp16_to_f32(bits);
  return bf16_to_f32(bits);
}

// Rows [tile_begin, tile_begin + rows) (rows ≤ 8) of `n` values each at source[r] (byte pointers,
// rows past `rows` repeating the last), one chain per lane continued from acc.
template <RowFormat Format>
[[gnu::always_inline]] inline __m256 decode_columns(const std::byte* const source[8], int rows, std::int64_t n,
                                                    const float* x, __m256 acc, bool prefetch) {
  constexpr std::int64_t kBytes = Format == RowFormat::f32 ? 4 : 2;
  std::int64_t k = 0;
  for (; k + 8 <= n; k += 8) {
    if (prefetch && k * kBytes % 64 == 0)
      for (int r = 0; r < rows; ++r) __builtin_prefetch(source[r] + k * kBytes + kDecodePrefetchBytes);
    __m256 in[8], columns[8];
#pragma GCC unroll 8
    for (int r = 0; r < 8; ++r) in[r] = load_row8<Format>(source[r] + k * kBytes);
    transpose8x8_ps(in, columns);
#pragma GCC unroll 8
    for (int j = 0; j < 8; ++j) acc = _mm256_fmadd_ps(columns[j], _mm256_broadcast_ss(x + k + j), acc);
  }
  for (; k < n; ++k) {
    alignas(32) float w[8];
    for (int r = 0; r < 8; ++r) w[r] = load_row1<Format>(source[r] + k * kBytes);
    acc = _mm256_fmadd_ps(_mm256_load_ps(w), _mm256_broadcast_ss(x + k), acc);
  }
  return acc;
}

template <class V>
void panel_decode(const WeightView& weight, const float* x, float* y, std::int64_t row_begin, std::int64_t row_end) {
  const std::int64_t cols = weight.cols;
  const DType dtype = weight.dtype;
  const bool in_place = dtype == DType::bf16 || dtype == DType::f16;
  const std::size_t row_bytes = weight.row_bytes();
  float* tile = V::scratch(0, kPanelFloats);
  for (std::int64_t tile_begin = row_begin; tile_begin < row_end; tile_begin += 8) {
    const int rows = static_cast<int>(std::min<std::int64_t>(8, row_end - tile_begin));
    const std::byte* source[8];  // rows past the matrix's end repeat its last row (lanes not stored)
    __m256 acc = _mm256_setzero_ps();
    if (in_place) {
      for (int r = 0; r < 8; ++r)
        source[r] = weight.data + static_cast<std::size_t>(tile_begin + std::min(r, rows - 1)) * row_bytes;
      if (dtype == DType::bf16)
        acc = decode_columns<RowFormat::bf16>(source, rows, cols, x, acc, true);
      else
        acc = decode_columns<RowFormat::f16>(source, rows, cols, x, acc, true);
    } else {
      for (std::int64_t k0 = 0; k0 < cols; k0 += kPanelColumns) {
        const std::int64_t n = std::min(kPanelColumns, cols - k0);
        for (int r = 0; r < rows; ++r) convert_chunk<V>(weight, tile_begin + r, k0, n, tile + r * kPanelColumns);
        for (int r = 0; r < 8; ++r)
          source[r] = reinterpret_cast<const std::byte*>(tile + std::min(r, rows - 1) * kPanelColumns);
        acc = decode_columns<RowFormat::f32>(source, rows, n, x + k0, acc, false);
      }
    }
    alignas(32) float values[8];
    _mm256_store_ps(values, acc);
    std::memcpy(y + tile_begin, values, static_cast<std::size_t>(rows) * sizeof(float));
  }
}

template <class V>
void panel_matmul_rows(const WeightView& weight, const float* x, std::int64_t positions, float* y,
                       std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end) {
  if (positions == 1) {
    panel_decode<V>(weight, x, y, row_begin, row_end);
    return;
  }
  const std::int64_t cols = weight.cols;
  const std::int64_t chunks = (cols + kPanelColumns - 1) / kPanelColumns;
  // Packed chunks are kPanelColumns wide even when the last (or only) one is narrower.
  const std::int64_t fitting = kPanelBlockBytes / (static_cast<std::int64_t>(sizeof(float)) * chunks * kPanelColumns);
  const std::int64_t block =
      std::min(positions, std::max<std::int64_t>(kPanelPositions, fitting / kPanelPositions * kPanelPositions));
  // Slot 0: the converted chunk of 16 rows, then its panel; slot 1: the accumulators; slot 2: x.
  float* tile = V::scratch(0, 2 * kPanelFloats);
  float* panel = tile + kPanelFloats;
  float* acc = V::scratch(1, static_cast<std::size_t>(block * kPanelRows));
  const std::int64_t position_tiles = (block + kPanelPositions - 1) / kPanelPositions;
  float* packed = V::scratch(2, static_cast<std::size_t>(chunks * position_tiles * kPanelPositions * kPanelColumns));

  for (std::int64_t block_begin = 0; block_begin < positions; block_begin += block) {
    const std::int64_t block_positions = std::min(block, positions - block_begin);
    pack_panel_positions(x + block_begin * cols, block_positions, cols, packed);
    for (std::int64_t tile_begin = row_begin; tile_begin < row_end; tile_begin += kPanelRows) {
      const int rows = static_cast<int>(std::min<std::int64_t>(kPanelRows, row_end - tile_begin));
      if (rows < kPanelRows)  // lanes past the matrix's end: never stored, zero rather than any bits
        std::memset(tile + rows * kPanelColumns, 0, static_cast<std::size_t>((kPanelRows - rows) * kPanelColumns) * 4);
      for (std::int64_t c = 0; c < chunks; ++c) {
        const std::int64_t k0 = c * kPanelColumns, n = std::min(kPanelColumns, cols - k0);
        for (int r = 0; r < rows; ++r) convert_chunk<V>(weight, tile_begin + r, k0, n, tile + r * kPanelColumns);
        pack_panel(tile, n, panel);
        const std::int64_t tiles = (block_positions + kPanelPositions - 1) / kPanelPositions;
        const float* x_chunk = packed + c * tiles * kPanelPositions * kPanelColumns;
        const bool last = c + 1 == chunks;
        for (std::int64_t t0 = 0; t0 < block_positions; t0 += kPanelPositions) {
          const int count = static_cast<int>(std::min<std::int64_t>(kPanelPositions, block_positions - t0));
          float* out = last ? y + (block_begin + t0) * rows_total + tile_begin : nullptr;
          kPanelTiles[static_cast<std::size_t>(count - 1)](panel, n, x_chunk + t0 * kPanelColumns,
                                                           acc + t0 * kPanelRows, c == 0, out, rows_total, rows);
        }
      }
    }
  }
}
