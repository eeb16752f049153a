// Q8_0 weights regrouped into 16-row tiles (q8_0_row_tiles.h, packed_weights.h) against the same
// weights in the file's row layout: the tiles give back every row's blocks exactly, only the tables
// whose VNNI product reads them regroup, and every table's product over them gives the bits of a
// product over rows (the VNNI product runs the same integer sums and float steps per row in both
// layouts; every other path converts the tile's rows to f32 exactly as from the file, so it gives the
// reference's bits). Ranges that start or end inside a tile, 1 and 2 threads, decode and prefill
// position counts, and rows with an odd number of blocks all give those same bits.
#include "engine/cpu/cpu_features.h"
#include "engine/cpu/kernels.h"
#include "engine/cpu/ops.h"
#include "engine/cpu/packed_weights.h"
#include "engine/cpu/q8_0_row_tiles.h"
#include "engine/cpu/simd_kernels.h"
#include "engine/io/quantize.h"
#include "tests/engine/cpu/kernel_table_support.h"

#include <QTest>

#include <cstring>
#include <string>
#include <vector>

namespace {

using linea::DType;
using linea::cpu::WeightLayout;
using linea::cpu::WeightView;
using linea::test::ActiveTable;
using linea::test::IntegerDot;
using linea::test::product;
using linea::test::same_bits;
using linea::test::StoredWeights;

// Whether `name`'s product reads tiles itself (the 512-bit VNNI product), rather than converting them.
bool reads_tiles(const std::string& name) {
  return (name == "avx512" || name == "amx") && linea::cpu::cpu_features().avx512_vnni;
}

// The tiles of `rows`, packed directly (no table needed).
std::vector<std::byte> tiles_of(const WeightView& rows) {
  std::vector<std::byte> out(linea::cpu::q8_0_row_tiles_bytes(rows.rows, rows.cols), std::byte{0x5a});
  linea::cpu::pack_q8_0_row_tiles(rows, out.data());
  return out;
}

}  // namespace

class TestQ8_0RowTiles : public QObject {
  Q_OBJECT

 private slots:
  void tilesGiveBackEveryRow() {
    // 37 rows: two whole tiles and one of 5 rows; 5 blocks per row, so each tile's last pair holds
    // one block.
    const StoredWeights m = linea::test::store(DType::q8_0, 37, 160, 3);
    QCOMPARE(linea::cpu::q8_0_row_tiles_bytes(37, 160), std::size_t{3 * 3 * 1088});
    const std::vector<std::byte> bytes = tiles_of(m.view);
    const WeightView tiles{DType::q8_0, 37, 160, bytes.data(), WeightLayout::q8_0_row_tiles};
    std::vector<float> from_rows(160), from_tiles(160);
    for (std::int64_t r = 0; r < 37; ++r) {
      for (std::int64_t b = 0; b < 5; ++b) {
        std::byte block[34];
        linea::cpu::q8_0_row_tiles_block(tiles, r, b, block);
        QVERIFY2(std::memcmp(block, m.view.row(r) + b * 34, 34) == 0,
                 qPrintable(QString("row %1, block %2 differs after regrouping").arg(r).arg(b)));
      }
      linea::cpu::weight_row_to_f32(m.view, r, from_rows.data());
      linea::cpu::weight_row_to_f32(tiles, r, from_tiles.data());
      QVERIFY(same_bits(from_rows, from_tiles));
    }
    // Every byte no block fills is zero: the padding rows 37–47 and each row's missing sixth block.
    std::vector<bool> filled(bytes.size(), false);
    for (std::int64_t g = 0; g < 3; ++g)
      for (std::int64_t p = 0; p < 3; ++p)
        for (std::int64_t r = 0; r < 16 && 16 * g + r < 37; ++r)
          for (std::int64_t half = 0; half < 2 && 2 * p + half < 5; ++half) {
            const std::int64_t pair = (g * 3 + p) * 1088;
            for (std::int64_t i = 0; i < 2; ++i) filled[pair + 32 * half + 2 * r + i] = true;
            for (std::int64_t i = 0; i < 32; ++i) filled[pair + 64 + 64 * r + 32 * half + i] = true;
          }
    for (std::size_t i = 0; i < bytes.size(); ++i)
      if (!filled[i] && bytes[i] != std::byte{0}) QFAIL(qPrintable(QString("padding byte %1 is not zero").arg(i)));
  }

  void onlyTheVnniProductTakesTiles() {
    const StoredWeights m = linea::test::store(DType::q8_0, 16, 256, 4);
    for (const char* name : linea::test::kTableNames) {
      const linea::cpu::Kernels* table = linea::cpu::find_kernels(name);
      if (table == nullptr) continue;
      const ActiveTable active(*table);
      linea::cpu::PackedWeights packed;
      const WeightView view = packed.prepare(m.view);
      const bool tiles = reads_tiles(name);
      QVERIFY2(view.layout == (tiles ? WeightLayout::q8_0_row_tiles : WeightLayout::rows),
               qPrintable(QString("%1 %2 regroup Q8_0").arg(name, tiles ? "did not" : "did")));
      QCOMPARE(packed.bytes(), tiles ? linea::cpu::q8_0_row_tiles_bytes(16, 256) : std::size_t{0});
    }
    // Reading a view in another dtype or layout as Q8_0 tiles is refused with its description.
    const WeightView f32_view{DType::f32, 16, 256, m.view.data};
    std::byte block[34];
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, linea::cpu::q8_0_row_tiles_block(m.view, 0, 0, block));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, linea::cpu::pack_q8_0_row_tiles(f32_view, nullptr));
  }

  void productsGiveTheBitsOfRows_data() { linea::test::add_table_integer_rows(); }

  void productsGiveTheBitsOfRows() {
    QFETCH(QString, table);
    QFETCH(bool, integer);
    REQUIRE_TABLE(table, kernels);
    const IntegerDot integer_dot(integer);
    // The row layout's product with the same arithmetic: the table's own where its VNNI product reads
    // the tiles, otherwise the f32 reference, which reads tiles and rows alike.
    const linea::cpu::Kernels& row_table =
        integer && reads_tiles(table.toStdString()) ? *kernels : linea::cpu::reference_kernels();
    struct Case {
      int rows, cols, positions;
    };
    // Decode (fewer than 8 positions) and prefill (8 and more, in blocks of positions); 2528 columns
    // are 79 blocks, an odd count.
    for (const Case c : {Case{37, 160, 1}, Case{37, 160, 3}, Case{16, 512, 9}, Case{150, 2528, 1}, Case{150, 2528, 7},
                         Case{150, 2528, 101}, Case{40, 4096, 33}}) {
      const StoredWeights m =
          linea::test::store(DType::q8_0, c.rows, c.cols, static_cast<std::uint32_t>(c.rows + c.positions));
      const std::vector<std::byte> bytes = tiles_of(m.view);
      const WeightView tiles{DType::q8_0, c.rows, c.cols, bytes.data(), WeightLayout::q8_0_row_tiles};
      const std::vector<float> x = linea::test::spread_activations(c.positions, c.cols, 11);
      std::vector<float> expected;
      {
        const ActiveTable active(row_table);
        expected = product(m.view, x, c.positions, 2);
      }
      const ActiveTable active(*kernels);
      const QString shape = QString("%1x%2, %3 positions").arg(c.rows).arg(c.cols).arg(c.positions);
      for (int threads : {1, 2})
        QVERIFY2(same_bits(product(tiles, x, c.positions, threads), expected),
                 qPrintable(shape + QString(", %1 threads: tiles differ from rows").arg(threads)));
      // Ranges that cut tiles: each row computed as in the whole product, nothing else written.
      const QString failure = linea::test::row_range_failure(
          tiles, x, c.positions, expected,
          {{3, std::min(29, c.rows)}, {0, 5}, {8, 16}, {15, std::min(18, c.rows)}, {c.rows - 4, c.rows}, {5, 6}});
      QVERIFY2(failure.isEmpty(), qPrintable(shape + ": " + failure));
    }
  }
};

QTEST_APPLESS_MAIN(TestQ8_0RowTiles)
#include "test_q8_0_row_tiles.moc"
