// Every CPU op against a plain double-precision computation written here, the matmul for each weight
// dtype, and the properties the engine relies on: results independent of thread count and of how
// many positions are computed together. Also the harness that holds the active kernel table to the
// reference table op by op (today they are the same; SIMD tables will be checked here).
#include "engine/core/float16.h"
#include "engine/cpu/kernels.h"
#include "engine/cpu/ops.h"
#include "engine/cpu/simd_kernels.h"
#include "engine/io/dequantize.h"
#include "engine/io/quantize.h"

#include <QTest>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

using linea::DType;
using linea::cpu::WeightView;

std::vector<float> random_values(std::size_t n, std::uint32_t seed, float low = -1.0f, float high = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(low, high);
  std::vector<float> out(n);
  for (float& v : out) v = dist(rng);
  return out;
}

// Weights stored as `dtype` in a byte buffer, starting `misalign` bytes into it.
struct StoredWeights {
  std::vector<std::byte> bytes;
  std::vector<float> values;  // what the stored bytes decode to
  WeightView view;
};

StoredWeights store(DType dtype, std::int64_t rows, std::int64_t cols, std::uint32_t seed, std::size_t misalign = 0) {
  const std::vector<float> original = random_values(static_cast<std::size_t>(rows * cols), seed);
  StoredWeights w;
  std::vector<std::byte> encoded;
  if (dtype == DType::f32) {
    encoded.resize(original.size() * 4);
    std::memcpy(encoded.data(), original.data(), encoded.size());
  } else if (dtype == DType::f16 || dtype == DType::bf16) {
    encoded.resize(original.size() * 2);
    for (std::size_t i = 0; i < original.size(); ++i) {
      const std::uint16_t h = dtype == DType::f16 ? linea::f32_to_fp16(original[i]) : linea::f32_to_bf16(original[i]);
      std::memcpy(encoded.data() + 2 * i, &h, 2);
    }
  } else {
    encoded = linea::io::quantize(dtype, original);
  }
  w.bytes.resize(encoded.size() + misalign);
  std::memcpy(w.bytes.data() + misalign, encoded.data(), encoded.size());
  w.values.resize(original.size());
  linea::io::dequantize(dtype, w.bytes.data() + misalign, original.size(), w.values.data());
  w.view = WeightView{dtype, rows, cols, w.bytes.data() + misalign};
  return w;
}

}  // namespace

class TestCpuOps : public QObject {
  Q_OBJECT

 private slots:
  void matmulMatchesDoublePrecision_data() {
    QTest::addColumn<DType>("dtype");
    QTest::addColumn<int>("misalign");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<int>("positions");
    QTest::addColumn<bool>("integer");  // the SIMD tables' integer product for quantized weights on
    QTest::newRow("F32") << DType::f32 << 0 << 37 << 100 << 3 << true;
    QTest::newRow("F32 unaligned") << DType::f32 << 2 << 37 << 100 << 3 << true;
    QTest::newRow("F16") << DType::f16 << 0 << 64 << 96 << 5 << true;
    QTest::newRow("F16 unaligned") << DType::f16 << 1 << 9 << 33 << 2 << true;
    QTest::newRow("BF16") << DType::bf16 << 0 << 130 << 64 << 4 << true;
    QTest::newRow("Q8_0") << DType::q8_0 << 0 << 20 << 64 << 3 << true;
    QTest::newRow("Q4_0") << DType::q4_0 << 0 << 12 << 256 << 2 << true;
    QTest::newRow("Q8_0, f32 path") << DType::q8_0 << 0 << 20 << 64 << 3 << false;
    QTest::newRow("Q4_0, f32 path") << DType::q4_0 << 0 << 12 << 256 << 2 << false;
    QTest::newRow("one column") << DType::f32 << 0 << 5 << 1 << 1 << true;
  }

  void matmulMatchesDoublePrecision() {
    QFETCH(DType, dtype);
    QFETCH(int, misalign);
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(int, positions);
    QFETCH(bool, integer);
    const StoredWeights w = store(dtype, rows, cols, 11, static_cast<std::size_t>(misalign));
    const std::vector<float> x = random_values(static_cast<std::size_t>(positions * cols), 12);
    std::vector<float> y(static_cast<std::size_t>(positions * rows));
    linea::cpu::ThreadPool pool(2);
    const bool previous = linea::cpu::integer_dot_enabled();
    linea::cpu::set_integer_dot_enabled(integer);
    linea::cpu::matmul(pool, w.view, x, positions, y);
    linea::cpu::set_integer_dot_enabled(previous);
    // The integer product (active SIMD table, quantized weights) computes with the activations
    // rounded to int8 blocks of 32: each within max|x_block|/254 (test_kernel_paths states why).
    const bool rounds_activations =
        integer && (dtype == DType::q8_0 || dtype == DType::q4_0) && linea::cpu::active_kernels().name != "reference";
    for (int t = 0; t < positions; ++t) {
      for (int o = 0; o < rows; ++o) {
        double expected = 0, magnitude = 0, activation_rounding = 0;
        for (int i = 0; i < cols; ++i) {
          expected += static_cast<double>(w.values[o * cols + i]) * x[t * cols + i];
          magnitude += std::abs(static_cast<double>(w.values[o * cols + i]) * x[t * cols + i]);
        }
        for (int b = 0; rounds_activations && b < cols; b += 32) {
          double block_max = 0, weight_sum = 0;
          for (int i = b; i < b + 32; ++i) {
            block_max = std::max(block_max, std::abs(static_cast<double>(x[t * cols + i])));
            weight_sum += std::abs(static_cast<double>(w.values[o * cols + i]));
          }
          activation_rounding += block_max / 254.0 * weight_sum;
        }
        const double error = std::abs(y[t * rows + o] - expected);
        if (error > 1e-6 * magnitude + 1e-7 + 1.001 * activation_rounding)
          QFAIL(qPrintable(QString("y[%1][%2] = %3, expected %4").arg(t).arg(o).arg(y[t * rows + o]).arg(expected)));
      }
    }
  }

  void halfTableMatchesTheReferenceForEveryValue() {
    for (std::uint32_t bits = 0; bits <= 0xFFFF; ++bits) {
      const auto half = static_cast<std::uint16_t>(bits);
      const float fast = linea::cpu::fp16_table()[bits], reference = linea::fp16_to_f32(half);
      if (std::bit_cast<std::uint32_t>(fast) != std::bit_cast<std::uint32_t>(reference))
        QFAIL(qPrintable(QString("half 0x%1: %2 instead of %3").arg(bits, 4, 16, QChar('0')).arg(fast).arg(reference)));
    }
  }

  void matmulIsIndependentOfThreadsAndPositions() {
    const StoredWeights w = store(DType::f16, 200, 96, 21);
    const int positions = 7;
    const std::vector<float> x = random_values(static_cast<std::size_t>(positions * 96), 22);
    std::vector<float> together(static_cast<std::size_t>(positions * 200));
    linea::cpu::ThreadPool four(4), one(1);
    linea::cpu::matmul(four, w.view, x, positions, together);
    for (int t = 0; t < positions; ++t) {
      std::vector<float> alone(200);
      linea::cpu::matmul(one, w.view, std::span<const float>(x).subspan(t * 96, 96), 1, alone);
      QVERIFY(std::memcmp(alone.data(), together.data() + t * 200, 200 * sizeof(float)) == 0);
    }
  }

  void matmulRowsComputesItsRowsAsMatmulDoes() {
    // Any row range on the calling thread gives matmul's bits for those rows and leaves the others.
    for (DType dtype : {DType::f32, DType::q8_0}) {
      const StoredWeights w = store(dtype, 72, 64, 23);
      const int positions = 3;
      const std::vector<float> x = random_values(static_cast<std::size_t>(positions * 64), 24);
      std::vector<float> whole(static_cast<std::size_t>(positions * 72));
      linea::cpu::ThreadPool pool(2);
      linea::cpu::matmul(pool, w.view, x, positions, whole);
      std::vector<float> parts(whole.size(), 42.0f);
      for (const auto& [begin, end] : {std::pair{0, 16}, {16, 40}, {40, 72}}) {
        linea::cpu::matmul_rows(w.view, x, positions, parts, begin, end);
        for (int t = 0; t < positions; ++t)
          for (int o = end; o < 72; ++o) QCOMPARE(parts[static_cast<std::size_t>(t * 72 + o)], 42.0f);
      }
      QVERIFY(std::memcmp(parts.data(), whole.data(), whole.size() * sizeof(float)) == 0);
      try {
        linea::cpu::matmul_rows(w.view, x, positions, parts, 64, 80);
        QFAIL("expected an error");
      } catch (const std::invalid_argument& error) {
        QCOMPARE(std::string(error.what()), std::string("matmul: rows [64, 80) are not within the weight's 72"));
      }
    }
  }

  void matmulRejectsWrongSizes() {
    const StoredWeights w = store(DType::f32, 4, 8, 1);
    std::vector<float> x(8), y(3);
    linea::cpu::ThreadPool pool(1);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, linea::cpu::matmul(pool, w.view, x, 1, y));
  }

  void embeddingLookupCopiesRowsAndNamesBadTokens() {
    const StoredWeights table = store(DType::bf16, 10, 6, 5);
    const std::vector<std::int32_t> tokens = {3, 0, 9};
    std::vector<float> out(18);
    linea::cpu::embedding_lookup(table.view, tokens, out);
    for (std::size_t t = 0; t < tokens.size(); ++t)
      for (int i = 0; i < 6; ++i) QCOMPARE(out[t * 6 + i], table.values[tokens[t] * 6 + i]);
    const std::vector<std::int32_t> bad = {1, 10};
    try {
      linea::cpu::embedding_lookup(table.view, bad, std::span<float>(out).first(12));
      QFAIL("expected an error");
    } catch (const std::out_of_range& error) {
      QCOMPARE(std::string(error.what()), std::string("token 10 at position 1 is outside the vocabulary [0, 10)"));
    }
  }

  void layerNormMatchesDoublePrecision() {
    const int n = 96, rows = 3;
    const std::vector<float> x = random_values(n * rows, 31, -3.0f, 5.0f);
    const std::vector<float> weight = random_values(n, 32), bias = random_values(n, 33);
    std::vector<float> out(x.size());
    linea::cpu::layer_norm(x, n, weight, bias, 1e-5f, out);
    for (int r = 0; r < rows; ++r) {
      double mean = 0, var = 0;
      for (int i = 0; i < n; ++i) mean += x[r * n + i];
      mean /= n;
      for (int i = 0; i < n; ++i) var += (x[r * n + i] - mean) * (x[r * n + i] - mean);
      var /= n;
      for (int i = 0; i < n; ++i) {
        const double expected = (x[r * n + i] - mean) / std::sqrt(var + 1e-5) * weight[i] + bias[i];
        QVERIFY(std::abs(out[r * n + i] - expected) < 1e-5);
      }
    }
  }

  void groupNormNormalisesEachGroup() {
    const int n = 128, groups = 2, size = 64;
    const std::vector<float> x = random_values(n, 41, -2.0f, 2.0f);
    const std::vector<float> weight = random_values(n, 42), bias = random_values(n, 43);
    std::vector<float> out(n);
    linea::cpu::group_norm(x, n, groups, weight, bias, 64e-5f, out);
    for (int g = 0; g < groups; ++g) {
      double mean = 0, var = 0;
      for (int i = 0; i < size; ++i) mean += x[g * size + i];
      mean /= size;
      for (int i = 0; i < size; ++i) var += (x[g * size + i] - mean) * (x[g * size + i] - mean);
      var /= size;
      for (int i = 0; i < size; ++i) {
        const int c = g * size + i;
        const double expected = (x[c] - mean) / std::sqrt(var + 64e-5) * weight[c] + bias[c];
        QVERIFY(std::abs(out[c] - expected) < 1e-5);
      }
    }
  }

  void tokenShiftUsesCarryThenPreviousRow() {
    const std::vector<float> x = {1, 2, 10, 20, 100, 200};  // three positions of two
    const std::vector<float> mix = {0.5f, 0.25f}, carry = {-1, -2};
    std::vector<float> out(6);
    linea::cpu::token_shift(x, 2, mix, carry, out);
    const std::vector<float> expected = {1 + (-1 - 1) * 0.5f,   2 + (-2 - 2) * 0.25f,    10 + (1 - 10) * 0.5f,
                                         20 + (2 - 20) * 0.25f, 100 + (10 - 100) * 0.5f, 200 + (20 - 200) * 0.25f};
    QCOMPARE(out, expected);
  }

  void elementwiseOps() {
    std::vector<float> x = {-30.0f, -1.0f, 0.0f, 0.5f, 30.0f, 100.0f};
    auto apply = [&](void (*op)(std::span<float>)) {
      std::vector<float> copy = x;
      op(copy);
      return copy;
    };
    const auto sig = apply(linea::cpu::sigmoid), th = apply(linea::cpu::tanh), ex = apply(linea::cpu::exp),
               sp = apply(linea::cpu::softplus), rs = apply(linea::cpu::relu_squared);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double v = x[i];
      QVERIFY(std::abs(sig[i] - 1.0 / (1.0 + std::exp(-v))) < 1e-7);
      QVERIFY(std::abs(th[i] - std::tanh(v)) < 1e-7);
      if (v < 88)
        QVERIFY(std::abs(ex[i] - std::exp(v)) <= 1e-6 * std::exp(v));
      else
        QVERIFY(std::isinf(ex[i]));  // beyond float's range
      const double softplus = v > 0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v));
      QVERIFY2(std::abs(sp[i] - softplus) <= 1e-6 * std::max(1.0, std::abs(softplus)), qPrintable(QString::number(v)));
      QCOMPARE(rs[i], v > 0 ? static_cast<float>(v * v) : 0.0f);
    }
    QVERIFY(std::isfinite(sp.back()));  // no overflow for large inputs
  }

  void wkv7MatchesTheMatrixForm() {
    // S_t = S_{t-1}·diag(w) + (S_{t-1}·a)·bᵀ + v·kᵀ ;  y = S_t·r, per head, in double.
    const int heads = 2, n = 8, positions = 5, width = heads * n;
    std::vector<float> r = random_values(positions * width, 51), w = random_values(positions * width, 52, 0.55f, 1.0f),
                       k = random_values(positions * width, 53), v = random_values(positions * width, 54),
                       a = random_values(positions * width, 55, -0.5f, 0.0f),
                       b = random_values(positions * width, 56, 0.0f, 0.5f);
    std::vector<float> state = random_values(heads * n * n, 57);
    std::vector<double> expected_state(state.begin(), state.end());
    std::vector<float> y(positions * width);
    linea::cpu::ThreadPool pool(2);
    linea::cpu::wkv7(pool, positions, heads, n, {r, w, k, v, a, b}, state, y);

    for (int t = 0; t < positions; ++t) {
      for (int h = 0; h < heads; ++h) {
        double* S = expected_state.data() + h * n * n;
        const int o = t * width + h * n;
        std::vector<double> sa(n, 0.0);
        for (int i = 0; i < n; ++i)
          for (int j = 0; j < n; ++j) sa[i] += S[i * n + j] * a[o + j];
        for (int i = 0; i < n; ++i)
          for (int j = 0; j < n; ++j)
            S[i * n + j] = S[i * n + j] * w[o + j] + sa[i] * b[o + j] + double(v[o + i]) * k[o + j];
        for (int i = 0; i < n; ++i) {
          double out = 0;
          for (int j = 0; j < n; ++j) out += S[i * n + j] * r[o + j];
          QVERIFY2(std::abs(y[o + i] - out) < 1e-5, qPrintable(QString("t %1 h %2 i %3").arg(t).arg(h).arg(i)));
        }
      }
    }
    for (std::size_t i = 0; i < state.size(); ++i) QVERIFY(std::abs(state[i] - expected_state[i]) < 1e-5);
  }

  void wkv7HeadsUpdatesOnlyItsHeads() {
    // Head by head on the calling thread: the same bits as all heads through the pool.
    const int heads = 3, n = 8, positions = 4, width = heads * n;
    const std::vector<float> r = random_values(positions * width, 71),
                             w = random_values(positions * width, 72, 0.55f, 1.0f),
                             k = random_values(positions * width, 73), v = random_values(positions * width, 74),
                             a = random_values(positions * width, 75, -0.5f, 0.0f),
                             b = random_values(positions * width, 76, 0.0f, 0.5f);
    const std::vector<float> initial = random_values(heads * n * n, 77);
    const linea::cpu::Wkv7Inputs in{r, w, k, v, a, b};
    std::vector<float> state = initial, y(positions * width);
    linea::cpu::ThreadPool pool(2);
    linea::cpu::wkv7(pool, positions, heads, n, in, state, y);

    std::vector<float> state_by_head = initial, y_by_head(positions * width, 42.0f);
    linea::cpu::wkv7_heads(positions, heads, n, in, state_by_head, y_by_head, 1, 2);
    // Head 1 only: heads 0 and 2 of the state and of y are untouched.
    for (int h : {0, 2}) {
      QVERIFY(std::memcmp(state_by_head.data() + h * n * n, initial.data() + h * n * n, n * n * sizeof(float)) == 0);
      for (int t = 0; t < positions; ++t) QCOMPARE(y_by_head[static_cast<std::size_t>(t * width + h * n)], 42.0f);
    }
    linea::cpu::wkv7_heads(positions, heads, n, in, state_by_head, y_by_head, 0, 1);
    linea::cpu::wkv7_heads(positions, heads, n, in, state_by_head, y_by_head, 2, 3);
    QVERIFY(std::memcmp(state_by_head.data(), state.data(), state.size() * sizeof(float)) == 0);
    QVERIFY(std::memcmp(y_by_head.data(), y.data(), y.size() * sizeof(float)) == 0);
    try {
      linea::cpu::wkv7_heads(positions, heads, n, in, state_by_head, y_by_head, 2, 4);
      QFAIL("expected an error");
    } catch (const std::invalid_argument& error) {
      QCOMPARE(std::string(error.what()), std::string("wkv7: heads [2, 4) are not within the 3 heads"));
    }
  }

  void activeKernelsAgreeWithReference() {
    // The harness every faster kernel table must pass: same inputs through both tables, per-op bound.
    const linea::cpu::Kernels& active = linea::cpu::active_kernels();
    const linea::cpu::Kernels& reference = linea::cpu::reference_kernels();
    qInfo("active kernels: %.*s", static_cast<int>(active.name.size()), active.name.data());

    const StoredWeights w = store(DType::f16, 40, 72, 61);
    const std::vector<float> x = random_values(3 * 72, 62);
    std::vector<float> ya(120), yr(120);
    active.matmul_rows(w.view, x.data(), 3, ya.data(), 40, 0, 40);
    reference.matmul_rows(w.view, x.data(), 3, yr.data(), 40, 0, 40);
    for (std::size_t i = 0; i < ya.size(); ++i) QVERIFY(std::abs(ya[i] - yr[i]) <= 1e-5f * (1 + std::abs(yr[i])));

    std::vector<float> la(72), lr(72);
    active.layer_norm(x.data(), 72, nullptr, nullptr, 1e-5f, la.data());
    reference.layer_norm(x.data(), 72, nullptr, nullptr, 1e-5f, lr.data());
    for (int i = 0; i < 72; ++i) QVERIFY(std::abs(la[i] - lr[i]) <= 1e-6f);

    for (auto op : {&linea::cpu::Kernels::sigmoid, &linea::cpu::Kernels::tanh, &linea::cpu::Kernels::exp,
                    &linea::cpu::Kernels::softplus, &linea::cpu::Kernels::relu_squared}) {
      std::vector<float> ea = x, er = x;
      (active.*op)(ea.data(), static_cast<std::int64_t>(ea.size()));
      (reference.*op)(er.data(), static_cast<std::int64_t>(er.size()));
      for (std::size_t i = 0; i < ea.size(); ++i) QVERIFY(std::abs(ea[i] - er[i]) <= 1e-6f * (1 + std::abs(er[i])));
    }
  }
};

QTEST_APPLESS_MAIN(TestCpuOps)
#include "test_cpu_ops.moc"
