// Every kernel table this CPU runs (reference, avx2, avx512, amx) against the reference table, op by op:
// the matrix product for every weight dtype the SIMD tables read in their own code (F32, F16,
// BF16, Q8_0, Q4_0, Q4_K, Q6_K) on odd and even shapes, 1, 3, 9, 64 and 130 positions, 1 and 2
// threads; the RWKV-7 state update; the element-wise ops they replace. Tables the CPU lacks are
// skipped with a message. The weights here are in the file's row layout; the products over the
// layouts tables regroup them into at load have their own tests (test_float_row_panels: the avx512
// table's F32/F16/BF16 panels; test_bf16_pair_tiles: the amx table's BF16 tiles;
// test_q4_k_row_groups), against the same reference and tolerances.
//
// Tolerances (stated per type; the f32 path converts weights exactly and keeps activations in f32,
// so only the order of the additions differs):
//   matmul, f32 path (every dtype; quantized ones with the integer product switched off):
//     |y − y_ref| ≤ 1e-5 · Σ_i |W[o][i]·x[t][i]|   (f32 summation error of a 1000-term dot product in
//     two different orders is below ~70 ulp of that sum; 1e-5 ≈ 84 ulp)
//   matmul, integer path (Q8_0, Q4_0, Q4_K, Q6_K in the SIMD tables): the product is exactly
//     Σ_i W[o][i]·x̂[i] where x̂ is x quantized per block of 32 with d = max|x_block|/127, so
//     |x̂_i − x_i| ≤ d/2 and
//       |y − y_ref| ≤ 1.001 · Σ_blocks (max|x_block| / 254) · Σ_{i∈block} |W[o][i]|
//                     + 1e-5 · Σ_i |W[o][i]·x[t][i]|
//     (the first term is the rounding of the activations, a worst case every element may reach; the
//     second the f32 rounding of the per-block scale products and sums, as above). For random
//     activations the first term is about 1/254 of Σ|W|·max|x| per block; the observed error is
//     smaller still, since rounding errors of different signs cancel. Q4_K's integer product rounds
//     its activations in two levels (simd_q4_k_dot_impl.h: block steps of D·k with D one f32 per 256
//     values and k ≤ 63 an integer), whose step is at most max|x_block|/127 + max|x_256|/(127·63): its
//     first term adds max|x_256|/(254·63) per block (every table's Q4_K product, the VNNI one included,
//     rounds this way).
//   weights as the product reads them: bit-identical to io::dequantize (W · unit vectors) on the f32
//     path; on the integer path within 1e-6 · max_i |W[o][i]| (a unit vector quantizes to 127 ·
//     f32(1/127), one ulp from 1; a misread nibble or scale is off by a whole quantization step)
//   wkv7: |y − y_ref| ≤ 1e-5 · Σ_j |S[i][j]·r[j]|, |S[i][j] − S_ref[i][j]| ≤ 1e-5 · Σ_j |S_ref[i][j]|,
//     over 7 positions
//   relu_squared, token_shift_mix: bit-identical.
//   layer_norm, group_norm: mean and variance in double as the reference's, summed in another order,
//     so the f32 mean and 1/std are the same or one ulp apart and each output moves by at most
//     4 · 2^-24 · (|x − mean|·inv_std + ulp-level changes of mean and inv_std)·|w| + |b|'s rounding:
//     |y − y_ref| ≤ 4 · 2^-24 · (|w|·(|x| + |mean|)·inv_std + |b|)
// And the properties the engine relies on, exactly: the same bits for 1 or 2 threads, and for all
// positions in one call or one position per call.
#include "engine/core/float16.h"
#include "engine/cpu/cpu_features.h"
#include "engine/cpu/kernels.h"
#include "engine/cpu/ops.h"
#include "engine/cpu/simd_kernels.h"
#include "engine/io/dequantize.h"
#include "engine/io/quantize.h"
#include "tests/engine/cpu/kernel_table_support.h"

#include <QTest>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

using linea::DType;
using linea::cpu::Kernels;
using linea::cpu::WeightView;

using linea::test::ActiveTable;
using linea::test::IntegerDot;
using linea::test::kTableNames;
using linea::test::random_values;
using linea::test::store;
using linea::test::StoredWeights;

// Odd and even shapes per dtype: columns whole blocks, more than one 512-column chunk where
// possible, and (for the plain types) a count that leaves a partial vector at the end.
struct Shape {
  int rows, cols;
};
Shape odd_shape(DType dtype) {
  switch (dtype) {
    case DType::q8_0:
    case DType::q4_0: return {37, 544};
    case DType::q4_k:
    case DType::q6_k: return {37, 768};
    default: return {37, 601};
  }
}
Shape even_shape(DType dtype) {
  switch (dtype) {
    case DType::q8_0:
    case DType::q4_0: return {64, 64};
    case DType::q4_k:
    case DType::q6_k: return {16, 512};
    default: return {64, 512};
  }
}

bool integer_dot_type(DType dtype) {
  return dtype == DType::q8_0 || dtype == DType::q4_0 || dtype == DType::q4_k || dtype == DType::q6_k;
}

// The integer product exists for the quantized types in the SIMD tables only.
bool has_integer_product(const char* table, DType dtype) {
  return integer_dot_type(dtype) && std::string(table) != "reference";
}

const DType kWeightTypes[] = {DType::f32, DType::f16, DType::bf16, DType::q8_0, DType::q4_0, DType::q4_k, DType::q6_k};

}  // namespace

Q_DECLARE_METATYPE(DType)

// Data rows table × dtype × product path (the integer product too where the table has one for the
// dtype), with the columns table, dtype and integer.
template <class DTypes>
void add_path_rows(const DTypes& dtypes) {
  QTest::addColumn<QString>("table");
  QTest::addColumn<DType>("dtype");
  QTest::addColumn<bool>("integer");
  for (const char* table : kTableNames)
    for (DType dtype : dtypes)
      for (const bool integer : {true, false})
        if (!integer || has_integer_product(table, dtype))
          QTest::addRow("%s %s %s", table, linea::dtype_name(dtype).data(), integer ? "integer" : "f32")
              << QString(table) << dtype << integer;
}

class TestKernelPaths : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    const auto& features = linea::cpu::cpu_features();
    qInfo("CPU: %s; features: %s; active table: %s", features.brand.c_str(), describe(features).c_str(),
          std::string(linea::cpu::active_kernels().name).c_str());
  }

  void tablesAreListedAndFound() {
    const auto usable = linea::cpu::usable_kernels();
    QVERIFY(!usable.empty());
    QCOMPARE(usable.front(), &linea::cpu::reference_kernels());
    for (const Kernels* table : usable) QCOMPARE(linea::cpu::find_kernels(table->name), table);
    const auto& features = linea::cpu::cpu_features();
    QCOMPARE(linea::cpu::find_kernels("avx2") != nullptr, features.has_avx2_table());
    QCOMPARE(linea::cpu::find_kernels("avx512") != nullptr, features.has_avx512_table());
    QVERIFY(linea::cpu::find_kernels("sse9") == nullptr);
    // The default is the fastest usable table.
    QCOMPARE(&linea::cpu::kernels_for_request(""), usable.back());
  }

  void requestByEnvironmentName() {
    QCOMPARE(&linea::cpu::kernels_for_request("reference"), &linea::cpu::reference_kernels());
    for (const char* name : {"avx2", "avx512", "amx"}) {
      const Kernels* usable = linea::cpu::find_kernels(name);
      const Kernels& chosen = linea::cpu::kernels_for_request(name);
      // The named table when the CPU runs it, otherwise the fastest one it does run.
      QCOMPARE(&chosen, usable ? usable : linea::cpu::usable_kernels().back());
    }
    try {
      linea::cpu::kernels_for_request("avx1024");
      QFAIL("expected an error");
    } catch (const std::invalid_argument& error) {
      QCOMPARE(std::string(error.what()),
               std::string("LINEA_KERNELS='avx1024' names no kernel table; known: reference, avx2, avx512, amx"));
    }
  }

  void simdTablesKeepTheReferenceForEntriesTheyDoNotReplace() {
    const Kernels& reference = linea::cpu::reference_kernels();
    for (const Kernels* table : linea::cpu::usable_kernels()) {
      QVERIFY(table->tanh == reference.tanh);
      QVERIFY(table->softplus == reference.softplus);
    }
  }

  void matmulMatchesTheReference_data() {
    QTest::addColumn<QString>("table");
    QTest::addColumn<DType>("dtype");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<int>("positions");
    QTest::addColumn<int>("threads");
    QTest::addColumn<bool>("integer");
    for (const char* table : kTableNames)
      for (DType dtype : kWeightTypes)
        for (const bool integer : {true, false}) {
          if (integer && !has_integer_product(table, dtype)) continue;
          for (const Shape shape : {odd_shape(dtype), even_shape(dtype)})
            for (int positions : {1, 3, 9, 64, 130})
              for (int threads : {1, 2})
                QTest::addRow("%s %s %dx%d, %d positions, %d threads, %s", table, linea::dtype_name(dtype).data(),
                              shape.rows, shape.cols, positions, threads, integer ? "integer" : "f32")
                    << QString(table) << dtype << shape.rows << shape.cols << positions << threads << integer;
        }
  }

  void matmulMatchesTheReference() {
    QFETCH(QString, table);
    QFETCH(DType, dtype);
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(int, positions);
    QFETCH(int, threads);
    QFETCH(bool, integer);
    REQUIRE_TABLE(table, kernels);
    const IntegerDot integer_dot(integer);
    const StoredWeights w = store(dtype, rows, cols, static_cast<std::uint32_t>(rows * 7 + cols));
    std::vector<float> x = random_values(static_cast<std::size_t>(positions * cols), 99, -2.0f, 2.0f);
    // Blocks of 32 at scales from 0 to 2, so that the blocks of a 256-value span differ by orders of
    // magnitude (Q4_K's activation sub-scales then take values from 1 to 63).
    constexpr float kBlockScales[] = {1.0f, 0.5f, 0.03f, 1e-3f, 0.2f, 0.0f, 0.7f, 0.01f, 2.0f, 0.1f, 0.05f};
    for (std::size_t i = 0; i < x.size(); ++i) x[i] *= kBlockScales[(i / 32) % std::size(kBlockScales)];
    const std::vector<float> expected = linea::test::reference_product(w.view, x, positions);

    std::vector<float> y(expected.size());
    {
      const ActiveTable active(*kernels);
      linea::cpu::ThreadPool pool(threads);
      linea::cpu::matmul(pool, w.view, x, positions, y);
    }
    for (int t = 0; t < positions; ++t) {
      for (int o = 0; o < rows; ++o) {
        double magnitude = 0, activation_rounding = 0;
        for (int i = 0; i < cols; ++i) magnitude += std::abs(double(w.values[o * cols + i]) * x[t * cols + i]);
        double superblock_max = 0;
        for (int b = 0; b < cols; b += 32) {
          if (dtype == DType::q4_k && b % 256 == 0) {
            superblock_max = 0;
            for (int i = b; i < b + 256; ++i)
              superblock_max = std::max(superblock_max, std::abs(double(x[t * cols + i])));
          }
          double block_max = 0, weight_sum = 0;
          for (int i = b; i < b + 32; ++i) {
            block_max = std::max(block_max, std::abs(double(x[t * cols + i])));
            weight_sum += std::abs(double(w.values[o * cols + i]));
          }
          activation_rounding += (block_max / 254.0 + superblock_max / (254.0 * 63)) * weight_sum;
        }
        const double bound = 1e-5 * magnitude + (integer ? 1.001 * activation_rounding : 0.0);
        const double error = std::abs(double(y[t * rows + o]) - expected[t * rows + o]);
        if (!(error <= bound))
          QFAIL(qPrintable(QString("y[%1][%2] = %3, reference %4 (error %5, bound %6)")
                               .arg(t)
                               .arg(o)
                               .arg(y[t * rows + o], 0, 'g', 9)
                               .arg(expected[t * rows + o], 0, 'g', 9)
                               .arg(error)
                               .arg(bound)));
      }
    }
  }

  void matmulIsIndependentOfThreadsAndPositions_data() { add_path_rows(kWeightTypes); }

  void matmulIsIndependentOfThreadsAndPositions() {
    QFETCH(QString, table);
    QFETCH(DType, dtype);
    QFETCH(bool, integer);
    REQUIRE_TABLE(table, kernels);
    const IntegerDot integer_dot(integer);
    // Both shapes: the even one's quantized rows are shorter than a group of 8 blocks, which decode
    // reads side by side (simd_integer_dot_impl.h).
    for (const Shape shape : {odd_shape(dtype), even_shape(dtype)}) {
      const int positions = 11;
      const StoredWeights w = store(dtype, shape.rows, shape.cols, 5);
      const std::vector<float> x = random_values(static_cast<std::size_t>(positions * shape.cols), 6);
      const ActiveTable active(*kernels);
      std::vector<float> together(static_cast<std::size_t>(positions * shape.rows)), threaded(together.size());
      linea::cpu::ThreadPool one(1), two(2);
      linea::cpu::matmul(one, w.view, x, positions, together);
      linea::cpu::matmul(two, w.view, x, positions, threaded);
      QVERIFY(std::memcmp(together.data(), threaded.data(), together.size() * sizeof(float)) == 0);
      for (int t = 0; t < positions; ++t) {
        std::vector<float> alone(static_cast<std::size_t>(shape.rows));
        linea::cpu::matmul(two, w.view, std::span<const float>(x).subspan(t * shape.cols, shape.cols), 1, alone);
        QVERIFY2(std::memcmp(alone.data(), together.data() + t * shape.rows, alone.size() * sizeof(float)) == 0,
                 qPrintable(
                     QString("%1x%2: position %3 differs when computed alone").arg(shape.rows).arg(shape.cols).arg(t)));
      }
    }
  }

  void prefillBlocksGiveTheBitsOfDecode_data() {
    add_path_rows(std::array{DType::f32, DType::bf16, DType::q8_0, DType::q4_0, DType::q4_k, DType::q6_k});
  }

  void prefillBlocksGiveTheBitsOfDecode() {
    // Many positions are computed in blocks of rows, columns and positions (simd_kernels_impl.h);
    // this shape has several of each with a partial last one (and a masked last vector where the
    // type allows it), so a block boundary that changed an accumulator's order would show here.
    // 150 rows make several groups of 32 rows per thread, 101 positions two position blocks of the
    // float products (96 positions each).
    QFETCH(QString, table);
    QFETCH(DType, dtype);
    QFETCH(bool, integer);
    REQUIRE_TABLE(table, kernels);
    const IntegerDot integer_dot(integer);
    const int rows = 150, positions = 101;
    // Q4_K and Q6_K: 10 blocks of 256; Q8_0 and Q4_0: 69 blocks of 32; the rest one value fewer.
    const int cols = dtype == DType::q4_k || dtype == DType::q6_k   ? 2560
                     : dtype == DType::q8_0 || dtype == DType::q4_0 ? 2208
                                                                    : 2203;
    const StoredWeights w = store(dtype, rows, cols, 8);
    const std::vector<float> x = random_values(static_cast<std::size_t>(positions * cols), 9);
    const ActiveTable active(*kernels);
    linea::cpu::ThreadPool two(2);
    std::vector<float> together(static_cast<std::size_t>(positions * rows));
    linea::cpu::matmul(two, w.view, x, positions, together);
    for (int t = 0; t < positions; ++t) {
      std::vector<float> alone(static_cast<std::size_t>(rows));
      linea::cpu::matmul(two, w.view, std::span<const float>(x).subspan(t * cols, cols), 1, alone);
      QVERIFY2(std::memcmp(alone.data(), together.data() + t * rows, alone.size() * sizeof(float)) == 0,
               qPrintable(QString("position %1 differs when computed alone").arg(t)));
    }
  }

  void q6_kExtremeBlocksGiveTheBitsOfPrefill_data() { add_path_rows(std::array{DType::q6_k}); }

  void q6_kExtremeBlocksGiveTheBitsOfPrefill() {
    // One-position Q6_K products take q unsigned and subtract 32·x through int16 pair sums
    // (simd_integer_dot_impl.h); prefill takes q − 32 signed. Blocks at the ends of every range
    // (q all 0 or all 63, sub-block scales −128 and 127) against activations that quantize to ±127
    // would show an overflowed or saturated pair sum as a difference between the two.
    QFETCH(QString, table);
    QFETCH(DType, dtype);
    QFETCH(bool, integer);
    REQUIRE_TABLE(table, kernels);
    const IntegerDot integer_dot(integer);
    constexpr int kBlockBytes = 210, rows = 8, cols = 512, positions = 12;
    std::vector<std::byte> bytes(static_cast<std::size_t>(rows * cols / 256 * kBlockBytes));
    std::mt19937 rng(21);
    for (int r = 0; r < rows; ++r)
      for (int b = 0; b < cols / 256; ++b) {
        std::byte* block = bytes.data() + (r * cols / 256 + b) * kBlockBytes;
        for (int i = 0; i < 192; ++i) {  // ql, qh: q all 0, all 63, alternating, or random
          const int kind = (r + b) % 4;
          block[i] = static_cast<std::byte>(kind == 0   ? 0x00
                                            : kind == 1 ? 0xff
                                            : kind == 2 ? (i % 2 ? 0xff : 0x00)
                                                        : rng());
        }
        for (int s = 0; s < 16; ++s)  // scales −128 and 127, in runs and alternating
          block[192 + s] = static_cast<std::byte>(r % 2 ? (s % 2 ? 0x80 : 0x7f) : (r % 4 < 2 ? 0x80 : 0x7f));
        const std::uint16_t d = linea::f32_to_fp16(r < 4 ? 0.01f : -0.02f);
        std::memcpy(block + 208, &d, 2);
      }
    const WeightView view{dtype, rows, cols, bytes.data()};
    // Positions all +1, all −1, alternating signs, and random values with the block maximum at ±1.
    std::vector<float> x(static_cast<std::size_t>(positions * cols));
    for (int t = 0; t < positions; ++t)
      for (int i = 0; i < cols; ++i) {
        const float random = std::uniform_real_distribution<float>(-1.0f, 1.0f)(rng);
        x[t * cols + i] = t % 4 == 0    ? 1.0f
                          : t % 4 == 1  ? -1.0f
                          : t % 4 == 2  ? (i % 2 ? 1.0f : -1.0f)
                          : i % 32 == 0 ? (t % 8 < 4 ? 1.0f : -1.0f)
                                        : random;
      }
    const ActiveTable active(*kernels);
    linea::cpu::ThreadPool one(1);
    std::vector<float> together(static_cast<std::size_t>(positions * rows));
    linea::cpu::matmul(one, view, x, positions, together);
    for (int t = 0; t < positions; ++t) {
      std::vector<float> alone(static_cast<std::size_t>(rows));
      linea::cpu::matmul(one, view, std::span<const float>(x).subspan(t * cols, cols), 1, alone);
      for (int r = 0; r < rows; ++r)
        QVERIFY2(std::memcmp(&alone[r], &together[t * rows + r], sizeof(float)) == 0,
                 qPrintable(QString("position %1, row %2: %3 alone, %4 among %5 positions")
                                .arg(t)
                                .arg(r)
                                .arg(alone[r], 0, 'g', 9)
                                .arg(together[t * rows + r], 0, 'g', 9)
                                .arg(positions)));
    }
  }

  void weightsAreReadExactly_data() { matmulIsIndependentOfThreadsAndPositions_data(); }

  void weightsAreReadExactly() {
    // W · e_j is column j of W with nothing added but zeros: the product reads the weights exactly
    // as io::dequantize decodes them, or this fails.
    QFETCH(QString, table);
    QFETCH(DType, dtype);
    QFETCH(bool, integer);
    REQUIRE_TABLE(table, kernels);
    const IntegerDot integer_dot(integer);
    const Shape shape = even_shape(dtype);
    const StoredWeights w = store(dtype, shape.rows, shape.cols, 8, dtype == DType::f32 ? 0 : 1);
    std::vector<float> identity(static_cast<std::size_t>(shape.cols * shape.cols), 0.0f);
    for (int j = 0; j < shape.cols; ++j) identity[static_cast<std::size_t>(j * shape.cols + j)] = 1.0f;
    std::vector<float> y(static_cast<std::size_t>(shape.cols * shape.rows));
    kernels->matmul_rows(w.view, identity.data(), shape.cols, y.data(), shape.rows, 0, shape.rows);
    for (int j = 0; j < shape.cols; ++j)
      for (int o = 0; o < shape.rows; ++o) {
        const float* row = w.values.data() + o * shape.cols;
        const double allowed =
            integer ? 1e-6 * std::abs(*std::max_element(row, row + shape.cols,
                                                        [](float a, float b) { return std::abs(a) < std::abs(b); }))
                    : 0.0;
        if (!(std::abs(double(y[j * shape.rows + o]) - w.values[o * shape.cols + j]) <= allowed))
          QFAIL(qPrintable(QString("W[%1][%2] read as %3, decodes to %4")
                               .arg(o)
                               .arg(j)
                               .arg(y[j * shape.rows + o], 0, 'g', 9)
                               .arg(w.values[o * shape.cols + j], 0, 'g', 9)));
      }
  }

  void unalignedF32WeightsMatch_data() {
    QTest::addColumn<QString>("table");
    for (const char* table : kTableNames) QTest::newRow(table) << QString(table);
  }

  void unalignedF32WeightsMatch() {
    QFETCH(QString, table);
    REQUIRE_TABLE(table, kernels);
    const StoredWeights aligned = store(DType::f32, 19, 301, 3), shifted = store(DType::f32, 19, 301, 3, 2);
    const std::vector<float> x = random_values(3 * 301, 4);
    std::vector<float> a(3 * 19), b(3 * 19);
    kernels->matmul_rows(aligned.view, x.data(), 3, a.data(), 19, 0, 19);
    kernels->matmul_rows(shifted.view, x.data(), 3, b.data(), 19, 0, 19);
    QVERIFY(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
  }

  void wkv7MatchesTheReference_data() {
    QTest::addColumn<QString>("table");
    QTest::addColumn<int>("head_size");
    for (const char* table : kTableNames)
      for (int head_size : {64, 20, 22}) QTest::addRow("%s N=%d", table, head_size) << QString(table) << head_size;
  }

  void wkv7MatchesTheReference() {
    QFETCH(QString, table);
    QFETCH(int, head_size);
    REQUIRE_TABLE(table, kernels);
    const int heads = 2, positions = 7, width = heads * head_size, n = head_size;
    const auto size = static_cast<std::size_t>(positions * width);
    const std::vector<float> r = random_values(size, 51), w = random_values(size, 52, 0.55f, 1.0f),
                             k = random_values(size, 53), v = random_values(size, 54),
                             a = random_values(size, 55, -0.5f, 0.0f), b = random_values(size, 56, 0.0f, 0.5f);
    const std::vector<float> initial = random_values(static_cast<std::size_t>(heads * n * n), 57);

    // All positions in one call per head, with each table.
    const auto run = [&](const Kernels& kernels_to_use, std::int64_t first, std::int64_t count,
                         std::vector<float>& state, std::vector<float>& y) {
      for (int h = 0; h < heads; ++h) {
        const std::int64_t offset = first * width + h * n;
        kernels_to_use.wkv7_head({.positions = count,
                                  .head_size = n,
                                  .stride = width,
                                  .r = r.data() + offset,
                                  .w = w.data() + offset,
                                  .k = k.data() + offset,
                                  .v = v.data() + offset,
                                  .a = a.data() + offset,
                                  .b = b.data() + offset,
                                  .state = state.data() + h * n * n,
                                  .y = y.data() + offset});
      }
    };
    // The reference one position at a time, keeping Σ_j |S[i][j]·r[j]| (the size of the sum each
    // y[i] is) for the bound.
    std::vector<float> state_ref = initial, y_ref(size), state = initial, y(size);
    std::vector<double> magnitude(size);
    for (int t = 0; t < positions; ++t) {
      run(linea::cpu::reference_kernels(), t, 1, state_ref, y_ref);
      for (int h = 0; h < heads; ++h)
        for (int i = 0; i < n; ++i) {
          double sum = 0;
          for (int j = 0; j < n; ++j)
            sum += std::abs(double(state_ref[(h * n + i) * n + j]) * r[t * width + h * n + j]);
          magnitude[t * width + h * n + i] = sum;
        }
    }
    run(*kernels, 0, positions, state, y);
    for (std::size_t i = 0; i < size; ++i)
      QVERIFY2(std::abs(y[i] - y_ref[i]) <= 1e-5 * magnitude[i],
               qPrintable(QString("y[%1] = %2, reference %3").arg(i).arg(y[i], 0, 'g', 9).arg(y_ref[i], 0, 'g', 9)));
    // A state entry carries the rounding of sa = Σ_j S[i][j]·a[j]: bound it by its row's size.
    for (int row = 0; row < heads * n; ++row) {
      double row_size = 0;
      for (int j = 0; j < n; ++j) row_size += std::abs(state_ref[row * n + j]);
      for (int j = 0; j < n; ++j)
        QVERIFY2(std::abs(state[row * n + j] - state_ref[row * n + j]) <= 1e-5 * row_size,
                 qPrintable(QString("state row %1, column %2").arg(row).arg(j)));
    }

    // One position per call gives the same bits.
    std::vector<float> state_serial = initial, y_serial(size);
    for (int t = 0; t < positions; ++t) run(*kernels, t, 1, state_serial, y_serial);
    QVERIFY(std::memcmp(y_serial.data(), y.data(), size * sizeof(float)) == 0);
    QVERIFY(std::memcmp(state_serial.data(), state.data(), state.size() * sizeof(float)) == 0);
  }

  void normsMatchTheReference_data() {
    QTest::addColumn<QString>("table");
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("groups");
    QTest::addColumn<bool>("affine");
    for (const char* table : kTableNames)
      for (const auto& [n, groups] : {std::pair{1, 1}, {5, 1}, {24, 1}, {257, 1}, {1024, 1}, {100, 4}, {1024, 16}})
        for (bool affine : {true, false})
          QTest::addRow("%s n=%d groups=%d %s", table, n, groups, affine ? "affine" : "plain")
              << QString(table) << n << groups << affine;
  }

  void normsMatchTheReference() {
    QFETCH(QString, table);
    QFETCH(int, n);
    QFETCH(int, groups);
    QFETCH(bool, affine);
    REQUIRE_TABLE(table, kernels);
    const Kernels& reference = linea::cpu::reference_kernels();
    const int size = n / groups;
    for (std::uint32_t seed = 0; seed < 20; ++seed) {
      // An offset so that the mean is far from 0 and the deviations cancel in part.
      std::vector<float> x = random_values(static_cast<std::size_t>(n), 300 + seed, -3.0f, 3.0f);
      for (float& v : x) v += static_cast<float>(seed % 5) - 2.0f;
      const std::vector<float> weight = random_values(static_cast<std::size_t>(n), 400 + seed, -1.5f, 1.5f),
                               bias = random_values(static_cast<std::size_t>(n), 500 + seed, -1.0f, 1.0f);
      const float* w = affine ? weight.data() : nullptr;
      const float* b = affine ? bias.data() : nullptr;
      std::vector<float> mine(static_cast<std::size_t>(n) + 1, 42.0f), theirs(static_cast<std::size_t>(n));
      if (groups == 1) {
        kernels->layer_norm(x.data(), n, w, b, 1e-5f, mine.data());
        reference.layer_norm(x.data(), n, w, b, 1e-5f, theirs.data());
      } else {
        kernels->group_norm(x.data(), n, groups, w, b, 1e-5f, mine.data());
        reference.group_norm(x.data(), n, groups, w, b, 1e-5f, theirs.data());
      }
      for (int g = 0; g < groups; ++g) {
        double mean = 0, squares = 0;
        for (int i = g * size; i < (g + 1) * size; ++i) mean += x[static_cast<std::size_t>(i)];
        mean /= size;
        for (int i = g * size; i < (g + 1) * size; ++i)
          squares += (x[static_cast<std::size_t>(i)] - mean) * (x[static_cast<std::size_t>(i)] - mean);
        const double inv_std = 1.0 / std::sqrt(squares / size + 1e-5);
        for (int i = g * size; i < (g + 1) * size; ++i) {
          const auto at = static_cast<std::size_t>(i);
          const double magnitude =
              (affine ? std::abs(weight[at]) : 1.0) * (std::abs(x[at]) + std::abs(mean)) * inv_std +
              (affine ? std::abs(bias[at]) : 0.0);
          QVERIFY2(std::abs(mine[at] - theirs[at]) <= 4 * 0x1p-24 * magnitude,
                   qPrintable(QString("seed %1 out[%2] = %3, reference %4")
                                  .arg(seed)
                                  .arg(i)
                                  .arg(mine[at], 0, 'g', 9)
                                  .arg(theirs[at], 0, 'g', 9)));
        }
      }
      QCOMPARE(mine[static_cast<std::size_t>(n)], 42.0f);  // nothing written past n
    }
  }

  void elementwiseOpsAreExact_data() { unalignedF32WeightsMatch_data(); }

  void elementwiseOpsAreExact() {
    QFETCH(QString, table);
    REQUIRE_TABLE(table, kernels);
    const Kernels& reference = linea::cpu::reference_kernels();
    const std::vector<float> x = random_values(37, 71, -3.0f, 3.0f), prev = random_values(37, 72),
                             mix = random_values(37, 73, 0.0f, 1.0f);
    std::vector<float> mine = x, theirs = x;
    kernels->relu_squared(mine.data(), 37);
    reference.relu_squared(theirs.data(), 37);
    QCOMPARE(mine, theirs);
    kernels->token_shift_mix(x.data(), prev.data(), mix.data(), 37, mine.data());
    reference.token_shift_mix(x.data(), prev.data(), mix.data(), 37, theirs.data());
    QCOMPARE(mine, theirs);
  }
};

QTEST_APPLESS_MAIN(TestKernelPaths)
#include "test_kernel_paths.moc"
