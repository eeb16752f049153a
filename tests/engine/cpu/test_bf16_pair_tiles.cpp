// BF16 weights regrouped into the AMX tiles (bf16_pair_tiles.h) and the amx table's product over them
// (amx_kernels.cpp): the tiles give back every row exactly; the product splits each activation into
// three bf16 terms that add up to it exactly, so it is an f32 product whose additions come in another
// order (test_kernel_paths' f32 tolerance: |y − y_ref| ≤ 1e-5 · Σ_i |W[o][i]·x[t][i]|); and it gives
// the same bits for 1 or 2 threads, for one position or many (decode and prefill), and for row
// ranges that cut a group of 16 rows. The other tables read the tiles through the reference.
#include "engine/core/float16.h"
#include "engine/cpu/bf16_pair_tiles.h"
#include "engine/cpu/kernels.h"
#include "engine/cpu/ops.h"
#include "engine/cpu/packed_weights.h"
#include "engine/cpu/thread_pool.h"
#include "tests/engine/cpu/kernel_table_support.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

using linea::DType;
using linea::cpu::WeightLayout;
using linea::cpu::WeightView;
using linea::test::ActiveTable;
using linea::test::f32_tolerance_failure;
using linea::test::product;
using linea::test::random_values;
using linea::test::row_range_failure;
using linea::test::same_bits;
using linea::test::spread_activations;
using linea::test::store;
using linea::test::StoredWeights;

// The tiled copy of `rows` (PackedWeights under the amx table, which prefers it).
WeightView tiled(linea::cpu::PackedWeights& packed, const WeightView& rows) {
  const ActiveTable active(*linea::cpu::find_kernels("amx"));
  return packed.prepare(rows);
}

}  // namespace

class TestBf16PairTiles : public QObject {
  Q_OBJECT

 private slots:
  void regroupedBytesGiveBackEveryRow() {
    // 37 rows × 601 columns: two whole groups and one of 5 rows, 18 whole blocks and one of 25 columns.
    const StoredWeights m = store(DType::bf16, 37, 601, 3);
    QCOMPARE(linea::cpu::bf16_pair_tiles_bytes(37, 601), std::size_t{3 * 19 * 1024});
    std::vector<std::byte> bytes(linea::cpu::bf16_pair_tiles_bytes(37, 601), std::byte{0x55});
    linea::cpu::pack_bf16_pair_tiles(m.view, bytes.data());
    const WeightView t{DType::bf16, 37, 601, bytes.data(), WeightLayout::bf16_pair_tiles};
    std::vector<float> from_rows(601), from_tiles(601);
    for (std::int64_t r = 0; r < 37; ++r) {
      linea::cpu::weight_row_to_f32(m.view, r, from_rows.data());
      linea::cpu::weight_row_to_f32(t, r, from_tiles.data());
      QVERIFY2(same_bits(from_rows, from_tiles), qPrintable(QString("row %1 differs after regrouping").arg(r)));
    }
    // Pair j of row r in tile (g, b): W[16g + r][32b + 2j], W[16g + r][32b + 2j + 1].
    std::uint16_t pair[2];
    std::memcpy(pair, bytes.data() + (2 * 19 + 1) * 1024 + (3 * 16 + 4) * 4, 4);
    QCOMPARE(linea::bf16_to_f32(pair[0]), m.values[36 * 601 + 32 + 6]);
    QCOMPARE(linea::bf16_to_f32(pair[1]), m.values[36 * 601 + 32 + 7]);
    // Rows past the matrix and columns past its width are zero bytes.
    for (int r = 5; r < 16; ++r)
      for (int j = 0; j < 16; ++j) {
        std::memcpy(pair, bytes.data() + (2 * 19 + 7) * 1024 + (j * 16 + r) * 4, 4);
        QVERIFY(pair[0] == 0 && pair[1] == 0);
      }
    for (int r = 0; r < 16; ++r) {
      std::memcpy(pair, bytes.data() + (1 * 19 + 18) * 1024 + (12 * 16 + r) * 4, 4);
      QVERIFY(pair[0] != 0 && pair[1] == 0);  // column 600 is the matrix's last, 601 padding
      for (int j = 13; j < 16; ++j) {
        std::memcpy(pair, bytes.data() + (1 * 19 + 18) * 1024 + (j * 16 + r) * 4, 4);
        QVERIFY(pair[0] == 0 && pair[1] == 0);
      }
    }
  }

  void onlyTheAmxTableTakesTiles() {
    const StoredWeights m = store(DType::bf16, 16, 64, 4);
    linea::cpu::PackedWeights packed;
    for (const char* name : {"reference", "avx2", "avx512"}) {
      const linea::cpu::Kernels* table = linea::cpu::find_kernels(name);
      if (table == nullptr) continue;
      const ActiveTable active(*table);
      QVERIFY(packed.prepare(m.view).layout != WeightLayout::bf16_pair_tiles);  // rows, or avx512's panels
    }
    if (linea::cpu::find_kernels("amx") == nullptr) QSKIP("this CPU cannot run the amx kernels");
    const std::size_t before = packed.bytes();
    QCOMPARE(tiled(packed, m.view).layout, WeightLayout::bf16_pair_tiles);
    QCOMPARE(packed.bytes() - before, linea::cpu::bf16_pair_tiles_bytes(16, 64));
    // F32 weights take the avx512 table's panels (test_float_row_panels), not tiles.
    const std::vector<float> f32 = random_values(16 * 64, 5);
    const WeightView f32_view{DType::f32, 16, 64, reinterpret_cast<const std::byte*>(f32.data())};
    QCOMPARE(tiled(packed, f32_view).layout, WeightLayout::float_row_panels);
  }

  void otherTablesReadTheTilesAsTheReferenceReadsRows() {
    const StoredWeights m = store(DType::bf16, 37, 601, 6);
    std::vector<std::byte> bytes(linea::cpu::bf16_pair_tiles_bytes(37, 601));
    linea::cpu::pack_bf16_pair_tiles(m.view, bytes.data());
    const WeightView t{DType::bf16, 37, 601, bytes.data(), WeightLayout::bf16_pair_tiles};
    const std::vector<float> x = spread_activations(5, 601, 7);
    const std::vector<float> expected = linea::test::reference_product(m.view, x, 5);
    for (const char* name : {"reference", "avx2", "avx512"}) {
      const linea::cpu::Kernels* table = linea::cpu::find_kernels(name);
      if (table == nullptr) continue;
      std::vector<float> y(expected.size());
      table->matmul_rows(t, x.data(), 5, y.data(), 37, 0, 37);
      QVERIFY2(same_bits(y, expected), name);
    }
  }

  void activationsAreSplitExactly() {
    // W = the identity: y = hi + mid + lo must be x itself, bit for bit, for activations with all 24
    // bits of their significand in use and magnitudes from 1e-30 to 1e30 (two terms would keep 16).
    if (linea::cpu::find_kernels("amx") == nullptr) QSKIP("this CPU cannot run the amx kernels");
    const int n = 48, positions = 20;
    std::vector<std::byte> identity(static_cast<std::size_t>(n * n * 2));
    const std::uint16_t one = linea::f32_to_bf16(1.0f);
    for (int i = 0; i < n; ++i) std::memcpy(identity.data() + 2 * (i * n + i), &one, 2);
    linea::cpu::PackedWeights packed;
    const WeightView w = tiled(packed, {DType::bf16, n, n, identity.data()});
    std::mt19937 rng(8);
    std::vector<float> x(static_cast<std::size_t>(positions * n));
    for (float& v : x) {
      const float significand = std::uniform_real_distribution<float>(1.0f, 2.0f)(rng);
      v = std::ldexp(significand, std::uniform_int_distribution<int>(-99, 99)(rng)) * (rng() % 2 ? 1.0f : -1.0f);
    }
    const ActiveTable active(*linea::cpu::find_kernels("amx"));
    const std::vector<float> y = product(w, x, positions, 1);
    for (std::size_t i = 0; i < x.size(); ++i)
      if (std::memcmp(&y[i], &x[i], sizeof(float)) != 0)
        QFAIL(qPrintable(QString("x[%1] = %2 came back as %3").arg(i).arg(x[i], 0, 'g', 9).arg(y[i], 0, 'g', 9)));
  }

  void productMatchesTheReference_data() {
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<int>("positions");
    for (const auto& [rows, cols] : {std::pair{37, 601}, {64, 512}, {16, 32}, {33, 1}, {150, 2203}})
      for (int positions : {1, 3, 17, 33, 64, 130})
        QTest::addRow("%dx%d, %d positions", rows, cols, positions) << rows << cols << positions;
  }

  void productMatchesTheReference() {
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(int, positions);
    if (linea::cpu::find_kernels("amx") == nullptr) QSKIP("this CPU cannot run the amx kernels");
    const StoredWeights m = store(DType::bf16, rows, cols, static_cast<std::uint32_t>(rows + cols));
    const std::vector<float> x = spread_activations(positions, cols, 9);
    const std::vector<float> expected = linea::test::reference_product(m.view, x, positions);
    linea::cpu::PackedWeights packed;
    const WeightView t = tiled(packed, m.view);
    const ActiveTable active(*linea::cpu::find_kernels("amx"));
    for (int threads : {1, 2}) {
      const std::vector<float> y = product(t, x, positions, threads);
      const QString failure = f32_tolerance_failure(m, x, positions, expected, y, threads);
      QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }
  }

  void sameBitsForThreadsPositionsAndRanges() {
    // 2203 columns make three chunks of 1024 for many positions (one for few); 150 rows ten groups,
    // the last of 6 rows; 101 positions a partial last pair of position groups.
    if (linea::cpu::find_kernels("amx") == nullptr) QSKIP("this CPU cannot run the amx kernels");
    const int rows = 150, cols = 2203, positions = 101;
    const StoredWeights m = store(DType::bf16, rows, cols, 10);
    const std::vector<float> x = spread_activations(positions, cols, 11);
    linea::cpu::PackedWeights packed;
    const WeightView t = tiled(packed, m.view);
    const ActiveTable active(*linea::cpu::find_kernels("amx"));
    const std::vector<float> together = product(t, x, positions, 2);
    QVERIFY2(same_bits(product(t, x, positions, 1), together), "1 thread differs from 2");
    for (int p = 0; p < positions; ++p) {
      const std::vector<float> alone =
          product(t, std::vector<float>(x.begin() + p * cols, x.begin() + (p + 1) * cols), 1, 2);
      QVERIFY2(std::memcmp(alone.data(), together.data() + p * rows, rows * sizeof(float)) == 0,
               qPrintable(QString("position %1 differs when computed alone").arg(p)));
    }
    // Ranges that cut groups: each row as in the whole product, nothing outside the range written.
    const QString failure =
        row_range_failure(t, x, positions, together, {{3, 29}, {0, 5}, {8, 16}, {rows - 4, rows}, {5, 6}, {40, 136}});
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
  }
};

QTEST_APPLESS_MAIN(TestBf16PairTiles)
#include "test_bf16_pair_tiles.moc"
