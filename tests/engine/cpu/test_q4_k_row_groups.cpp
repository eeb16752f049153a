// Q4_K weights regrouped by 8 rows (q4_k_row_groups.h, packed_weights.h) against the same weights in
// the file's row layout: the regrouped bytes give back every row's blocks exactly, and every table's
// product over them gives the bits the row layout gives (the SIMD tables' integer product computes the
// same exact integer sums and float steps per row; with the integer product off, and in the reference
// table, the rows are converted to f32 exactly as from the file). Ranges that start or end inside a
// group, 1 and 2 threads, one position and many (decode and prefill) all give those same bits.
#include "engine/cpu/kernels.h"
#include "engine/cpu/ops.h"
#include "engine/cpu/packed_weights.h"
#include "engine/cpu/q4_k_row_groups.h"
#include "engine/cpu/simd_kernels.h"
#include "engine/cpu/thread_pool.h"
#include "engine/io/quantize.h"
#include "tests/engine/cpu/kernel_table_support.h"

#include <QTest>

#include <algorithm>
#include <cstring>
#include <vector>

namespace {

using linea::DType;
using linea::cpu::WeightLayout;
using linea::cpu::WeightView;
using linea::test::ActiveTable;
using linea::test::IntegerDot;
using linea::test::product;
using linea::test::random_values;
using linea::test::same_bits;

struct Matrix {
  std::vector<std::byte> bytes;
  WeightView view;
};

// Random Q4_K rows of different magnitudes (a mixed-up row scale would show).
Matrix q4_k_matrix(std::int64_t rows, std::int64_t cols, std::uint32_t seed) {
  std::vector<float> values = random_values(static_cast<std::size_t>(rows * cols), seed);
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t c = 0; c < cols; ++c) values[r * cols + c] *= 0.25f + static_cast<float>(r % 5);
  Matrix m;
  m.bytes = linea::io::quantize(DType::q4_k, values);
  m.view = WeightView{DType::q4_k, rows, cols, m.bytes.data()};
  return m;
}

// The regrouped copy of `rows` (PackedWeights under a table that prefers it).
WeightView grouped(linea::cpu::PackedWeights& packed, const WeightView& rows) {
  const ActiveTable active(*linea::cpu::find_kernels("avx2"));
  return packed.prepare(rows);
}

}  // namespace

class TestQ4_KRowGroups : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (linea::cpu::find_kernels("avx2") == nullptr)
      QSKIP("this CPU cannot run the avx2 kernels, the first table that regroups Q4_K");
  }

  void regroupedBytesGiveBackEveryRow() {
    // 37 rows: four whole groups and one of 5 rows, padded with zero rows.
    const Matrix m = q4_k_matrix(37, 768, 3);
    QCOMPARE(linea::cpu::q4_k_row_groups_bytes(37, 768), std::size_t{5 * 3 * 1152});
    linea::cpu::PackedWeights packed;
    const WeightView g = grouped(packed, m.view);
    QCOMPARE(g.layout, WeightLayout::q4_k_row_groups);
    QCOMPARE(packed.bytes(), linea::cpu::q4_k_row_groups_bytes(37, 768));
    std::vector<float> from_rows(768), from_groups(768);
    for (std::int64_t r = 0; r < 37; ++r) {
      for (std::int64_t s = 0; s < 3; ++s) {
        std::byte block[144];
        linea::cpu::q4_k_row_groups_block(g, r, s, block);
        QVERIFY2(std::memcmp(block, m.view.row(r) + s * 144, 144) == 0,
                 qPrintable(QString("row %1, block %2 differs after regrouping").arg(r).arg(s)));
      }
      linea::cpu::weight_row_to_f32(m.view, r, from_rows.data());
      linea::cpu::weight_row_to_f32(g, r, from_groups.data());
      QVERIFY(same_bits(from_rows, from_groups));
    }
    // The padding rows are zero bytes: d = dmin = 0.
    std::byte padding[144];
    linea::cpu::q4_k_row_groups_block(g, 39, 2, padding);
    for (const std::byte b : padding) QCOMPARE(b, std::byte{0});
  }

  void onlyTablesThatPreferGroupsRegroup() {
    const Matrix m = q4_k_matrix(16, 256, 4);
    linea::cpu::PackedWeights packed;
    {
      const ActiveTable active(linea::cpu::reference_kernels());
      const WeightView same = packed.prepare(m.view);
      QCOMPARE(same.layout, WeightLayout::rows);
      QCOMPARE(same.data, m.view.data);
    }
    QCOMPARE(packed.bytes(), std::size_t{0});
    // Other dtypes keep their rows in every table.
    const std::vector<std::byte> q8 = linea::io::quantize(DType::q8_0, random_values(16 * 256, 5));
    const WeightView q8_view{DType::q8_0, 16, 256, q8.data()};
    QCOMPARE(grouped(packed, q8_view).layout, WeightLayout::rows);
    // A view already regrouped is refused, not regrouped twice.
    const WeightView g = grouped(packed, m.view);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, packed.prepare(g));
  }

  void productsGiveTheBitsOfRows_data() { linea::test::add_table_integer_rows(); }

  void productsGiveTheBitsOfRows() {
    QFETCH(QString, table);
    QFETCH(bool, integer);
    REQUIRE_TABLE(table, kernels);
    const IntegerDot integer_dot(integer);
    // The row layout's product with the same arithmetic: the table's own (the two-level integer
    // product, which on a VNNI CPU reads groups on 512-bit vectors and rows on 256-bit ones), or the
    // f32 reference, which both layouts take with the integer product off.
    const linea::cpu::Kernels& row_table =
        !integer || table == "reference" ? linea::cpu::reference_kernels() : *kernels;
    struct Case {
      int rows, cols, positions;
    };
    for (const Case c :
         {Case{37, 768, 1}, Case{37, 768, 3}, Case{16, 512, 9}, Case{150, 2560, 1}, Case{150, 2560, 101}}) {
      const Matrix m = q4_k_matrix(c.rows, c.cols, static_cast<std::uint32_t>(c.rows + c.positions));
      linea::cpu::PackedWeights packed;
      const WeightView g = grouped(packed, m.view);
      std::vector<float> x = random_values(static_cast<std::size_t>(c.positions * c.cols), 11, -2.0f, 2.0f);
      // Blocks of 32 at scales far apart, so Q4_K's activation sub-scales take many values.
      constexpr float kBlockScales[] = {1.0f, 0.5f, 0.03f, 1e-3f, 0.2f, 0.0f, 0.7f, 0.01f, 2.0f, 0.1f, 0.05f};
      for (std::size_t i = 0; i < x.size(); ++i) x[i] *= kBlockScales[(i / 32) % std::size(kBlockScales)];
      std::vector<float> expected;
      {
        const ActiveTable active(row_table);
        expected = product(m.view, x, c.positions, 2);
      }
      const ActiveTable active(*kernels);
      const QString shape = QString("%1x%2, %3 positions").arg(c.rows).arg(c.cols).arg(c.positions);
      for (int threads : {1, 2})
        QVERIFY2(same_bits(product(g, x, c.positions, threads), expected),
                 qPrintable(shape + QString(", %1 threads: grouped differs from rows").arg(threads)));
      // Ranges that cut groups: each row computed as in the whole product.
      const std::int64_t ranges[][2] = {{3, std::min(29, c.rows)}, {0, 5}, {8, 16}, {c.rows - 4, c.rows}, {5, 6}};
      for (const auto& range : ranges) {
        std::vector<float> y(expected.size(), -1.0f);
        linea::cpu::matmul_rows(g, x, c.positions, y, range[0], range[1]);
        for (int t = 0; t < c.positions; ++t)
          for (std::int64_t o = 0; o < c.rows; ++o) {
            const float got = y[static_cast<std::size_t>(t * c.rows + o)];
            const float want =
                o >= range[0] && o < range[1] ? expected[static_cast<std::size_t>(t * c.rows + o)] : -1.0f;
            if (std::memcmp(&got, &want, sizeof(float)) != 0)
              QFAIL(qPrintable(shape + QString(", rows [%1, %2): y[%3][%4] = %5, expected %6")
                                           .arg(range[0])
                                           .arg(range[1])
                                           .arg(t)
                                           .arg(o)
                                           .arg(got, 0, 'g', 9)
                                           .arg(want, 0, 'g', 9)));
          }
      }
    }
  }
};

QTEST_APPLESS_MAIN(TestQ4_KRowGroups)
#include "test_q4_k_row_groups.moc"
