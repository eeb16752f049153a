// Every kernel table this CPU runs (reference, avx2, avx512) against the reference table for the
// attention family: exp, sigmoid and silu over the whole range that matters and the special values;
// rms_norm; the lightning recurrence and block form; causal and encoder (unmasked) softmax attention. Head dims 20 and 24
// (partial vectors) beside the models' 64 and 128; lengths that cross block and tile boundaries;
// incoming state and cache offsets; 1 and 2 threads through the threaded fronts. Tables the CPU
// lacks are skipped with a message.
//
// Tolerances (stated per kernel; the reasons in each test):
//   exp:            ≤ 2 ulp from std::exp; the same infinities, zeros and NaNs
//   sigmoid, silu:  ≤ 4 ulp from the reference
//   rms_norm:       ≤ 2 ulp from the reference
//   lightning recurrence and block form: bit-identical to the reference (outputs and state)
//   softmax attention: |o − o_ref| ≤ 1e-5 · Σ_j p_j·|v_j|
// And exactly: the same bits for 1 and 2 threads.
#include "engine/cpu/attention_ops.h"
#include "engine/cpu/kernels.h"
#include "tests/engine/cpu/kernel_table_support.h"

#include <QTest>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

namespace {

using linea::cpu::Kernels;
using linea::test::ActiveTable;
using linea::test::kTableNames;
using linea::test::random_values;
using linea::test::same_bits;

// Distance in units in the last place: how many floats lie between a and b (0 when equal, also for
// two NaNs or two equal infinities).
std::int64_t ulp_distance(float a, float b) {
  if (std::isnan(a) || std::isnan(b))
    return std::isnan(a) && std::isnan(b) ? 0 : std::numeric_limits<std::int64_t>::max();
  const auto ordered = [](float x) {
    const auto bits = static_cast<std::int64_t>(std::bit_cast<std::uint32_t>(x));
    return bits & 0x80000000 ? -(bits & 0x7FFFFFFF) : bits;  // −0 and +0 both 0
  };
  return std::abs(ordered(a) - ordered(b));
}

std::vector<float> absolute(std::vector<float> values) {
  for (float& v : values) v = std::abs(v);
  return values;
}

// The inputs of the activation tests: a fine sweep of [−110, 110] (e^x from 0 through the subnormals
// to +inf), random values near 0, and the special values.
std::vector<float> activation_inputs() {
  std::vector<float> x;
  for (int i = -1100000; i <= 1100000; ++i) x.push_back(static_cast<float>(i) * 1e-4f);
  for (float v : random_values(20001, 81, -1.0f, 1.0f)) x.push_back(v * 1e-3f);
  const float specials[] = {0.0f,
                            -0.0f,
                            std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity(),
                            std::numeric_limits<float>::quiet_NaN(),
                            88.7228317f,
                            88.7228394f,
                            88.72284f,
                            -87.336544f,
                            -103.97f,
                            -103.28f,
                            -104.0f,
                            -105.0f,
                            1e-40f,
                            -1e-40f,
                            1e30f,
                            -1e30f,
                            std::numeric_limits<float>::max(),
                            std::numeric_limits<float>::lowest()};
  x.insert(x.end(), std::begin(specials), std::end(specials));
  return x;
}

struct LightningRun {
  std::vector<float> out, state;
};

// Four heads of lightning attention through the threaded front with `table` active.
LightningRun run_lightning(const Kernels& table, int threads, std::int64_t head_dim, std::int64_t positions,
                           std::int64_t block_size, const std::vector<float>& qkv, const std::vector<float>& state,
                           linea::cpu::LightningForm form) {
  const std::vector<float> slopes = {0.917004f, 0.5f, 0.0625f, 1e-5f};  // steep (underflowing) to almost flat
  const ActiveTable active(table);
  linea::cpu::ThreadPool pool(threads);
  LightningRun run{std::vector<float>(static_cast<std::size_t>(positions * 4 * head_dim)), state};
  linea::cpu::lightning_attention(pool, positions, 4, head_dim, qkv, slopes, block_size, run.state, run.out, form);
  return run;
}

// Causal attention, 4 query heads over 2 kv heads, through the threaded front with `table` active.
std::vector<float> run_attention(const Kernels& table, int threads, std::int64_t head_dim, std::int64_t queries,
                                 std::int64_t first_position, const std::vector<float>& q,
                                 const std::vector<float>& keys, const std::vector<float>& values) {
  const ActiveTable active(table);
  linea::cpu::ThreadPool pool(threads);
  std::vector<float> out(q.size());
  linea::cpu::causal_attention(pool, queries, first_position, 4, 2, head_dim,
                               1.0f / std::sqrt(static_cast<float>(head_dim)), q, keys, values, out);
  return out;
}

// Encoder attention (no mask), 4 heads over `tokens` rows, through the threaded front with `table` active.
std::vector<float> run_full_attention(const Kernels& table, int threads, std::int64_t head_dim, std::int64_t tokens,
                                      const std::vector<float>& q, const std::vector<float>& k,
                                      const std::vector<float>& v) {
  const ActiveTable active(table);
  linea::cpu::ThreadPool pool(threads);
  std::vector<float> out(q.size());
  linea::cpu::full_attention(pool, tokens, 4, head_dim, 1.0f / std::sqrt(static_cast<float>(head_dim)), q, k, v, out);
  return out;
}

// First index where |a − b| > tolerance · scale, or −1.
std::int64_t first_outside(const std::vector<float>& a, const std::vector<float>& b, const std::vector<float>& scale,
                           double tolerance, double& worst_ratio) {
  worst_ratio = 0.0;
  std::int64_t bad = -1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double error = std::abs(static_cast<double>(a[i]) - b[i]);
    const double bound = tolerance * scale[i];
    if (scale[i] > 0) worst_ratio = std::max(worst_ratio, error / scale[i]);
    if (!(error <= bound) && bad < 0) bad = static_cast<std::int64_t>(i);
  }
  return bad;
}

}  // namespace

class TestAttentionKernelPaths : public QObject {
  Q_OBJECT

 private slots:
  void activationsMatchTheReference_data() {
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("op");
    QTest::addColumn<int>("max_ulp");
    for (const char* table : kTableNames) {
      // exp: the polynomial's error on |r| ≤ ln2/2 plus the rounding of r: within 2 ulp.
      QTest::addRow("%s exp", table) << QString(table) << "exp" << 2;
      // sigmoid, silu: 1 + e^−x then a division, rounded as the reference rounds them; but where
      // e^−x ≥ 2^24 the sum's spacing is 2 or more ulp of e^−x (adding 1 can be a tie), so one ulp
      // in e^−x can turn into two in 1 + e^−x, and the division rounds once more: 4 ulp.
      QTest::addRow("%s sigmoid", table) << QString(table) << "sigmoid" << 4;
      QTest::addRow("%s silu", table) << QString(table) << "silu" << 4;
    }
  }

  void activationsMatchTheReference() {
    QFETCH(QString, table);
    QFETCH(QString, op);
    QFETCH(int, max_ulp);
    REQUIRE_TABLE(table, kernels);
    const Kernels& reference = linea::cpu::reference_kernels();
    const std::vector<float> x = activation_inputs();
    std::vector<float> mine = x, theirs = x;
    const auto n = static_cast<std::int64_t>(x.size());
    const auto apply = [&](const Kernels& k, std::vector<float>& values, std::int64_t offset, std::int64_t count) {
      if (op == "exp") k.exp(values.data() + offset, count);
      if (op == "sigmoid") k.sigmoid(values.data() + offset, count);
      if (op == "silu") k.silu(values.data() + offset, count);
    };
    apply(*kernels, mine, 0, n);
    apply(reference, theirs, 0, n);
    std::int64_t worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const std::int64_t distance = ulp_distance(mine[i], theirs[i]);
      worst = std::max(worst, distance);
      if (distance > max_ulp)
        QFAIL(qPrintable(QString("%1(%2) = %3, reference %4 (%5 ulp apart)")
                             .arg(op)
                             .arg(x[i], 0, 'g', 9)
                             .arg(mine[i], 0, 'g', 9)
                             .arg(theirs[i], 0, 'g', 9)
                             .arg(distance)));
    }
    qInfo("%s: worst %lld ulp over %zu inputs", qPrintable(op), static_cast<long long>(worst), x.size());
    // A value's result does not depend on where it sits (whole vectors or the masked tail).
    for (std::int64_t count : {1, 5, 17, 31}) {
      std::vector<float> part = x;
      apply(*kernels, part, 3, count);
      QVERIFY(std::memcmp(part.data() + 3, mine.data() + 3, static_cast<std::size_t>(count) * sizeof(float)) == 0);
      QCOMPARE(part[static_cast<std::size_t>(3 + count)], x[static_cast<std::size_t>(3 + count)]);  // nothing past n
    }
  }

  void rmsNormMatchesTheReference_data() {
    QTest::addColumn<QString>("table");
    QTest::addColumn<int>("n");
    QTest::addColumn<bool>("with_weight");
    for (const char* table : kTableNames)
      for (int n : {1, 5, 24, 64, 100, 257, 1024})
        for (bool weight : {true, false})
          QTest::addRow("%s n=%d %s", table, n, weight ? "weight" : "no weight") << QString(table) << n << weight;
  }

  void rmsNormMatchesTheReference() {
    // Both sum the squares in double; only the order differs, so the f32 scale is the same or one
    // ulp apart, and each output is at most two roundings from the reference's: 2 ulp.
    QFETCH(QString, table);
    QFETCH(int, n);
    QFETCH(bool, with_weight);
    REQUIRE_TABLE(table, kernels);
    for (std::uint32_t seed = 0; seed < 20; ++seed) {
      const std::vector<float> x = random_values(static_cast<std::size_t>(n), 90 + seed, -3.0f, 3.0f);
      const std::vector<float> weight = random_values(static_cast<std::size_t>(n), 200 + seed, 0.5f, 1.5f);
      std::vector<float> mine(static_cast<std::size_t>(n) + 1, 42.0f), theirs(static_cast<std::size_t>(n));
      const float* w = with_weight ? weight.data() : nullptr;
      kernels->rms_norm(x.data(), n, w, 1e-5f, mine.data());
      linea::cpu::reference_kernels().rms_norm(x.data(), n, w, 1e-5f, theirs.data());
      for (int i = 0; i < n; ++i)
        QVERIFY2(ulp_distance(mine[static_cast<std::size_t>(i)], theirs[static_cast<std::size_t>(i)]) <= 2,
                 qPrintable(QString("out[%1] = %2, reference %3")
                                .arg(i)
                                .arg(mine[static_cast<std::size_t>(i)], 0, 'g', 9)
                                .arg(theirs[static_cast<std::size_t>(i)], 0, 'g', 9)));
      QCOMPARE(mine[static_cast<std::size_t>(n)], 42.0f);  // nothing written past n
    }
  }

  void lightningIsTheReference_data() {
    QTest::addColumn<QString>("table");
    QTest::addColumn<bool>("block_form");
    QTest::addColumn<qint64>("head_dim");
    QTest::addColumn<qint64>("positions");
    QTest::addColumn<qint64>("block_size");
    QTest::addColumn<bool>("with_state");
    struct Run {
      qint64 positions, block;
    };
    for (const char* table : kTableNames)
      for (bool block_form : {false, true})
        for (qint64 head_dim : {20, 24, 64, 128})
          for (const Run run : {Run{1, 16}, Run{17, 16}, Run{63, 64}, Run{64, 64}, Run{65, 64}, Run{200, 64},
                                Run{257, 256}, Run{600, 256}})
            for (bool state : {false, true}) {
              if (!block_form && run.positions > 65) continue;  // the recurrence has no blocks to cross
              QTest::addRow("%s %s D=%lld T=%lld B=%lld %s", table, block_form ? "block" : "recurrence",
                            static_cast<long long>(head_dim), static_cast<long long>(run.positions),
                            static_cast<long long>(run.block), state ? "with state" : "zero state")
                  << QString(table) << block_form << head_dim << run.positions << run.block << state;
            }
  }

  void lightningIsTheReference() {
    // Both SIMD forms do the reference's multiplies and adds, every sum in the reference's order
    // (the reference is compiled without contraction, the SIMD files with -ffp-contract=off), so
    // outputs and states are the same bits, for 1 and 2 threads.
    QFETCH(QString, table);
    QFETCH(bool, block_form);
    QFETCH(qint64, head_dim);
    QFETCH(qint64, positions);
    QFETCH(qint64, block_size);
    QFETCH(bool, with_state);
    REQUIRE_TABLE(table, kernels);
    const auto seed = static_cast<std::uint32_t>(positions * 131 + block_size + head_dim);
    const std::vector<float> qkv =
        random_values(static_cast<std::size_t>(positions * 4 * 3 * head_dim), seed, -0.25f, 1.0f);
    const std::vector<float> state =
        with_state ? random_values(static_cast<std::size_t>(4 * head_dim * head_dim), seed + 1, -2.0f, 2.0f)
                   : std::vector<float>(static_cast<std::size_t>(4 * head_dim * head_dim));
    const auto form = block_form ? linea::cpu::LightningForm::block : linea::cpu::LightningForm::recurrent;
    const LightningRun theirs =
        run_lightning(linea::cpu::reference_kernels(), 1, head_dim, positions, block_size, qkv, state, form);
    for (int threads : {1, 2}) {
      const LightningRun mine = run_lightning(*kernels, threads, head_dim, positions, block_size, qkv, state, form);
      for (std::size_t i = 0; i < mine.out.size(); ++i)
        if (std::bit_cast<std::uint32_t>(mine.out[i]) != std::bit_cast<std::uint32_t>(theirs.out[i]))
          QFAIL(qPrintable(QString("%1 threads: out[%2] = %3, reference %4")
                               .arg(threads)
                               .arg(i)
                               .arg(mine.out[i], 0, 'g', 9)
                               .arg(theirs.out[i], 0, 'g', 9)));
      QVERIFY2(same_bits(mine.state, theirs.state), qPrintable(QString("%1 threads: the states differ").arg(threads)));
    }
  }

  void attentionMatchesTheReference_data() {
    QTest::addColumn<QString>("table");
    QTest::addColumn<qint64>("head_dim");
    QTest::addColumn<qint64>("queries");
    QTest::addColumn<qint64>("first_position");
    struct Run {
      qint64 queries, first;
    };
    // Few rows (the dot-product path) and many (the query-lane tiles), tiles of 64 queries and keys
    // crossed, cache offsets.
    for (const char* table : kTableNames)
      for (qint64 head_dim : {24, 64, 128})
        for (const Run run : {Run{1, 0}, Run{1, 300}, Run{3, 0}, Run{5, 130}, Run{8, 0}, Run{17, 0}, Run{64, 0},
                              Run{65, 63}, Run{130, 200}, Run{64, 1000}, Run{200, 0}})
          QTest::addRow("%s D=%lld, %lld queries from %lld", table, static_cast<long long>(head_dim),
                        static_cast<long long>(run.queries), static_cast<long long>(run.first))
              << QString(table) << head_dim << run.queries << run.first;
  }

  void attentionMatchesTheReference() {
    // o = Σ_j p_j v_j with p the softmax of the scores. A score computed another way differs by a
    // few ε times Σ_d |q_d k_d|·scale (here at most about 30 ε), which changes p_j by that factor; the
    // weighted sum then adds a few ε more: bounded by 1e-5 · Σ_j p_j |v_j|, the reference's output
    // for |v| (the worst seen here is about 9e-7 of it).
    QFETCH(QString, table);
    QFETCH(qint64, head_dim);
    QFETCH(qint64, queries);
    QFETCH(qint64, first_position);
    REQUIRE_TABLE(table, kernels);
    const std::int64_t cached = first_position + queries;
    const auto seed = static_cast<std::uint32_t>(queries * 7 + first_position + head_dim);
    const std::vector<float> q = random_values(static_cast<std::size_t>(queries * 4 * head_dim), seed, -2.0f, 2.0f);
    const std::vector<float> keys =
        random_values(static_cast<std::size_t>(cached * 2 * head_dim), seed + 1, -2.0f, 2.0f);
    const std::vector<float> values =
        random_values(static_cast<std::size_t>(cached * 2 * head_dim), seed + 2, -1.0f, 1.0f);
    const Kernels& reference = linea::cpu::reference_kernels();
    const std::vector<float> theirs = run_attention(reference, 1, head_dim, queries, first_position, q, keys, values);
    const std::vector<float> size =
        run_attention(reference, 1, head_dim, queries, first_position, q, keys, absolute(values));
    const std::vector<float> one = run_attention(*kernels, 1, head_dim, queries, first_position, q, keys, values);
    const std::vector<float> two = run_attention(*kernels, 2, head_dim, queries, first_position, q, keys, values);
    QVERIFY(same_bits(one, two));
    double worst = 0.0;
    const std::int64_t bad = first_outside(one, theirs, size, 1e-5, worst);
    QVERIFY2(bad < 0,
             qPrintable(QString("out[%1] = %2, reference %3")
                            .arg(bad)
                            .arg(one[static_cast<std::size_t>(std::max<std::int64_t>(bad, 0))], 0, 'g', 9)
                            .arg(theirs[static_cast<std::size_t>(std::max<std::int64_t>(bad, 0))], 0, 'g', 9)));
    qInfo("worst |error| / size: %.3g", worst);
  }

  void encoderAttentionMatchesTheReference_data() {
    QTest::addColumn<QString>("table");
    QTest::addColumn<qint64>("head_dim");
    QTest::addColumn<qint64>("tokens");
    // One row, fewer rows than lanes, tiles of 64 crossed, and a CLIP-336 tile's 577.
    for (const char* table : kTableNames)
      for (qint64 head_dim : {24, 64})
        for (qint64 tokens : {1, 3, 17, 64, 65, 200, 577})
          QTest::addRow("%s D=%lld, %lld tokens", table, static_cast<long long>(head_dim), static_cast<long long>(tokens))
              << QString(table) << head_dim << tokens;
  }

  void encoderAttentionMatchesTheReference() {
    // The same bound as the causal case, for the same reasons.
    QFETCH(QString, table);
    QFETCH(qint64, head_dim);
    QFETCH(qint64, tokens);
    REQUIRE_TABLE(table, kernels);
    const auto n = static_cast<std::size_t>(tokens * 4 * head_dim);
    const auto seed = static_cast<std::uint32_t>(tokens * 11 + head_dim);
    const std::vector<float> q = random_values(n, seed, -2.0f, 2.0f);
    const std::vector<float> k = random_values(n, seed + 1, -2.0f, 2.0f);
    const std::vector<float> v = random_values(n, seed + 2, -1.0f, 1.0f);
    const Kernels& reference = linea::cpu::reference_kernels();
    const std::vector<float> theirs = run_full_attention(reference, 1, head_dim, tokens, q, k, v);
    const std::vector<float> size = run_full_attention(reference, 1, head_dim, tokens, q, k, absolute(v));
    const std::vector<float> one = run_full_attention(*kernels, 1, head_dim, tokens, q, k, v);
    const std::vector<float> two = run_full_attention(*kernels, 2, head_dim, tokens, q, k, v);
    QVERIFY(same_bits(one, two));
    double worst = 0.0;
    const std::int64_t bad = first_outside(one, theirs, size, 1e-5, worst);
    QVERIFY2(bad < 0, qPrintable(QString("out[%1] = %2, reference %3")
                                     .arg(bad)
                                     .arg(one[static_cast<std::size_t>(std::max<std::int64_t>(bad, 0))], 0, 'g', 9)
                                     .arg(theirs[static_cast<std::size_t>(std::max<std::int64_t>(bad, 0))], 0, 'g', 9)));
    qInfo("worst |error| / size: %.3g", worst);
  }
};

QTEST_APPLESS_MAIN(TestAttentionKernelPaths)
#include "test_attention_kernel_paths.moc"
