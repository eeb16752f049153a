// The attention-family kernels against plain double-precision computations written here:
// lightning attention's block form and recurrence (each other, and the parallel form
// o_t = q_t (λ^(t+1) S_0 + Σ_{s≤t} λ^(t−s) k_sᵀ v_s)), and the tiled online-softmax attention against
// a naive softmax over the whole causal row, with grouped-query heads and a cache offset; the
// encoder's unmasked attention against a softmax over all rows.
#include "engine/cpu/attention_ops.h"
#include "engine/cpu/kernels.h"
#include "engine/layers/lightning_attention.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace {

std::vector<float> random_values(std::size_t n, std::uint32_t seed, float low, float high) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(low, high);
  std::vector<float> out(n);
  for (float& v : out) v = dist(rng);
  return out;
}

// Largest |a − b| relative to the largest |b| (outputs of a decaying sum span orders of magnitude).
double relative_error(const std::vector<float>& a, const std::vector<double>& b) {
  double worst = 0.0, scale = 1e-30;
  for (std::size_t i = 0; i < a.size(); ++i) {
    worst = std::max(worst, std::abs(static_cast<double>(a[i]) - b[i]));
    scale = std::max(scale, std::abs(b[i]));
  }
  return worst / scale;
}

std::vector<double> widen(const std::vector<float>& values) { return {values.begin(), values.end()}; }

// One query row of softmax attention in double: softmax_j(scale · q·k_j) over the first `visible`
// key rows (row j at keys + j·stride), times the value rows. Returns D values.
std::vector<double> naive_attention_row(const float* q, const float* keys, const float* values, std::int64_t visible,
                                        std::int64_t stride, std::int64_t D, double scale) {
  std::vector<double> weights(static_cast<std::size_t>(visible));
  double largest = -1e300, total = 0.0;
  for (std::int64_t j = 0; j < visible; ++j) {
    double dot = 0.0;
    for (std::int64_t d = 0; d < D; ++d) dot += static_cast<double>(q[d]) * keys[j * stride + d];
    weights[static_cast<std::size_t>(j)] = dot * scale;
    largest = std::max(largest, dot * scale);
  }
  for (double& w : weights) total += w = std::exp(w - largest);
  std::vector<double> out(static_cast<std::size_t>(D), 0.0);
  for (std::int64_t j = 0; j < visible; ++j)
    for (std::int64_t d = 0; d < D; ++d)
      out[static_cast<std::size_t>(d)] += weights[static_cast<std::size_t>(j)] / total * values[j * stride + d];
  return out;
}

struct LightningCase {
  std::int64_t heads, head_dim, positions, block_size;
  bool with_state;
};

struct LightningResult {
  std::vector<float> out, state;
};

// qkv [T, H, 3D] per head q | k | v, as the MiniMax layer lays it out.
LightningResult run_lightning(const LightningCase& c, const std::vector<float>& qkv, const std::vector<float>& slopes,
                              const std::vector<float>& initial_state, linea::cpu::LightningForm form, int threads) {
  linea::cpu::ThreadPool pool(threads);
  LightningResult result;
  result.state = initial_state;
  result.out.assign(static_cast<std::size_t>(c.positions * c.heads * c.head_dim), 0.0f);
  linea::cpu::lightning_attention(pool, c.positions, c.heads, c.head_dim, qkv, slopes, c.block_size, result.state,
                                  result.out, form);
  return result;
}

// The parallel form in double precision, from the definition (model-spec §1.4.3).
LightningResult lightning_in_double(const LightningCase& c, const std::vector<float>& qkv,
                                    const std::vector<float>& slopes, const std::vector<float>& initial_state,
                                    std::vector<double>& out, std::vector<double>& final_state) {
  const std::int64_t H = c.heads, D = c.head_dim, T = c.positions;
  out.assign(static_cast<std::size_t>(T * H * D), 0.0);
  final_state.assign(initial_state.size(), 0.0);
  auto at = [&](std::int64_t t, std::int64_t h, std::int64_t part, std::int64_t d) {
    return static_cast<double>(qkv[static_cast<std::size_t>(((t * H + h) * 3 + part) * D + d)]);
  };
  for (std::int64_t h = 0; h < H; ++h) {
    const double lambda = std::exp(-static_cast<double>(slopes[static_cast<std::size_t>(h)]));
    const float* S0 = initial_state.data() + h * D * D;
    for (std::int64_t t = 0; t < T; ++t) {
      for (std::int64_t c2 = 0; c2 < D; ++c2) {
        double sum = 0.0;
        for (std::int64_t r = 0; r < D; ++r) sum += at(t, h, 0, r) * std::pow(lambda, t + 1) * S0[r * D + c2];
        for (std::int64_t s = 0; s <= t; ++s) {
          double qk = 0.0;
          for (std::int64_t d = 0; d < D; ++d) qk += at(t, h, 0, d) * at(s, h, 1, d);
          sum += std::pow(lambda, t - s) * qk * at(s, h, 2, c2);
        }
        out[static_cast<std::size_t>((t * H + h) * D + c2)] = sum;
      }
    }
    for (std::int64_t r = 0; r < D; ++r)
      for (std::int64_t c2 = 0; c2 < D; ++c2) {
        double value = std::pow(lambda, T) * S0[r * D + c2];
        for (std::int64_t s = 0; s < T; ++s) value += std::pow(lambda, T - 1 - s) * at(s, h, 1, r) * at(s, h, 2, c2);
        final_state[static_cast<std::size_t>((h * D + r) * D + c2)] = value;
      }
  }
  return {};
}

}  // namespace

class TestAttentionKernels : public QObject {
  Q_OBJECT

 private slots:
  void alibi_slopes_follow_the_power_of_two_rule() {
    const std::vector<double> slopes64 = linea::layers::alibi_slopes(64);
    QCOMPARE(slopes64.size(), std::size_t{64});
    QVERIFY(std::abs(slopes64[0] - 0.917004) < 1e-6);  // 2^(−1/8), model-spec §1.4.2
    QVERIFY(std::abs(slopes64[7] - 0.5) < 1e-12);
    QVERIFY(std::abs(slopes64[63] - 1.0 / 256.0) < 1e-12);
    // A count that is not a power of two: the 4-head slopes, then every other 8-head slope.
    const std::vector<double> slopes6 = linea::layers::alibi_slopes(6);
    const std::vector<double> four = linea::layers::alibi_slopes(4), eight = linea::layers::alibi_slopes(8);
    QCOMPARE(slopes6.size(), std::size_t{6});
    for (int i = 0; i < 4; ++i) QCOMPARE(slopes6[static_cast<std::size_t>(i)], four[static_cast<std::size_t>(i)]);
    QCOMPARE(slopes6[4], eight[0]);
    QCOMPARE(slopes6[5], eight[2]);
  }

  void block_form_equals_recurrence_data() {
    QTest::addColumn<qint64>("positions");
    QTest::addColumn<qint64>("block_size");
    QTest::addColumn<bool>("with_state");
    for (qint64 positions : {1, 2, 15, 16, 17, 63, 64, 65, 200})
      for (qint64 block : {16, 64})
        for (bool state : {false, true})
          QTest::addRow("T%lld_B%lld_%s", static_cast<long long>(positions), static_cast<long long>(block),
                        state ? "with_state" : "zero_state")
              << positions << block << state;
    QTest::addRow("T700_B256_with_state") << qint64{700} << qint64{256} << true;
    QTest::addRow("T257_B256_zero_state") << qint64{257} << qint64{256} << false;
  }

  void block_form_equals_recurrence() {
    QFETCH(qint64, positions);
    QFETCH(qint64, block_size);
    QFETCH(bool, with_state);
    // Slopes from steep (exp(−0.92·256) underflows) to almost no decay, as layer 0 and layer L−1 have.
    const std::vector<float> slopes = {0.917004f, 0.5f, 0.0625f, 1e-5f};
    const LightningCase c{4, 16, positions, block_size, with_state};
    const auto seed = static_cast<std::uint32_t>(positions * 131 + block_size);
    // silu outputs: mostly positive, a little negative.
    const std::vector<float> qkv = random_values(static_cast<std::size_t>(positions * 4 * 3 * 16), seed, -0.25f, 1.0f);
    const std::vector<float> initial =
        with_state ? random_values(4 * 16 * 16, seed + 1, -2.0f, 2.0f) : std::vector<float>(4 * 16 * 16, 0.0f);

    const LightningResult block = run_lightning(c, qkv, slopes, initial, linea::cpu::LightningForm::block, 2);
    const LightningResult recurrent = run_lightning(c, qkv, slopes, initial, linea::cpu::LightningForm::recurrent, 1);
    // Float rounding of sums over T positions: a bound of about 2·T·ε (ε = 6e-8), and at least 1e-6.
    const double rounding = std::max(1e-6, 1.2e-7 * static_cast<double>(positions));
    const double forms = relative_error(block.out, widen(recurrent.out));
    QVERIFY2(forms < rounding, qPrintable(QString("outputs of the two forms differ by %1").arg(forms)));
    QVERIFY2(relative_error(block.state, widen(recurrent.state)) < rounding, "final states of the two forms differ");

    if (positions <= 257) {  // the double-precision parallel form is O(T²·D²); keep it to the shorter runs
      std::vector<double> out, state;
      lightning_in_double(c, qkv, slopes, initial, out, state);
      QVERIFY2(relative_error(block.out, out) < rounding, "block form differs from the definition");
      QVERIFY2(relative_error(recurrent.out, out) < rounding, "recurrence differs from the definition");
      QVERIFY2(relative_error(block.state, state) < rounding, "block form's state differs from the definition");
    }
  }

  void block_form_in_pieces_equals_one_run() {
    // Prefill in chunks that split blocks anywhere continues exactly from the carried state.
    const std::vector<float> slopes = {0.3f, 0.01f};
    const LightningCase whole{2, 8, 300, 64, false};
    const std::vector<float> qkv = random_values(300 * 2 * 3 * 8, 7, -0.25f, 1.0f);
    const std::vector<float> zero(2 * 8 * 8, 0.0f);
    const LightningResult one = run_lightning(whole, qkv, slopes, zero, linea::cpu::LightningForm::block, 1);

    linea::cpu::ThreadPool pool(1);
    std::vector<float> state = zero, out(300 * 2 * 8);
    std::int64_t done = 0;
    for (std::int64_t piece : {1, 63, 65, 100, 71}) {
      const std::span<const float> in(qkv.data() + done * 2 * 3 * 8, static_cast<std::size_t>(piece * 2 * 3 * 8));
      const std::span<float> part(out.data() + done * 2 * 8, static_cast<std::size_t>(piece * 2 * 8));
      linea::cpu::lightning_attention(pool, piece, 2, 8, in, slopes, 64, state, part, linea::cpu::LightningForm::block);
      done += piece;
    }
    QCOMPARE(done, std::int64_t{300});
    QVERIFY(relative_error(out, widen(one.out)) < 2e-6);
    QVERIFY(relative_error(state, widen(one.state)) < 2e-6);
  }

  void tiled_softmax_equals_naive_data() {
    QTest::addColumn<qint64>("queries");
    QTest::addColumn<qint64>("first_position");
    QTest::addColumn<int>("threads");
    for (auto [queries, first] : {std::pair<qint64, qint64>{1, 0}, {1, 299}, {17, 0}, {130, 0}, {64, 200}, {300, 0},
                                  {5, 1000}})
      for (int threads : {1, 2})
        QTest::addRow("q%lld_from%lld_t%d", static_cast<long long>(queries), static_cast<long long>(first), threads)
            << queries << first << threads;
  }

  void tiled_softmax_equals_naive() {
    QFETCH(qint64, queries);
    QFETCH(qint64, first_position);
    QFETCH(int, threads);
    const std::int64_t heads = 4, kv_heads = 2, D = 24, cached = first_position + queries;
    const float scale = 1.0f / std::sqrt(static_cast<float>(D));
    const auto seed = static_cast<std::uint32_t>(queries * 7 + first_position);
    const std::vector<float> q = random_values(static_cast<std::size_t>(queries * heads * D), seed, -2.0f, 2.0f);
    const std::vector<float> keys = random_values(static_cast<std::size_t>(cached * kv_heads * D), seed + 1, -2.0f, 2.0f);
    const std::vector<float> values =
        random_values(static_cast<std::size_t>(cached * kv_heads * D), seed + 2, -1.0f, 1.0f);
    std::vector<float> out(q.size());
    linea::cpu::ThreadPool pool(threads);
    linea::cpu::causal_attention(pool, queries, first_position, heads, kv_heads, D, scale, q, keys, values, out);

    std::vector<double> expected(q.size());
    for (std::int64_t i = 0; i < queries; ++i)
      for (std::int64_t h = 0; h < heads; ++h) {
        const std::int64_t g = h / (heads / kv_heads);
        const std::vector<double> row =
            naive_attention_row(q.data() + (i * heads + h) * D, keys.data() + g * D, values.data() + g * D,
                                first_position + i + 1, kv_heads * D, D, scale);
        std::copy(row.begin(), row.end(), expected.begin() + (i * heads + h) * D);
      }
    double worst = 0.0;
    for (std::size_t i = 0; i < out.size(); ++i) worst = std::max(worst, std::abs(out[i] - expected[i]));
    QVERIFY2(worst < 2e-6, qPrintable(QString("max abs error %1").arg(worst)));
  }

  void full_attention_equals_naive_data() {
    QTest::addColumn<qint64>("tokens");
    QTest::addColumn<qint64>("head_dim");
    QTest::addColumn<int>("threads");
    for (qint64 tokens : {1, 7, 65, 300})
      for (qint64 head_dim : {5, 64})
        for (int threads : {1, 2})
          QTest::addRow("n%lld_D%lld_t%d", static_cast<long long>(tokens), static_cast<long long>(head_dim), threads)
              << tokens << head_dim << threads;
  }

  void full_attention_equals_naive() {
    // Every row sees every row (an encoder): against a double-precision softmax over all of them.
    QFETCH(qint64, tokens);
    QFETCH(qint64, head_dim);
    QFETCH(int, threads);
    const std::int64_t heads = 3, D = head_dim, width = heads * D;
    const float scale = 1.0f / std::sqrt(static_cast<float>(D));  // as the models scale
    const auto seed = static_cast<std::uint32_t>(tokens * 13 + D);
    const std::vector<float> q = random_values(static_cast<std::size_t>(tokens * width), seed, -2.0f, 2.0f);
    const std::vector<float> k = random_values(static_cast<std::size_t>(tokens * width), seed + 1, -2.0f, 2.0f);
    const std::vector<float> v = random_values(static_cast<std::size_t>(tokens * width), seed + 2, -1.0f, 1.0f);
    std::vector<float> out(q.size());
    linea::cpu::ThreadPool pool(threads);
    linea::cpu::full_attention(pool, tokens, heads, D, scale, q, k, v, out);
    double worst = 0.0;
    for (std::int64_t h = 0; h < heads; ++h)
      for (std::int64_t i = 0; i < tokens; ++i) {
        const std::vector<double> row =
            naive_attention_row(q.data() + i * width + h * D, k.data() + h * D, v.data() + h * D, tokens, width, D, scale);
        for (std::int64_t e = 0; e < D; ++e)
          worst = std::max(worst, std::abs(out[static_cast<std::size_t>(i * width + h * D + e)] - row[static_cast<std::size_t>(e)]));
      }
    QVERIFY2(worst < 2e-6, qPrintable(QString("max abs error %1").arg(worst)));
  }

  void rms_norm_matches_definition() {
    const std::vector<float> x = random_values(3 * 40, 11, -3.0f, 3.0f);
    const std::vector<float> weight = random_values(40, 12, 0.5f, 1.5f);
    std::vector<float> out(x.size());
    linea::cpu::rms_norm(x, 40, weight, 1e-6f, out);
    for (int t = 0; t < 3; ++t) {
      double mean_square = 0.0;
      for (int i = 0; i < 40; ++i) mean_square += static_cast<double>(x[t * 40 + i]) * x[t * 40 + i] / 40.0;
      for (int i = 0; i < 40; ++i) {
        const double expected = x[t * 40 + i] / std::sqrt(mean_square + 1e-6) * weight[static_cast<std::size_t>(i)];
        QVERIFY(std::abs(out[static_cast<std::size_t>(t * 40 + i)] - expected) < 1e-5);
      }
    }
  }

  void bad_shapes_are_rejected() {
    linea::cpu::ThreadPool pool(1);
    std::vector<float> qkv(3 * 2 * 3 * 4), out(3 * 2 * 4), state(2 * 4 * 4);
    const std::vector<float> one_slope = {0.1f};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             linea::cpu::lightning_attention(pool, 3, 2, 4, qkv, one_slope, 64, state, out));
    std::vector<float> q(4 * 3), keys(2 * 3), values(2 * 3), o(4 * 3);
    // 3 query heads cannot share 2 key/value heads.
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             linea::cpu::causal_attention(pool, 1, 1, 3, 2, 4, 1.0f, q, keys, values, o));
    // Encoder attention: k holds 2 rows where q holds 4.
    std::vector<float> short_k(2 * 3);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             linea::cpu::full_attention(pool, 4, 1, 3, 1.0f, std::vector<float>(4 * 3), short_k,
                                                        std::vector<float>(4 * 3), o));
  }
};

QTEST_APPLESS_MAIN(TestAttentionKernels)
#include "test_attention_kernels.moc"
