// The SIMD kernels, written once over a vector-traits type V and compiled once per instruction set:
// avx2_kernels.cpp and avx512_kernels.cpp include this file inside their target region and anonymous
// namespace, after defining V. It includes nothing itself (the including file has every header
// ready before its target region starts, so no header code is compiled with the wider ISA).
//
// V provides: F (float vector) and I (int32 vector) types, kLanes, kTileRows, kTilePositions;
// zero, set1, load, load_to_register, load_first(p, n), store, store_first(p, v, n), fma, mul, add, sub, max, reduce,
// reduce_tile (reduce of kTileRows accumulators at once, the same bits);
// from_f16, from_bf16 (kLanes values to F), from_i8, from_u8 (kLanes bytes to I), and_i, or_i,
// sub_i, srl_i, sll_i, set1_i, to_float. And scratch(slot, count): a thread-local float buffer.
//
// Matrix products (matmul_rows): every output y[t][o] is one accumulator of kLanes lanes, fed by
// fma(W[o][k..k+L), x[t][k..k+L)) for k = 0, L, 2L, ... in order (the last vector masked), and
// reduced by V::reduce once at the end. Tiles of rows × positions, column chunks and thread splits
// only change WHEN these steps run, never which steps or in what order, so results are the same
// bits for any thread count and any number of positions per call (decode and prefill agree).
// Weights that are not f32 in memory are converted exactly (F16, BF16, and ggml blocks with the
// reference's own arithmetic) into a small f32 tile, once per row tile and column chunk, and then
// reused for every position.
// The tables send Q8_0, Q4_0, Q4_K and Q6_K weights to the integer product instead
// (simd_integer_dot_impl.h) unless integer_dot_enabled() is false; then they come through here.

// Blocking. A weight tile of kTileRows rows × kChunk columns (f32; 16 KiB for AVX-512) is converted
// once per position block into an aligned buffer and stays in L1 while every position tile of the
// block runs over it; the accumulators go to memory and back once per chunk (512 columns gave 5–10 %
// faster prefill than 256: half the accumulator traffic). Prefill takes kGroupRows rows through one
// chunk at a time, tile after tile, then the same rows through the next chunk: so one chunk of the
// block's activations (kChunkPositionBytes) is all the x a group reads, and it stays in L2 while
// the group's tiles pass over it. (Before, each tile went through all chunks, and the block held
// 768 KiB of whole activation rows, more than a Zen 3's 512 KiB L2: the products read x from L3 at
// ~0.65 of the FMA peak, vs ~0.9 from L2 in a bare loop; whole-model BF16 and F32 prefill of RWKV-7
// 0.4B became 1.05–1.08× faster there, medians of alternating pairs.) Decode runs one tile through all its chunks,
// reading each row from start to end. The per-lane order of the sums is the same for every chunk, group and block size,
// so the answers are bit for bit the same as decode's.
constexpr std::int64_t kChunk = 512;
constexpr std::int64_t kChunkPositionBytes = 192 * 1024;  // 96 positions of f32
constexpr std::int64_t kGroupRows = 32;  // their accumulators: 96 positions · 32 rows · 32 or 64 bytes

inline float half_to_float(const std::byte* p) {
  std::uint16_t bits;
  std::memcpy(&bits, p, 2);
  return fp16_to_f32(bits);
}

template <class V>
void convert_f16(const std::byte* src, std::int64_t n, float* out) {
  std::int64_t i = 0;
  for (; i + V::kLanes <= n; i += V::kLanes) V::store(out + i, V::from_f16(src + 2 * i));
  for (; i < n; ++i) out[i] = half_to_float(src + 2 * i);
}

template <class V>
void convert_bf16(const std::byte* src, std::int64_t n, float* out) {
  std::int64_t i = 0;
  for (; i + V::kLanes <= n; i += V::kLanes) V::store(out + i, V::from_bf16(src + 2 * i));
  for (; i < n; ++i) {
    std::uint16_t bits;
    std::memcpy(&bits, src + 2 * i, 2);
    out[i] = bf16_to_f32(bits);
  }
}

// Q8_0 {half d; int8 qs[32]}: y = q·d.
template <class V>
void dequantize_q8_0(const std::byte* src, std::int64_t blocks, float* out) {
  for (std::int64_t b = 0; b < blocks; ++b, src += 34, out += 32) {
    const typename V::F d = V::set1(half_to_float(src));
    for (int j = 0; j < 32; j += V::kLanes) V::store(out + j, V::mul(V::to_float(V::from_i8(src + 2 + j)), d));
  }
}

// Q4_0 {half d; uint8 qs[16]}: low nibbles are elements 0..15, high nibbles 16..31; y = d·(q − 8).
template <class V>
void dequantize_q4_0(const std::byte* src, std::int64_t blocks, float* out) {
  const typename V::I low_mask = V::set1_i(15), eight = V::set1_i(8);
  for (std::int64_t b = 0; b < blocks; ++b, src += 18, out += 32) {
    const typename V::F d = V::set1(half_to_float(src));
    for (int j = 0; j < 16; j += V::kLanes) {
      const typename V::I q = V::from_u8(src + 2 + j);
      V::store(out + j, V::mul(d, V::to_float(V::sub_i(V::and_i(q, low_mask), eight))));
      V::store(out + 16 + j, V::mul(d, V::to_float(V::sub_i(V::srl_i(q, 4), eight))));
    }
  }
}

// Q4_K {half d; half dmin; uint8 scales[12]; uint8 qs[128]}: y = (d·scale)·q − dmin·min.
template <class V>
void dequantize_q4_k(const std::byte* src, std::int64_t blocks, float* out) {
  const typename V::I low_mask = V::set1_i(15);
  for (std::int64_t b = 0; b < blocks; ++b, src += 144, out += 256) {
    const float d = half_to_float(src), dmin = half_to_float(src + 2);
    const io::KQuantScales scales = io::unpack_k_quant_scales(src + 4);
    for (int s = 0; s < 8; ++s) {
      const typename V::F ds = V::set1(d * static_cast<float>(scales.scale[s])),
                          dm = V::set1(dmin * static_cast<float>(scales.min[s]));
      const std::byte* q = src + 16 + 32 * (s / 2);
      const int shift = (s % 2) * 4;
      for (int l = 0; l < 32; l += V::kLanes) {
        const typename V::I nibble = V::and_i(V::srl_i(V::from_u8(q + l), shift), low_mask);
        V::store(out + 32 * s + l, V::sub(V::mul(ds, V::to_float(nibble)), dm));
      }
    }
  }
}

// Q6_K {uint8 ql[128]; uint8 qh[64]; int8 scales[16]; half d}: y = (d·scale)·(q − 32).
template <class V>
void dequantize_q6_k(const std::byte* src, std::int64_t blocks, float* out) {
  using I = typename V::I;
  const I low_mask = V::set1_i(15), two_bits = V::set1_i(3), offset = V::set1_i(32);
  for (std::int64_t b = 0; b < blocks; ++b, src += 210, out += 256) {
    const float d = half_to_float(src + 208);
    for (int half = 0; half < 2; ++half) {
      const std::byte* ql = src + 64 * half;
      const std::byte* qh = src + 128 + 32 * half;
      const std::byte* sc = src + 192 + 8 * half;
      float* y = out + 128 * half;
      const auto scale = [&](int i) {
        return V::set1(d * static_cast<float>(static_cast<std::int8_t>(static_cast<std::uint8_t>(sc[i]))));
      };
      for (int l = 0; l < 32; l += V::kLanes) {
        const int is = l / 16;
        const I h = V::from_u8(qh + l), a = V::from_u8(ql + l), c = V::from_u8(ql + l + 32);
        const auto high = [&](int shift) { return V::sll_i(V::and_i(V::srl_i(h, shift), two_bits), 4); };
        const I q1 = V::sub_i(V::or_i(V::and_i(a, low_mask), high(0)), offset);
        const I q2 = V::sub_i(V::or_i(V::and_i(c, low_mask), high(2)), offset);
        const I q3 = V::sub_i(V::or_i(V::srl_i(a, 4), high(4)), offset);
        const I q4 = V::sub_i(V::or_i(V::srl_i(c, 4), high(6)), offset);
        V::store(y + l, V::mul(scale(is + 0), V::to_float(q1)));
        V::store(y + l + 32, V::mul(scale(is + 2), V::to_float(q2)));
        V::store(y + l + 64, V::mul(scale(is + 4), V::to_float(q3)));
        V::store(y + l + 96, V::mul(scale(is + 6), V::to_float(q4)));
      }
    }
  }
}

// Columns [k0, k0 + n) of row `row` as f32 (k0 and n whole blocks of a quantized dtype).
template <class V>
void convert_chunk(const WeightView& weight, std::int64_t row, std::int64_t k0, std::int64_t n, float* out) {
  const DTypeInfo info = dtype_info(weight.dtype);
  const std::byte* src = weight.row(row) + k0 / info.block_size * info.block_bytes;
  const std::int64_t blocks = n / info.block_size;
  switch (weight.dtype) {
    case DType::f32: std::memcpy(out, src, static_cast<std::size_t>(n) * sizeof(float)); return;
    case DType::f16: convert_f16<V>(src, n, out); return;
    case DType::bf16: convert_bf16<V>(src, n, out); return;
    case DType::q8_0: dequantize_q8_0<V>(src, blocks, out); return;
    case DType::q4_0: dequantize_q4_0<V>(src, blocks, out); return;
    case DType::q4_k: dequantize_q4_k<V>(src, blocks, out); return;
    case DType::q6_k: dequantize_q6_k<V>(src, blocks, out); return;
    default: convert_to_f32(weight.dtype, src, n, out); return;  // other ggml blocks: the reference
  }
}

// Copies `positions` rows of `cols` activations into chunk-major order: chunk c of position t at
// (c·positions + t)·kChunk. A position tile then reads its chunk from adjacent, aligned memory
// (measured 1.1–1.3× faster prefill for 1024- and 4096-column rows than the caller's layout, whose
// rows lie 4 or 16 KiB apart on the same L1 sets).
template <class V>
void pack_positions(const float* x, std::int64_t positions, std::int64_t cols, float* packed) {
  constexpr int L = V::kLanes;
  const std::int64_t chunks = (cols + kChunk - 1) / kChunk;
  for (std::int64_t t = 0; t < positions; ++t)
    for (std::int64_t c = 0; c < chunks; ++c) {
      const float* from = x + t * cols + c * kChunk;
      float* to = packed + (c * positions + t) * kChunk;
      const std::int64_t n = std::min(kChunk, cols - c * kChunk);
      std::int64_t i = 0;
      for (; i + L <= n; i += L) V::store(to + i, V::load(from + i));
      if (i < n) V::store_first(to + i, V::load_first(from + i, static_cast<int>(n - i)), static_cast<int>(n - i));
    }
}

// The cache lines of a weight chunk (columns [k0, k0 + kChunk) of rows [row, row + rows)), asked for
// ahead of their use a share at a time: prefill calls step() once per position tile of the chunk
// before, whose work hides the fetch. Without it the conversion waited on memory (the hardware
// prefetcher does not follow 8 rows' short runs); asking for all lines at once stalled on the
// core's few line-fill buffers instead.
class ChunkPrefetch {
 public:
  ChunkPrefetch() = default;
  ChunkPrefetch(const WeightView& weight, std::int64_t row, int rows, std::int64_t k0, std::int64_t steps) {
    const DTypeInfo info = dtype_info(weight.dtype);
    row_start_ = line_ = reinterpret_cast<const char*>(weight.row(row) + k0 / info.block_size * info.block_bytes);
    row_bytes_ = static_cast<std::int64_t>(weight.row_bytes());
    const std::int64_t bytes = std::min(kChunk, weight.cols - k0) / info.block_size * info.block_bytes;
    lines_per_row_ = (bytes + 63) / 64;
    left_ = lines_per_row_ * rows;
    per_step_ = (left_ + steps - 1) / std::max<std::int64_t>(steps, 1);
  }
  // Counters, not a division per line: the division cost as much as the fetches.
  void step() {
    for (std::int64_t n = std::min(left_, per_step_); n > 0; --n, --left_) {
      __builtin_prefetch(line_);
      line_ += 64;
      if (++in_row_ == lines_per_row_) {
        in_row_ = 0;
        row_start_ += row_bytes_;
        line_ = row_start_;
      }
    }
  }

 private:
  const char* row_start_ = nullptr;
  const char* line_ = nullptr;
  std::int64_t row_bytes_ = 0, lines_per_row_ = 0, left_ = 0, per_step_ = 0, in_row_ = 0;
};

// acc[p][r] (kLanes floats each, position stride kTileRows) += W[r][0..n) ⊙ x[p][0..n), lane-wise,
// for R rows and P positions. `first`: start from zero instead of acc.
template <class V, int R, int P>
void dot_tile(const float* const* w, const float* x, std::int64_t x_stride, std::int64_t n, float* acc, bool first) {
  using F = typename V::F;
  constexpr int L = V::kLanes;
  F a[R][P];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 16
    for (int p = 0; p < P; ++p) a[r][p] = first ? V::zero() : V::load(acc + (p * V::kTileRows + r) * L);
  std::int64_t k = 0;
  for (; k + L <= n; k += L) {
    F xv[P];
#pragma GCC unroll 16
    for (int p = 0; p < P; ++p) xv[p] = V::load(x + p * x_stride + k);
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const F wv = V::load_to_register(w[r] + k);
#pragma GCC unroll 16
      for (int p = 0; p < P; ++p) a[r][p] = V::fma(wv, xv[p], a[r][p]);
    }
  }
  if (k < n) {
    const int rest = static_cast<int>(n - k);
    F xv[P];
#pragma GCC unroll 16
    for (int p = 0; p < P; ++p) xv[p] = V::load_first(x + p * x_stride + k, rest);
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const F wv = V::load_first(w[r] + k, rest);
#pragma GCC unroll 16
      for (int p = 0; p < P; ++p) a[r][p] = V::fma(wv, xv[p], a[r][p]);
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 16
    for (int p = 0; p < P; ++p) V::store(acc + (p * V::kTileRows + r) * L, a[r][p]);
}

using DotTile = void (*)(const float* const*, const float*, std::int64_t, std::int64_t, float*, bool);

// dot_tile<V, R, 1> for F16 or BF16 rows read where they lie, each vector widened to f32 in registers
// as it is loaded (exactly, as convert_chunk does): the same steps on the same values, so the same
// bits as converting the rows into the tile first. Decode then reads half the bytes of F32 without
// the tile's store and reload, which had held BF16 decode to 0.35–0.4 of the memory bandwidth.
template <class V, DType Format>
[[gnu::always_inline]] inline typename V::F widen(const std::byte* p) {
  if constexpr (Format == DType::f16)
    return V::from_f16(p);
  else
    return V::from_bf16(p);
}

template <class V, int R, DType Format>
void widening_dot_tile(const std::byte* const* w, const float* x, std::int64_t n, float* acc, bool first) {
  using F = typename V::F;
  constexpr int L = V::kLanes;
  F a[R];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r) a[r] = first ? V::zero() : V::load(acc + r * L);
  std::int64_t k = 0;
  for (; k + L <= n; k += L) {
    const F xv = V::load(x + k);
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) a[r] = V::fma(widen<V, Format>(w[r] + 2 * k), xv, a[r]);
  }
  if (k < n) {
    const int rest = static_cast<int>(n - k);
    const F xv = V::load_first(x + k, rest);
    alignas(64) float values[L];
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      if (Format == DType::f16)
        convert_f16<V>(w[r] + 2 * k, rest, values);
      else
        convert_bf16<V>(w[r] + 2 * k, rest, values);
      a[r] = V::fma(V::load_first(values, rest), xv, a[r]);
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r) V::store(acc + r * L, a[r]);
}

using WideningDotTile = void (*)(const std::byte* const*, const float*, std::int64_t, float*, bool);

// Every widening_dot_tile<R, Format>, indexed by R − 1.
template <class V, DType Format, std::size_t... Index>
constexpr std::array<WideningDotTile, sizeof...(Index)> widening_dot_tiles(std::index_sequence<Index...>) {
  return {&widening_dot_tile<V, static_cast<int>(Index) + 1, Format>...};
}

// simd_matmul_rows for one position of F16 / BF16 weights (decode): each row tile runs through all
// its chunks in order, widened in registers, with no weight tile (the same steps as the tile path).
template <class V, DType Format>
void widening_matmul_rows(const WeightView& weight, const float* x, float* y, std::int64_t row_begin,
                          std::int64_t row_end) {
  constexpr int R = V::kTileRows;
  static constexpr auto tiles = widening_dot_tiles<V, Format>(std::make_index_sequence<R>());
  float* acc = V::scratch(1, static_cast<std::size_t>(R * V::kLanes));
  for (std::int64_t tile_begin = row_begin; tile_begin < row_end; tile_begin += R) {
    const int rows = static_cast<int>(std::min<std::int64_t>(R, row_end - tile_begin));
    for (std::int64_t k0 = 0; k0 < weight.cols; k0 += kChunk) {
      const std::byte* w[R] = {};
      for (int r = 0; r < rows; ++r) w[r] = weight.row(tile_begin + r) + 2 * k0;
      tiles[static_cast<std::size_t>(rows - 1)](w, x + k0, std::min(kChunk, weight.cols - k0), acc, k0 == 0);
    }
    float sums[R];
    V::reduce_tile(acc, sums);
    std::memcpy(y + tile_begin, sums, static_cast<std::size_t>(rows) * sizeof(float));
  }
}

// Every dot_tile<R, P>, indexed by (R − 1)·kTilePositions + (P − 1).
template <class V, std::size_t... Index>
constexpr std::array<DotTile, sizeof...(Index)> dot_tiles(std::index_sequence<Index...>) {
  return {&dot_tile<V, static_cast<int>(Index) / V::kTilePositions + 1,
                    static_cast<int>(Index) % V::kTilePositions + 1>...};
}

template <class V>
void simd_matmul_rows(const WeightView& weight, const float* x, std::int64_t positions, float* y,
                      std::int64_t rows_total, std::int64_t row_begin, std::int64_t row_end) {
  if (positions == 1 && weight.dtype == DType::f16)
    return widening_matmul_rows<V, DType::f16>(weight, x, y, row_begin, row_end);
  if (positions == 1 && weight.dtype == DType::bf16)
    return widening_matmul_rows<V, DType::bf16>(weight, x, y, row_begin, row_end);
  constexpr int L = V::kLanes, R = V::kTileRows, P = V::kTilePositions;
  static constexpr auto tiles = dot_tiles<V>(std::make_index_sequence<R * P>());
  const std::int64_t cols = weight.cols;
  const std::int64_t chunks = (cols + kChunk - 1) / kChunk;
  const std::int64_t fitting = kChunkPositionBytes / (static_cast<std::int64_t>(sizeof(float)) * kChunk) / P * P;
  const std::int64_t block = std::min(positions, std::max<std::int64_t>(P, fitting));
  const std::int64_t group_tiles = positions < 2 * P ? 1 : kGroupRows / R;
  // Decode reads f32 rows where they lie; prefill copies them into the aligned tile like any other
  // dtype (measured 1.1–1.4× faster than in place; rows 4 or 16 KiB apart share L1 sets).
  const bool in_place = positions < 2 * P && weight.dtype == DType::f32 &&
                        reinterpret_cast<std::uintptr_t>(weight.data) % alignof(float) == 0;
  float* tile = in_place ? nullptr : V::scratch(0, static_cast<std::size_t>(R * kChunk));
  float* acc = V::scratch(1, static_cast<std::size_t>(group_tiles * block * R * L));
  float* packed = V::scratch(2, static_cast<std::size_t>(chunks * block * kChunk));

  for (std::int64_t block_begin = 0; block_begin < positions; block_begin += block) {
    const std::int64_t block_positions = std::min(block, positions - block_begin);
    pack_positions<V>(x + block_begin * cols, block_positions, cols, packed);
    for (std::int64_t group_begin = row_begin; group_begin < row_end; group_begin += group_tiles * R) {
      const std::int64_t group_end = std::min(row_end, group_begin + group_tiles * R);
      for (std::int64_t c = 0; c < chunks; ++c) {
        const std::int64_t k0 = c * kChunk, n = std::min(kChunk, cols - k0);
        const bool last = c + 1 == chunks;
        for (std::int64_t tile_begin = group_begin; tile_begin < group_end; tile_begin += R) {
          const int rows = static_cast<int>(std::min<std::int64_t>(R, group_end - tile_begin));
          float* tile_acc = acc + (tile_begin - group_begin) / R * block_positions * R * L;
          const float* w[R] = {};
          for (int r = 0; r < rows; ++r) {
            if (in_place) {
              w[r] = reinterpret_cast<const float*>(weight.row(tile_begin + r)) + k0;
            } else {
              convert_chunk<V>(weight, tile_begin + r, k0, n, tile + r * kChunk);
              w[r] = tile + r * kChunk;
            }
          }
          const std::int64_t position_tiles = (block_positions + P - 1) / P;
          ChunkPrefetch next;
          if (block_positions >= 2 * P) {
            std::int64_t next_row = tile_begin + R, next_k = k0;
            if (next_row >= group_end) {
              next_row = c + 1 < chunks ? group_begin : group_end;
              next_k = c + 1 < chunks ? k0 + kChunk : 0;
            }
            if (next_row < row_end)
              next = ChunkPrefetch(weight, next_row, static_cast<int>(std::min<std::int64_t>(R, row_end - next_row)),
                                   next_k, position_tiles);
          }
          const float* x_chunk = packed + c * block_positions * kChunk;
          for (std::int64_t t0 = 0; t0 < block_positions; t0 += P) {
            const int count = static_cast<int>(std::min<std::int64_t>(P, block_positions - t0));
            next.step();
            tiles[static_cast<std::size_t>((rows - 1) * P + count - 1)](w, x_chunk + t0 * kChunk, kChunk, n,
                                                                        tile_acc + t0 * R * L, k0 == 0);
            // The finished sums leave while their accumulators are still in L1.
            if (last)
              for (std::int64_t t = t0; t < t0 + count; ++t) {
                float sums[R];
                V::reduce_tile(tile_acc + t * R * L, sums);
                float* out = y + (block_begin + t) * rows_total + tile_begin;
                if (rows == R)
                  std::memcpy(out, sums, sizeof sums);  // one vector store
                else
                  std::memcpy(out, sums, static_cast<std::size_t>(rows) * sizeof(float));
              }
          }
        }
      }
    }
  }
}

// The RWKV-7 state update of one head (kernels.h), vectorised along the key dimension j: per row i
// of the state, sa = S[i]·a, then S[i] = S[i]⊙w + sa·b + v[i]·k and y[i] = S[i]·r. Rows are
// independent, so Rows of them run interleaved: one row alone was a chain of dependent FMAs and
// reductions that left the FMA units idle. Each row's steps are the same as alone (same bits).
template <class V, int Rows>
void wkv7_rows(const float* r, const float* w, const float* k, const float* v, const float* a, const float* b,
               float* state, std::int64_t n, std::int64_t i0, float* y) {
  using F = typename V::F;
  constexpr int L = V::kLanes;
  const std::int64_t full = n / L * L;
  const int rest = static_cast<int>(n - full);
  float* row[Rows];
  F sa_lanes[Rows], out[Rows];
#pragma GCC unroll 8
  for (int q = 0; q < Rows; ++q) {
    row[q] = state + (i0 + q) * n;
    sa_lanes[q] = V::zero();
    out[q] = V::zero();
  }
  for (std::int64_t j = 0; j < full; j += L) {
    const F aj = V::load(a + j);
#pragma GCC unroll 8
    for (int q = 0; q < Rows; ++q) sa_lanes[q] = V::fma(V::load(row[q] + j), aj, sa_lanes[q]);
  }
  if (rest) {
    const F aj = V::load_first(a + full, rest);
#pragma GCC unroll 8
    for (int q = 0; q < Rows; ++q) sa_lanes[q] = V::fma(V::load_first(row[q] + full, rest), aj, sa_lanes[q]);
  }
  F sa[Rows], vi[Rows];
#pragma GCC unroll 8
  for (int q = 0; q < Rows; ++q) {
    sa[q] = V::set1(V::reduce(sa_lanes[q]));
    vi[q] = V::set1(v[i0 + q]);
  }
  for (std::int64_t j = 0; j < full; j += L) {
    const F wj = V::load(w + j), bj = V::load(b + j), kj = V::load(k + j), rj = V::load(r + j);
#pragma GCC unroll 8
    for (int q = 0; q < Rows; ++q) {
      const F s = V::fma(vi[q], kj, V::fma(sa[q], bj, V::mul(V::load(row[q] + j), wj)));
      V::store(row[q] + j, s);
      out[q] = V::fma(s, rj, out[q]);
    }
  }
  if (rest) {
    const F wj = V::load_first(w + full, rest), bj = V::load_first(b + full, rest), kj = V::load_first(k + full, rest),
            rj = V::load_first(r + full, rest);
#pragma GCC unroll 8
    for (int q = 0; q < Rows; ++q) {
      const F s = V::fma(vi[q], kj, V::fma(sa[q], bj, V::mul(V::load_first(row[q] + full, rest), wj)));
      V::store_first(row[q] + full, s, rest);
      out[q] = V::fma(s, rj, out[q]);
    }
  }
#pragma GCC unroll 8
  for (int q = 0; q < Rows; ++q) y[i0 + q] = V::reduce(out[q]);
}

template <class V>
void simd_wkv7_head(const Wkv7HeadArgs& args) {
  constexpr int kRows = 4;
  const std::int64_t n = args.head_size;
  for (std::int64_t t = 0; t < args.positions; ++t) {
    const std::int64_t at = t * args.stride;
    const float *r = args.r + at, *w = args.w + at, *k = args.k + at, *v = args.v + at, *a = args.a + at,
                *b = args.b + at;
    float* y = args.y + at;
    std::int64_t i = 0;
    for (; i + kRows <= n; i += kRows) wkv7_rows<V, kRows>(r, w, k, v, a, b, args.state, n, i, y);
    for (; i < n; ++i) wkv7_rows<V, 1>(r, w, k, v, a, b, args.state, n, i, y);
  }
}

template <class V>
void simd_relu_squared(float* x, std::int64_t n) {
  std::int64_t i = 0;
  for (; i + V::kLanes <= n; i += V::kLanes) {
    const typename V::F positive = V::max(V::load(x + i), V::zero());
    V::store(x + i, V::mul(positive, positive));
  }
  for (; i < n; ++i) {
    const float positive = std::max(x[i], 0.0f);
    x[i] = positive * positive;
  }
}

// out = x + (prev − x)·mix: a multiply then an add, as the reference rounds it.
template <class V>
void simd_token_shift_mix(const float* x, const float* prev, const float* mix, std::int64_t n, float* out) {
  std::int64_t i = 0;
  for (; i + V::kLanes <= n; i += V::kLanes) {
    const typename V::F xi = V::load(x + i);
    V::store(out + i, V::add(xi, V::mul(V::sub(V::load(prev + i), xi), V::load(mix + i))));
  }
  for (; i < n; ++i) out[i] = x[i] + (prev[i] - x[i]) * mix[i];
}

// kFmaProbeChains independent FMA chains: enough to cover the FMA latency on two ports.
template <class V>
float simd_fma_probe(std::int64_t iterations) {
  using F = typename V::F;
  F acc[kFmaProbeChains];
#pragma GCC unroll 16
  for (int i = 0; i < kFmaProbeChains; ++i) acc[i] = V::set1(static_cast<float>(i) * 1e-3f);
  const F m = V::set1(0.999999f), a = V::set1(1e-7f);
  for (std::int64_t it = 0; it < iterations; ++it)
#pragma GCC unroll 16
    for (int i = 0; i < kFmaProbeChains; ++i) acc[i] = V::fma(acc[i], m, a);
  F sum = V::zero();
#pragma GCC unroll 16
  for (int i = 0; i < kFmaProbeChains; ++i) sum = V::add(sum, acc[i]);
  return V::reduce(sum);
}
