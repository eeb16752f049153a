// F32, F16 and BF16 weights regrouped into panels of 16 rows (float_row_panels.h) and the avx512
// table's product over them (avx512_float_panels.cpp): the panels give back every row exactly; the
// tables that prefer them are the ones that regroup; the other tables read them as the reference
// reads rows; the avx512 product matches the reference within test_kernel_paths' f32 tolerance
// (|y − y_ref| ≤ 1e-5 · Σ_i |W[o][i]·x[t][i]|: one sum per output in column order, an f32 product
// whose additions come in another order); and it gives the same bits for 1 or 2 threads, for one
// position or many (decode and prefill), for row ranges that cut a panel, for F32 and for BF16 or
// F16 weights of the same values, and whether ops.h regroups the activations once for all threads
// or the product does it alone.
#include "engine/core/float16.h"
#include "engine/cpu/float_row_panels.h"
#include "engine/cpu/kernels.h"
#include "engine/cpu/ops.h"
#include "engine/cpu/packed_weights.h"
#include "engine/cpu/thread_pool.h"
#include "tests/engine/cpu/kernel_table_support.h"

#include <QTest>

#include <cmath>
#include <cstring>
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

constexpr DType kFloatTypes[] = {DType::f32, DType::f16, DType::bf16};

// The regrouped copy of `rows` (PackedWeights under the avx512 table, which prefers it).
WeightView paneled(linea::cpu::PackedWeights& packed, const WeightView& rows) {
  const ActiveTable active(*linea::cpu::find_kernels("avx512"));
  return packed.prepare(rows);
}

std::size_t element_bytes(DType dtype) { return dtype == DType::f32 ? 4 : 2; }

}  // namespace

Q_DECLARE_METATYPE(DType)

class TestFloatRowPanels : public QObject {
  Q_OBJECT

 private slots:
  void regroupedBytesGiveBackEveryRow_data() {
    QTest::addColumn<DType>("dtype");
    for (DType dtype : kFloatTypes) QTest::addRow("%s", linea::dtype_name(dtype).data()) << dtype;
  }

  void regroupedBytesGiveBackEveryRow() {
    // 37 rows × 601 columns: two whole panels and one of 5 rows; 37 whole blocks of 16 columns and 9 more.
    QFETCH(DType, dtype);
    const StoredWeights m = store(dtype, 37, 601, 3);
    const std::size_t size = element_bytes(dtype);
    QCOMPARE(linea::cpu::float_row_panels_bytes(dtype, 37, 601), 3 * 601 * 16 * size);
    std::vector<std::byte> bytes(linea::cpu::float_row_panels_bytes(dtype, 37, 601), std::byte{0x55});
    linea::cpu::pack_float_row_panels(m.view, bytes.data());
    const WeightView p{dtype, 37, 601, bytes.data(), WeightLayout::float_row_panels};
    std::vector<float> from_rows(601), from_panels(601);
    for (std::int64_t r = 0; r < 37; ++r) {
      linea::cpu::weight_row_to_f32(m.view, r, from_rows.data());
      linea::cpu::weight_row_to_f32(p, r, from_panels.data());
      QVERIFY2(same_bits(from_rows, from_panels), qPrintable(QString("row %1 differs after regrouping").arg(r)));
    }
    // Element (16g + r, k) at (g·cols + k)·16 + r: row 36 = panel 2, row 4; column 600 (past the last
    // whole block of 16), and column 37 (inside one).
    for (const std::int64_t k : {std::int64_t{37}, std::int64_t{600}}) {
      float value = 0;
      linea::cpu::convert_to_f32(dtype, bytes.data() + ((2 * 601 + k) * 16 + 4) * size, 1, &value);
      QCOMPARE(value, m.values[static_cast<std::size_t>(36 * 601 + k)]);
    }
    // Rows past the matrix are zero bytes.
    for (std::int64_t k = 0; k < 601; ++k)
      for (std::int64_t r = 5; r < 16; ++r)
        for (std::size_t b = 0; b < size; ++b)
          QCOMPARE(bytes[static_cast<std::size_t>((2 * 601 + k) * 16 + r) * size + b], std::byte{0});
  }

  void theTablesThatPreferPanelsRegroup() {
    linea::cpu::PackedWeights packed;
    for (DType dtype : kFloatTypes) {
      const StoredWeights m = store(dtype, 16, 64, 4);
      for (const char* name : {"reference", "avx2"}) {
        const linea::cpu::Kernels* table = linea::cpu::find_kernels(name);
        if (table == nullptr) continue;
        const ActiveTable active(*table);
        const WeightView same = packed.prepare(m.view);
        QCOMPARE(same.layout, WeightLayout::rows);
        QCOMPARE(same.data, m.view.data);
      }
      QCOMPARE(packed.bytes(), std::size_t{0});
    }
    if (linea::cpu::find_kernels("avx512") == nullptr) QSKIP("this CPU cannot run the avx512 kernels");
    std::size_t bytes = 0;
    for (DType dtype : kFloatTypes) {
      const StoredWeights m = store(dtype, 16, 64, 4);
      QCOMPARE(paneled(packed, m.view).layout, WeightLayout::float_row_panels);
      bytes += linea::cpu::float_row_panels_bytes(dtype, 16, 64);
      QCOMPARE(packed.bytes(), bytes);
      // The amx table keeps its own tiles for BF16 and takes the panels for the others.
      if (const linea::cpu::Kernels* amx = linea::cpu::find_kernels("amx")) {
        const ActiveTable active(*amx);
        linea::cpu::PackedWeights amx_packed;
        QCOMPARE(amx_packed.prepare(m.view).layout,
                 dtype == DType::bf16 ? WeightLayout::bf16_pair_tiles : WeightLayout::float_row_panels);
      }
    }
    // Quantized weights do not take panels (Q8_0 takes its own tiles where the CPU has VNNI).
    for (DType dtype : {DType::q8_0, DType::q4_0, DType::q6_k}) {
      const StoredWeights q = store(dtype, 16, 256, 5);
      QVERIFY(paneled(packed, q.view).layout != WeightLayout::float_row_panels);
    }
  }

  void otherTablesReadThePanelsAsTheReferenceReadsRows() {
    for (DType dtype : kFloatTypes) {
      const StoredWeights m = store(dtype, 37, 601, 6);
      std::vector<std::byte> bytes(linea::cpu::float_row_panels_bytes(dtype, 37, 601));
      linea::cpu::pack_float_row_panels(m.view, bytes.data());
      const WeightView p{dtype, 37, 601, bytes.data(), WeightLayout::float_row_panels};
      const std::vector<float> x = spread_activations(5, 601, 7);
      const std::vector<float> expected = linea::test::reference_product(m.view, x, 5);
      for (const char* name : {"reference", "avx2"}) {
        const linea::cpu::Kernels* table = linea::cpu::find_kernels(name);
        if (table == nullptr) continue;
        std::vector<float> y(expected.size());
        table->matmul_rows(p, x.data(), 5, y.data(), 37, 0, 37);
        QVERIFY2(same_bits(y, expected), qPrintable(QString("%1 %2").arg(name, linea::dtype_name(dtype).data())));
      }
    }
  }

  void productMatchesTheReference_data() {
    QTest::addColumn<DType>("dtype");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<int>("positions");
    // Columns within one pass of 256 and across several (a partial last one, a partial last block of
    // 16), and none (y = 0); rows a partial panel, a lone last panel, whole pairs; positions 1
    // (decode), fewer than a tile of 14, whole tiles, a partial last tile, and more than a block of
    // 40 tiles (two blocks).
    for (DType dtype : kFloatTypes)
      for (const auto& [rows, cols] : {std::pair{37, 601}, {64, 512}, {16, 32}, {33, 1}, {150, 2203}, {20, 0}})
        for (int positions : {1, 3, 14, 17, 64, 130, 569})
          QTest::addRow("%s %dx%d, %d positions", linea::dtype_name(dtype).data(), rows, cols, positions)
              << dtype << rows << cols << positions;
  }

  void productMatchesTheReference() {
    QFETCH(DType, dtype);
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(int, positions);
    if (linea::cpu::find_kernels("avx512") == nullptr) QSKIP("this CPU cannot run the avx512 kernels");
    const StoredWeights m = store(dtype, rows, cols, static_cast<std::uint32_t>(rows + cols));
    const std::vector<float> x = spread_activations(positions, cols, 9);
    const std::vector<float> expected = linea::test::reference_product(m.view, x, positions);
    linea::cpu::PackedWeights packed;
    const WeightView p = paneled(packed, m.view);
    const ActiveTable active(*linea::cpu::find_kernels("avx512"));
    for (int threads : {1, 2}) {
      const std::vector<float> y = product(p, x, positions, threads);
      const QString failure = f32_tolerance_failure(m, x, positions, expected, y, threads);
      QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }
  }

  void sameBitsForThreadsPositionsRangesAndFormats() {
    // 2203 columns: 9 passes of 256 columns, the last of 155; 150 rows: 10 panels, the last of 6
    // rows; 569 positions: 41 tiles of 14 (the last partial), more than a block of 40, so two blocks.
    if (linea::cpu::find_kernels("avx512") == nullptr) QSKIP("this CPU cannot run the avx512 kernels");
    const int rows = 150, cols = 2203, positions = 569;
    // BF16 weights, and an F32 copy of the same numbers (every bf16 is exact in f32).
    const StoredWeights bf16 = store(DType::bf16, rows, cols, 10);
    std::vector<float> bf16_values = bf16.values;
    const std::vector<float> x = spread_activations(positions, cols, 11);
    linea::cpu::PackedWeights packed;
    const WeightView p = paneled(packed, bf16.view);
    const ActiveTable active(*linea::cpu::find_kernels("avx512"));
    const std::vector<float> together = product(p, x, positions, 2);
    QVERIFY2(same_bits(product(p, x, positions, 1), together), "1 thread differs from 2");
    for (int t = 0; t < positions; t += 7) {
      const std::vector<float> alone =
          product(p, std::vector<float>(x.begin() + t * cols, x.begin() + (t + 1) * cols), 1, 2);
      QVERIFY2(std::memcmp(alone.data(), together.data() + t * rows, rows * sizeof(float)) == 0,
               qPrintable(QString("position %1 differs when computed alone").arg(t)));
    }
    // The same values as F32 weights: the same steps on the same numbers.
    const WeightView f32_rows{DType::f32, rows, cols, reinterpret_cast<const std::byte*>(bf16_values.data())};
    QVERIFY2(same_bits(product(paneled(packed, f32_rows), x, positions, 2), together), "F32 differs from BF16");
    // Ranges that cut panels, computed by the table alone (which then regroups the activations
    // itself): each row as in the whole product, nothing outside the range written.
    const QString failure =
        row_range_failure(p, x, positions, together, {{3, 29}, {0, 5}, {8, 16}, {rows - 4, rows}, {5, 6}, {40, 136}});
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
  }

  void f16WeightsGiveTheBitsOfF32() {
    if (linea::cpu::find_kernels("avx512") == nullptr) QSKIP("this CPU cannot run the avx512 kernels");
    const int rows = 40, cols = 300, positions = 20;
    const StoredWeights f16 = store(DType::f16, rows, cols, 12);
    const std::vector<float> f16_values = f16.values;
    const std::vector<float> x = spread_activations(positions, cols, 13);
    linea::cpu::PackedWeights packed;
    const WeightView from_f16 = paneled(packed, f16.view);
    const WeightView from_f32 =
        paneled(packed, {DType::f32, rows, cols, reinterpret_cast<const std::byte*>(f16_values.data())});
    const ActiveTable active(*linea::cpu::find_kernels("avx512"));
    for (int n : {1, positions}) {
      const std::vector<float> first(x.begin(), x.begin() + n * cols);
      QVERIFY2(same_bits(product(from_f16, first, n, 2), product(from_f32, first, n, 2)),
               qPrintable(QString("%1 positions").arg(n)));
    }
  }
};

QTEST_APPLESS_MAIN(TestFloatRowPanels)
#include "test_float_row_panels.moc"
