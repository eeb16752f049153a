// The attention family's SIMD kernels (kernels.h: exp, sigmoid, silu, the norms, the lightning
// recurrence and block form, causal softmax attention), written once over the vector traits V and
// compiled once per instruction set: avx2_kernels.cpp and avx512_kernels.cpp include this file
// after simd_kernels_impl.h, inside their target region and anonymous namespace. It includes
// nothing itself (see simd_kernels_impl.h).
//
// V provides, beyond simd_kernels_impl.h's list: kGemmRows × kGemmVectors (the register tile of the
// small matrix products), div, min, broadcast(p), to_int (nearest), from_bits, add_i, sra_i,
// select_first(n, a, b), select_greater(x, limit, a, b), and the double vector D with zero_d,
// set1_d, add_d, sub_d, widen_low, widen_high, fma_d, reduce_d.
//
// Numerics against the reference table (checked in tests/engine/cpu/test_attention_kernel_paths.cpp):
//   exp, sigmoid, silu: a polynomial exp within 1 ulp of std::exp (4 ulp after 1 + e^−x and the division);
//   rms_norm, layer_norm, group_norm: the sums in double, as the reference, only in another order
//   (≤ 2 ulp);
//   lightning recurrence and block form: the reference's multiplies and adds, each sum in the
//   reference's order, so the same bits (the reference is built without contraction and these
//   files with -ffp-contract=off). Fused multiply-adds would be a little faster, but moved the
//   logits of a whole model by as much as the two forms differ (test_decoder_memory).
//   softmax attention: the reference's sums in another order with fused multiply-adds, and the
//   polynomial exp.

// ---- exp and the activations built on it

// n lanes of p (1 ≤ n ≤ kLanes): a plain load when the vector is whole.
template <class V>
typename V::F load_part(const float* p, int n) {
  return n == V::kLanes ? V::load(p) : V::load_first(p, n);
}
template <class V>
void store_part(float* p, typename V::F v, int n) {
  if (n == V::kLanes)
    V::store(p, v);
  else
    V::store_first(p, v, n);
}

// e^x = 2^n · e^r with n = round(x·log2 e) and r = x − n·ln 2 (ln 2 in two parts so that r keeps
// its low bits); e^r by Cephes' polynomial on |r| ≤ ln2/2. 2^n is applied as two factors, so the
// results that round to subnormals come out right. Beyond ln(FLT_MAX) the answer is +inf; below
// −104 it rounds to 0; NaN stays NaN (max/min return their second operand for a NaN).
// 2^e for −126 ≤ e ≤ 127, from its exponent bits. (No lambdas on vectors in this file: GCC does not
// compile a lambda's body for the region's target.)
template <class V>
typename V::F power_of_two(typename V::I e) {
  return V::from_bits(V::sll_i(V::add_i(e, V::set1_i(127)), 23));
}

template <class V>
typename V::F simd_exp(typename V::F x) {
  using F = typename V::F;
  using I = typename V::I;
  const float largest_finite = 88.7228317f;  // the largest float whose e^x is finite
  const F clamped = V::min(V::set1(largest_finite), V::max(V::set1(-104.0f), x));
  const I n = V::to_int(V::mul(clamped, V::set1(1.44269504088896341f)));
  const F n_float = V::to_float(n);
  F r = V::fma(n_float, V::set1(-0.693359375f), clamped);
  r = V::fma(n_float, V::set1(2.12194440e-4f), r);
  F p = V::set1(1.9875691500e-4f);
  p = V::fma(p, r, V::set1(1.3981999507e-3f));
  p = V::fma(p, r, V::set1(8.3334519073e-3f));
  p = V::fma(p, r, V::set1(4.1665795894e-2f));
  p = V::fma(p, r, V::set1(1.6666665459e-1f));
  p = V::fma(p, r, V::set1(5.0000001201e-1f));
  F y = V::add(V::fma(p, V::mul(r, r), r), V::set1(1.0f));
  const I half = V::sra_i(n, 1);  // n ∈ [−150, 128]: both factors are normal floats
  y = V::mul(V::mul(y, power_of_two<V>(half)), power_of_two<V>(V::sub_i(n, half)));
  return V::select_greater(x, V::set1(largest_finite), V::set1(std::numeric_limits<float>::infinity()), y);
}

// Applies Op::apply to every value of x in place; the last partial vector through masked loads and
// stores, so a value's result does not depend on where it sits.
template <class V, class Op>
void simd_map_inplace(float* x, std::int64_t n) {
  std::int64_t i = 0;
  for (; i + V::kLanes <= n; i += V::kLanes) V::store(x + i, Op::apply(V::load(x + i)));
  if (i < n) V::store_first(x + i, Op::apply(V::load_first(x + i, static_cast<int>(n - i))), static_cast<int>(n - i));
}

template <class V>
struct ExpOp {
  static typename V::F apply(typename V::F x) { return simd_exp<V>(x); }
};

// 1 / (1 + e^−x), as the reference writes it.
template <class V>
struct SigmoidOp {
  static typename V::F apply(typename V::F x) {
    const typename V::F one = V::set1(1.0f);
    return V::div(one, V::add(one, simd_exp<V>(V::sub(V::zero(), x))));
  }
};

// x / (1 + e^−x), as the reference writes it.
template <class V>
struct SiluOp {
  static typename V::F apply(typename V::F x) {
    return V::div(x, V::add(V::set1(1.0f), simd_exp<V>(V::sub(V::zero(), x))));
  }
};

template <class V>
void simd_exp_inplace(float* x, std::int64_t n) {
  simd_map_inplace<V, ExpOp<V>>(x, n);
}
template <class V>
void simd_sigmoid(float* x, std::int64_t n) {
  simd_map_inplace<V, SigmoidOp<V>>(x, n);
}
template <class V>
void simd_silu(float* x, std::int64_t n) {
  simd_map_inplace<V, SiluOp<V>>(x, n);
}

// out = x · (1 / sqrt(Σx²/n + eps)) · weight. The squares are exact in double and summed in double
// (two accumulators of kLanes/2 lanes), so the scale is the reference's up to double rounding.
template <class V>
void simd_rms_norm(const float* x, std::int64_t n, const float* weight, float eps, float* out) {
  using F = typename V::F;
  using D = typename V::D;
  constexpr int L = V::kLanes;
  D low = V::zero_d(), high = V::zero_d();
  for (std::int64_t i = 0; i < n; i += L) {
    const F v = load_part<V>(x + i, static_cast<int>(std::min<std::int64_t>(L, n - i)));
    const D a = V::widen_low(v), b = V::widen_high(v);
    low = V::fma_d(a, a, low);
    high = V::fma_d(b, b, high);
  }
  const double sum_squares = V::reduce_d(low) + V::reduce_d(high);
  const F inverse = V::set1(static_cast<float>(1.0 / std::sqrt(sum_squares / static_cast<double>(n) + eps)));
  for (std::int64_t i = 0; i < n; i += L) {
    const int lanes = static_cast<int>(std::min<std::int64_t>(L, n - i));
    F y = V::mul(load_part<V>(x + i, lanes), inverse);
    if (weight) y = V::mul(y, load_part<V>(weight + i, lanes));
    store_part<V>(out + i, y, lanes);
  }
}

// out = (x − mean) · (1 / sqrt(var + eps)) · weight + bias, the reference's steps: mean and variance
// in double (the widened values, their sum, then the squared deviations, each summed in two
// accumulators of kLanes/2 lanes), then in f32 per value (x − mean_f)·inv_std, ·weight, +bias. Only
// the order of the double sums differs, so mean_f and inv_std are the reference's or one ulp apart.
template <class V>
void simd_layer_norm(const float* x, std::int64_t n, const float* weight, const float* bias, float eps, float* out) {
  using F = typename V::F;
  using D = typename V::D;
  constexpr int L = V::kLanes;
  D low = V::zero_d(), high = V::zero_d();
  for (std::int64_t i = 0; i < n; i += L) {
    const F v = load_part<V>(x + i, static_cast<int>(std::min<std::int64_t>(L, n - i)));
    low = V::add_d(low, V::widen_low(v));
    high = V::add_d(high, V::widen_high(v));
  }
  const double mean = (V::reduce_d(low) + V::reduce_d(high)) / static_cast<double>(n);
  // The masked-off lanes of the last vector load 0, whose deviation −mean must not be counted.
  const D mean_d = V::set1_d(mean);
  low = V::zero_d();
  high = V::zero_d();
  const std::int64_t whole = n / L * L;
  for (std::int64_t i = 0; i < whole; i += L) {
    const F v = V::load(x + i);
    const D a = V::sub_d(V::widen_low(v), mean_d), b = V::sub_d(V::widen_high(v), mean_d);
    low = V::fma_d(a, a, low);
    high = V::fma_d(b, b, high);
  }
  double squares = V::reduce_d(low) + V::reduce_d(high);
  for (std::int64_t i = whole; i < n; ++i) squares += (x[i] - mean) * (x[i] - mean);
  const auto inv_std = static_cast<float>(1.0 / std::sqrt(squares / static_cast<double>(n) + eps));
  const F scale = V::set1(inv_std), centre = V::set1(static_cast<float>(mean));
  for (std::int64_t i = 0; i < n; i += L) {
    const int lanes = static_cast<int>(std::min<std::int64_t>(L, n - i));
    F y = V::mul(V::sub(load_part<V>(x + i, lanes), centre), scale);
    if (weight) y = V::mul(y, load_part<V>(weight + i, lanes));
    if (bias) y = V::add(y, load_part<V>(bias + i, lanes));
    store_part<V>(out + i, y, lanes);
  }
}

// Layer norm per group of n / groups values, each with its slice of weight and bias (as the reference).
template <class V>
void simd_group_norm(const float* x, std::int64_t n, std::int64_t groups, const float* weight, const float* bias,
                     float eps, float* out) {
  const std::int64_t size = n / groups;
  for (std::int64_t offset = 0; offset < n; offset += size)
    simd_layer_norm<V>(x + offset, size, weight ? weight + offset : nullptr, bias ? bias + offset : nullptr, eps,
                       out + offset);
}

// ---- small matrix products for the attention kernels

constexpr std::int64_t round_up(std::int64_t n, std::int64_t multiple) {
  return (n + multiple - 1) / multiple * multiple;
}

// What a product does with its result: C = acc, C = row_scale[i]·acc, C = beta·C + acc, or (beta 1)
// C += the terms, added to C one by one as the reference adds them.
struct GemmEpilogue {
  bool accumulate = false;
  float beta = 1.0f;
  const float* row_scale = nullptr;  // without accumulate only
};

// C[i][0 … NV·L) ← epilogue(Σ_k A(i, k) · B[k][0 … NV·L)) for R rows i, where A(i, k) =
// a[i·a_row + k·a_col] is broadcast and B's rows (ldb apart) are whole vectors. Every C[i][c] is one
// chain over k in order, starting from 0, or from C when it accumulates with beta 1; each step a
// fused multiply-add (Fused) or a multiply then an add, rounded as the reference's loops round.
template <class V, bool Fused, int R, int NV>
void gemm_tile(std::int64_t depth, const float* a, std::int64_t a_row, std::int64_t a_col, const float* b,
               std::int64_t ldb, float* c, std::int64_t ldc, const GemmEpilogue& epilogue) {
  using F = typename V::F;
  constexpr int L = V::kLanes;
  const bool onto_c = epilogue.accumulate && epilogue.beta == 1.0f;
  F acc[R][NV];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) acc[r][v] = onto_c ? V::load(c + r * ldc + v * L) : V::zero();
  for (std::int64_t k = 0; k < depth; ++k) {
    F bv[NV];
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) bv[v] = V::load(b + k * ldb + v * L);
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const F av = V::broadcast(a + r * a_row + k * a_col);
#pragma GCC unroll 16
      for (int v = 0; v < NV; ++v)
        acc[r][v] = Fused ? V::fma(av, bv[v], acc[r][v]) : V::add(acc[r][v], V::mul(av, bv[v]));
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r) {
    float* row = c + r * ldc;
    const F beta = V::set1(epilogue.beta);
    const F scale = V::set1(epilogue.row_scale ? epilogue.row_scale[r] : 1.0f);
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) {
      F result = acc[r][v];
      if (epilogue.accumulate && !onto_c)
        result = V::add(V::mul(beta, V::load(row + v * L)), result);
      else if (epilogue.row_scale)
        result = V::mul(scale, result);
      V::store(row + v * L, result);
    }
  }
}

using GemmTile = void (*)(std::int64_t, const float*, std::int64_t, std::int64_t, const float*, std::int64_t, float*,
                          std::int64_t, const GemmEpilogue&);

// Every gemm_tile<R, NV>, indexed by (R − 1)·kGemmVectors + (NV − 1).
template <class V, bool Fused, std::size_t... Index>
constexpr std::array<GemmTile, sizeof...(Index)> gemm_tiles(std::index_sequence<Index...>) {
  return {&gemm_tile<V, Fused, static_cast<int>(Index) / V::kGemmVectors + 1,
                     static_cast<int>(Index) % V::kGemmVectors + 1>...};
}

// gemm_tile over `rows` rows and `vectors` column vectors, in register tiles.
template <class V, bool Fused>
void small_gemm(std::int64_t rows, std::int64_t vectors, std::int64_t depth, const float* a, std::int64_t a_row,
                std::int64_t a_col, const float* b, std::int64_t ldb, float* c, std::int64_t ldc,
                const GemmEpilogue& epilogue) {
  constexpr int R = V::kGemmRows, NV = V::kGemmVectors;
  static constexpr auto tiles = gemm_tiles<V, Fused>(std::make_index_sequence<R * NV>());
  for (std::int64_t i0 = 0; i0 < rows; i0 += R) {
    const auto r = static_cast<int>(std::min<std::int64_t>(R, rows - i0));
    GemmEpilogue tile_epilogue = epilogue;
    if (epilogue.row_scale) tile_epilogue.row_scale = epilogue.row_scale + i0;
    for (std::int64_t v0 = 0; v0 < vectors; v0 += NV) {
      const auto nv = static_cast<int>(std::min<std::int64_t>(NV, vectors - v0));
      tiles[static_cast<std::size_t>((r - 1) * NV + nv - 1)](depth, a + i0 * a_row, a_row, a_col, b + v0 * V::kLanes,
                                                             ldb, c + i0 * ldc + v0 * V::kLanes, ldc, tile_epilogue);
    }
  }
}

// ---- lightning attention

// Columns [c0, c0 + NV·L) of one token's step (the last vector has last_lanes lanes): every state
// row decays and takes k[row]·v, then o accumulates q[row]·row, rows in order — the reference's
// multiplies and adds, in its order.
template <class V, int NV>
void lightning_step_columns(const float* q, const float* k, const float* v, float* state, std::int64_t D,
                            std::int64_t c0, int last_lanes, float decay, float* o) {
  using F = typename V::F;
  constexpr int L = V::kLanes;
  const auto lanes = [&](int j) { return j == NV - 1 ? last_lanes : L; };
  const F lambda = V::set1(decay);
  F values[NV], acc[NV];
#pragma GCC unroll 16
  for (int j = 0; j < NV; ++j) {
    values[j] = load_part<V>(v + c0 + j * L, lanes(j));
    acc[j] = V::zero();
  }
  for (std::int64_t row = 0; row < D; ++row) {
    float* s = state + row * D + c0;
    const F key = V::set1(k[row]), query = V::set1(q[row]);
#pragma GCC unroll 16
    for (int j = 0; j < NV; ++j) {
      const F updated = V::add(V::mul(lambda, load_part<V>(s + j * L, lanes(j))), V::mul(key, values[j]));
      store_part<V>(s + j * L, updated, lanes(j));
      acc[j] = V::add(acc[j], V::mul(query, updated));
    }
  }
#pragma GCC unroll 16
  for (int j = 0; j < NV; ++j) store_part<V>(o + c0 + j * L, acc[j], lanes(j));
}

template <class V>
void simd_lightning_recurrent_head(const LightningHeadArgs& args) {
  constexpr int L = V::kLanes, kVectors = 4;  // o accumulators held in registers per column chunk
  const std::int64_t D = args.head_dim;
  const auto decay = static_cast<float>(std::exp(-static_cast<double>(args.slope)));
  for (std::int64_t t = 0; t < args.positions; ++t) {
    const float* q = args.q + t * args.stride;
    const float* k = args.k + t * args.stride;
    const float* v = args.v + t * args.stride;
    float* o = args.o + t * args.o_stride;
    for (std::int64_t c0 = 0; c0 < D; c0 += kVectors * L) {
      const std::int64_t width = std::min<std::int64_t>(kVectors * L, D - c0);
      const auto vectors = static_cast<int>((width + L - 1) / L);
      const auto last_lanes = static_cast<int>(width - (vectors - 1) * L);
      switch (vectors) {
        case 1: lightning_step_columns<V, 1>(q, k, v, args.state, D, c0, last_lanes, decay, o); break;
        case 2: lightning_step_columns<V, 2>(q, k, v, args.state, D, c0, last_lanes, decay, o); break;
        case 3: lightning_step_columns<V, 3>(q, k, v, args.state, D, c0, last_lanes, decay, o); break;
        default: lightning_step_columns<V, 4>(q, k, v, args.state, D, c0, last_lanes, decay, o); break;
      }
    }
  }
}

// Lightning Attention-2's block form as small matrix products (unfused: the reference's bits), per
// block of m ≤ B positions:
//   O = diag(λ^(i+1)) · Q S  +  (Q Kᵀ ⊙ M) V,   M[i][j] = λ^(i−j) for j ≤ i, else 0
//   S ← λ^m S + (diag(λ^(m−1−j)) K)ᵀ V
// The state is kept in a padded copy (rows of Dp = D rounded up to whole vectors) for the whole
// call; V is copied into padded rows and K transposed once per block; only the score columns a
// row tile needs (the causal triangle) are formed.
template <class V>
void simd_lightning_block_head(const LightningHeadArgs& args) {
  constexpr int L = V::kLanes;
  const std::int64_t D = args.head_dim, positions = args.positions;
  if (positions <= 0) return;
  const std::int64_t B = std::max<std::int64_t>(1, args.block_size);
  const std::int64_t Dp = round_up(D, L), Bp = round_up(std::min(B, positions), L), vectors = Dp / L;
  const auto last_lanes = static_cast<int>(D - (vectors - 1) * L);

  float* state = V::scratch(2, static_cast<std::size_t>(D * Dp));
  float* values = V::scratch(3, static_cast<std::size_t>(Bp * Dp));
  float* keys_t = V::scratch(4, static_cast<std::size_t>(2 * D * Bp));  // Kᵀ, then Kᵀ with the key decay
  float* decayed_keys_t = keys_t + D * Bp;
  float* scores = V::scratch(5, static_cast<std::size_t>(Bp * Bp));
  float* out = V::scratch(6, static_cast<std::size_t>(Bp * Dp));
  // powers[n] = λ^n (n ≤ B, formed as exp(−slope·n): never a positive exponent, as the reference);
  // mask[Bp + j − i] = M[i][j].
  float* powers = V::scratch(7, static_cast<std::size_t>(B + 1 + 2 * Bp + L));
  float* mask = powers + B + 1;
  for (std::int64_t n = 0; n <= B; ++n) powers[n] = static_cast<float>(std::exp(-static_cast<double>(args.slope) * n));
  for (std::int64_t t = 0; t < 2 * Bp + L; ++t) mask[t] = t <= Bp && Bp - t <= B ? powers[Bp - t] : 0.0f;

  for (std::int64_t row = 0; row < D; ++row)
    for (std::int64_t c = 0; c < Dp; c += L)
      V::store(state + row * Dp + c,
               V::load_first(args.state + row * D + c, static_cast<int>(std::min<std::int64_t>(L, D - c))));

  for (std::int64_t start = 0; start < positions; start += B) {
    const std::int64_t m = std::min(B, positions - start);
    const float* Q = args.q + start * args.stride;
    const float* K = args.k + start * args.stride;
    const float* Vb = args.v + start * args.stride;
    float* O = args.o + start * args.o_stride;

    for (std::int64_t j = 0; j < m; ++j)
      for (std::int64_t c = 0; c < Dp; c += L)
        V::store(values + j * Dp + c,
                 V::load_first(Vb + j * args.stride + c, static_cast<int>(std::min<std::int64_t>(L, D - c))));
    const std::int64_t m_padded = round_up(m, L);
    for (std::int64_t d = 0; d < D; ++d) {
      float* row = keys_t + d * Bp;
      float* decayed_row = decayed_keys_t + d * Bp;
      for (std::int64_t j = 0; j < m; ++j) row[j] = K[j * args.stride + d];
      for (std::int64_t j = m; j < m_padded; ++j) row[j] = 0.0f;
      // λ^(m−1−j)·k_j[d] for j < m: the key decays, read backwards from powers[m − 1].
      for (std::int64_t j = 0; j < m; ++j) decayed_row[j] = powers[m - 1 - j] * row[j];
    }

    // Inter-block: out = λ^(i+1) · (Q S).
    small_gemm<V, false>(m, vectors, D, Q, args.stride, 1, state, Dp, out, Dp, {.row_scale = powers + 1});
    // Intra-block, a row tile at a time: the tile's scores up to its last row's diagonal, masked
    // and decayed, then out += scores · V.
    for (std::int64_t i0 = 0; i0 < m; i0 += V::kGemmRows) {
      const std::int64_t rows = std::min<std::int64_t>(V::kGemmRows, m - i0);
      const std::int64_t keys = i0 + rows, key_vectors = (keys + L - 1) / L;
      small_gemm<V, false>(rows, key_vectors, D, Q + i0 * args.stride, args.stride, 1, keys_t, Bp, scores + i0 * Bp, Bp,
                           {});
      for (std::int64_t i = i0; i < i0 + rows; ++i)
        for (std::int64_t c = 0; c < key_vectors * L; c += L)
          V::store(scores + i * Bp + c, V::mul(V::load(scores + i * Bp + c), V::load(mask + Bp + c - i)));
      small_gemm<V, false>(rows, vectors, keys, scores + i0 * Bp, Bp, 1, values, Dp, out + i0 * Dp, Dp,
                           {.accumulate = true});
    }
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t v = 0; v < vectors; ++v)
        store_part<V>(O + i * args.o_stride + v * L, V::load(out + i * Dp + v * L), v == vectors - 1 ? last_lanes : L);

    // S ← λ^m S + Σ_j (λ^(m−1−j) k_j)ᵀ v_j: rows of S are key dims d, so A(d, j) = decayed Kᵀ[d][j].
    small_gemm<V, false>(D, vectors, m, decayed_keys_t, Bp, 1, values, Dp, state, Dp,
                         {.accumulate = true, .beta = powers[m]});
  }

  for (std::int64_t row = 0; row < D; ++row)
    for (std::int64_t v = 0; v < vectors; ++v)
      store_part<V>(args.state + row * D + v * L, V::load(state + row * Dp + v * L), v == vectors - 1 ? last_lanes : L);
}

// ---- causal softmax attention

// Few query rows (decode): each score a dot product along D, the online softmax over key tiles,
// and o accumulated along D.
template <class V>
void attention_by_dot_products(const AttentionHeadArgs& args) {
  using F = typename V::F;
  constexpr int L = V::kLanes;
  constexpr std::int64_t kKeyTile = 256;
  const std::int64_t D = args.head_dim, Dp = round_up(D, L), vectors = Dp / L;
  const auto lanes = [&](std::int64_t v) { return static_cast<int>(std::min<std::int64_t>(L, D - v * L)); };
  float* scores = V::scratch(2, kKeyTile);
  float* acc = V::scratch(3, static_cast<std::size_t>(Dp));
  const F scale = V::set1(args.scale), minus_infinity = V::set1(-std::numeric_limits<float>::infinity());

  for (std::int64_t i = 0; i < args.queries; ++i) {
    const std::int64_t last_key = args.causal ? args.first_position + i : args.key_count - 1;
    const float* q = args.q + i * args.q_stride;
    float running_max = -std::numeric_limits<float>::infinity(), running_sum = 0.0f;
    for (std::int64_t k0 = 0; k0 <= last_key; k0 += kKeyTile) {
      const std::int64_t cols = std::min(kKeyTile, last_key + 1 - k0);
      for (std::int64_t j = 0; j < cols; ++j) {
        const float* key = args.k + (k0 + j) * args.kv_stride;
        F dot = V::zero();
        for (std::int64_t v = 0; v < vectors; ++v)
          dot = V::fma(load_part<V>(q + v * L, lanes(v)), load_part<V>(key + v * L, lanes(v)), dot);
        scores[j] = V::reduce(dot);
      }
      F tile_max = minus_infinity;
      for (std::int64_t j = 0; j < cols; j += L) {
        const int n = static_cast<int>(std::min<std::int64_t>(L, cols - j));
        const F s = V::mul(V::load_first(scores + j, n), scale);
        V::store_first(scores + j, s, n);
        tile_max = V::max(tile_max, V::select_first(n, s, minus_infinity));
      }
      float largest = -std::numeric_limits<float>::infinity();
      alignas(64) float lane_max[L];
      V::store(lane_max, tile_max);
      for (float value : lane_max) largest = std::max(largest, value);
      const float new_max = std::max(running_max, largest);
      const F shift = V::set1(new_max);
      F sum = V::zero();
      for (std::int64_t j = 0; j < cols; j += L) {
        const int n = static_cast<int>(std::min<std::int64_t>(L, cols - j));
        const F p = simd_exp<V>(V::sub(V::load_first(scores + j, n), shift));
        V::store_first(scores + j, p, n);
        sum = V::add(sum, V::select_first(n, p, V::zero()));
      }
      if (k0 == 0) {
        for (std::int64_t v = 0; v < vectors; ++v) V::store(acc + v * L, V::zero());
        running_sum = V::reduce(sum);
      } else {
        const float correction = std::exp(running_max - new_max);
        const F c = V::set1(correction);
        for (std::int64_t v = 0; v < vectors; ++v) V::store(acc + v * L, V::mul(V::load(acc + v * L), c));
        running_sum = running_sum * correction + V::reduce(sum);
      }
      running_max = new_max;
      for (std::int64_t j = 0; j < cols; ++j) {
        const float* value = args.v + (k0 + j) * args.kv_stride;
        const F p = V::set1(scores[j]);
        for (std::int64_t v = 0; v < vectors; ++v)
          V::store(acc + v * L, V::fma(p, load_part<V>(value + v * L, lanes(v)), V::load(acc + v * L)));
      }
    }
    const F inverse = V::set1(1.0f / running_sum);
    float* o = args.o + i * args.q_stride;
    for (std::int64_t v = 0; v < vectors; ++v)
      store_part<V>(o + v * L, V::mul(V::load(acc + v * L), inverse), lanes(v));
  }
}

// Flash-attention style, with the queries along the vector lanes: for a tile of up to 64 query
// rows, Qᵀ is packed once; per key tile the scores Sᵀ = K Qᵀ (keys × queries) come from K as it
// sits in the cache, the online softmax runs lane-wise (one lane per query: max, exp, sum and the
// rescaling of Oᵀ are plain vector ops), and Oᵀ += Vᵀ P reads V in place too. O(tile) memory.
template <class V>
void simd_attention_head(const AttentionHeadArgs& args) {
  using F = typename V::F;
  constexpr int L = V::kLanes;
  if (args.queries < L / 2) {  // too few rows to fill the lanes: dot products along D are faster
    attention_by_dot_products<V>(args);
    return;
  }
  constexpr std::int64_t kQueryTile = 64, kKeyTile = 64;
  const std::int64_t D = args.head_dim;
  float* q_t = V::scratch(2, static_cast<std::size_t>(D * kQueryTile));
  float* o_t = V::scratch(3, static_cast<std::size_t>(D * kQueryTile));
  float* s_t = V::scratch(4, static_cast<std::size_t>(kKeyTile * kQueryTile));
  float* stats = V::scratch(5, static_cast<std::size_t>(2 * kQueryTile));  // running max, running sum
  float* running_max = stats;
  float* running_sum = stats + kQueryTile;
  const F scale = V::set1(args.scale), minus_infinity = V::set1(-std::numeric_limits<float>::infinity());

  for (std::int64_t q0 = 0; q0 < args.queries; q0 += kQueryTile) {
    const std::int64_t rows = std::min(kQueryTile, args.queries - q0);
    const std::int64_t vectors = (rows + L - 1) / L, width = vectors * L;
    for (std::int64_t d = 0; d < D; ++d) {
      for (std::int64_t i = 0; i < rows; ++i) q_t[d * width + i] = args.q[(q0 + i) * args.q_stride + d];
      for (std::int64_t i = rows; i < width; ++i) q_t[d * width + i] = 0.0f;
    }
    const std::int64_t first = args.first_position + q0;  // position of the tile's row 0 (causal)
    const std::int64_t last_key = args.causal ? first + rows - 1 : args.key_count - 1;

    for (std::int64_t k0 = 0; k0 <= last_key; k0 += kKeyTile) {
      const std::int64_t cols = std::min(kKeyTile, last_key + 1 - k0);
      small_gemm<V, true>(cols, vectors, D, args.k + k0 * args.kv_stride, args.kv_stride, 1, q_t, width, s_t, width,
                          {});
      const bool on_diagonal = args.causal && k0 + cols - 1 > first;
      for (std::int64_t w = 0; w < vectors; ++w) {
        F tile_max = minus_infinity;
        for (std::int64_t j = 0; j < cols; ++j) {
          F s = V::mul(V::load(s_t + j * width + w * L), scale);
          // Key k0 + j is visible to lanes whose position first + w·L + lane is at least k0 + j.
          if (on_diagonal) s = V::select_first(static_cast<int>(k0 + j - first - w * L), minus_infinity, s);
          V::store(s_t + j * width + w * L, s);
          tile_max = V::max(tile_max, s);
        }
        const F old_max = V::load(running_max + w * L);
        const F new_max = k0 == 0 ? tile_max : V::max(old_max, tile_max);
        F sum = V::zero();
        for (std::int64_t j = 0; j < cols; ++j) {
          const F p = simd_exp<V>(V::sub(V::load(s_t + j * width + w * L), new_max));
          V::store(s_t + j * width + w * L, p);
          sum = V::add(sum, p);
        }
        if (k0 == 0) {
          V::store(running_sum + w * L, sum);
        } else {
          const F correction = simd_exp<V>(V::sub(old_max, new_max));
          V::store(running_sum + w * L, V::add(V::mul(V::load(running_sum + w * L), correction), sum));
          for (std::int64_t d = 0; d < D; ++d)
            V::store(o_t + d * width + w * L, V::mul(V::load(o_t + d * width + w * L), correction));
        }
        V::store(running_max + w * L, new_max);
      }
      // Oᵀ (+)= Vᵀ P: A(d, j) = V[k0 + j][d].
      small_gemm<V, true>(D, vectors, cols, args.v + k0 * args.kv_stride, 1, args.kv_stride, s_t, width, o_t, width,
                          {.accumulate = k0 != 0});
    }
    for (std::int64_t i = 0; i < rows; ++i) {
      const float inverse = 1.0f / running_sum[i];
      float* o = args.o + (q0 + i) * args.q_stride;
      for (std::int64_t d = 0; d < D; ++d) o[d] = o_t[d * width + i] * inverse;
    }
  }
}
