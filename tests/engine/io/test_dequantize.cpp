// to_f32 / to_f32_rows against gguf-py's dequantization: tests/data/io/dequant_goldens.gguf holds
// random blocks of every type ("<type>.blocks") and gguf.quants.dequantize's result
// ("<type>.expected"), made by tools/io/make_io_goldens.py. The match must be exact.
#include "engine/io/dequantize.h"
#include "engine/io/gguf.h"
#include "tests/engine/io/io_test_files.h"

#include <QTest>

#include <bit>
#include <cmath>
#include <stdexcept>

using linea::DType;
using linea::io::GgufFile;
using linea::io::TensorInfo;

namespace {

const GgufFile& goldens() {
  static const auto file = GgufFile::open(linea::test::goldenPath("dequant_goldens.gguf"));
  return *file;
}

bool sameFloat(float a, float b) {
  return (std::isnan(a) && std::isnan(b)) || std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b);
}

// Index of the first element that differs, or -1.
std::ptrdiff_t firstDifference(const std::vector<float>& got, const float* expected) {
  for (std::size_t i = 0; i < got.size(); ++i)
    if (!sameFloat(got[i], expected[i])) return static_cast<std::ptrdiff_t>(i);
  return -1;
}

}  // namespace

class TestDequantize : public QObject {
  Q_OBJECT

 private slots:
  void matchesGgufPy_data() {
    QTest::addColumn<QString>("type");
    QTest::addColumn<int>("dtype");
    const std::vector<std::pair<const char*, DType>> types = {
        {"q8_0", DType::q8_0}, {"q4_0", DType::q4_0}, {"q4_1", DType::q4_1}, {"q5_0", DType::q5_0},
        {"q5_1", DType::q5_1}, {"q4_k", DType::q4_k}, {"q5_k", DType::q5_k}, {"q6_k", DType::q6_k},
        {"f16", DType::f16},   {"bf16", DType::bf16}};
    for (const auto& [name, dtype] : types) QTest::newRow(name) << QString(name) << static_cast<int>(dtype);
  }

  void matchesGgufPy() {
    QFETCH(QString, type);
    QFETCH(int, dtype);
    const TensorInfo* blocks = goldens().find(type.toStdString() + ".blocks");
    const TensorInfo* expected = goldens().find(type.toStdString() + ".expected");
    QVERIFY(blocks != nullptr && expected != nullptr);
    QCOMPARE(static_cast<int>(blocks->dtype), dtype);
    QCOMPARE(blocks->shape, (std::vector<std::int64_t>{2, 512}));
    QCOMPARE(expected->dtype, DType::f32);
    const auto* want = reinterpret_cast<const float*>(expected->data);

    const std::vector<float> all = linea::io::to_f32(*blocks);
    QCOMPARE(all.size(), std::size_t{1024});
    const std::ptrdiff_t at = firstDifference(all, want);
    if (at >= 0) QFAIL(qPrintable(QString("element %1: got %2, gguf-py %3").arg(at).arg(all[at]).arg(want[at])));

    // Rows are independent: row 1 alone equals the second half.
    const std::vector<float> row = linea::io::to_f32_rows(*blocks, 1, 1);
    QCOMPARE(row.size(), std::size_t{512});
    QCOMPARE(firstDifference(row, want + 512), std::ptrdiff_t{-1});
  }

  void plainTypesConvert() {
    const std::vector<double> f64 = {1.5, -2.25, 1e300, 3.0e-40};
    TensorInfo tensor;
    tensor.name = "f64";
    tensor.dtype = DType::f64;
    tensor.shape = {4};
    tensor.data = reinterpret_cast<const std::byte*>(f64.data());
    tensor.size_bytes = 32;
    const std::vector<float> out = linea::io::to_f32(tensor);
    QCOMPARE(out[0], 1.5f);
    QCOMPARE(out[1], -2.25f);
    QVERIFY(std::isinf(out[2]));
    QCOMPARE(out[3], static_cast<float>(3.0e-40));  // a float subnormal, rounded as the C cast does

    const std::vector<float> f32 = {1, 2, 3, 4, 5, 6};
    tensor.name = "f32";
    tensor.dtype = DType::f32;
    tensor.shape = {3, 2};
    tensor.data = reinterpret_cast<const std::byte*>(f32.data());
    QCOMPARE(linea::io::row_count(tensor), std::int64_t{3});
    QCOMPARE(linea::io::to_f32_rows(tensor, 2, 1), (std::vector<float>{5, 6}));
    QCOMPARE(linea::io::to_f32_rows(tensor, 3, 0), std::vector<float>{});
    tensor.shape = {};  // a scalar is one row of one element
    QCOMPARE(linea::io::to_f32(tensor), std::vector<float>{1});
  }

  void rowRangeIsChecked() {
    const TensorInfo* blocks = goldens().find("q4_k.blocks");
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, linea::io::to_f32_rows(*blocks, 2, 1));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, linea::io::to_f32_rows(*blocks, 1, 2));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, linea::io::to_f32_rows(*blocks, -1, 1));
    try {
      linea::io::to_f32_rows(*blocks, 0, 3);
      QFAIL("expected an error");
    } catch (const std::out_of_range& error) {
      QCOMPARE(std::string(error.what()), std::string("tensor 'q4_k.blocks': rows [0, 3) are outside its 2 rows"));
    }
  }

  void unsupportedTypesAreNamed() {
    TensorInfo tensor;
    tensor.name = "mask";
    tensor.dtype = DType::u8;
    tensor.shape = {4};
    QVERIFY(!linea::io::can_convert_to_f32(DType::u8));
    QVERIFY(!linea::io::can_convert_to_f32(DType::q2_k));
    QVERIFY(linea::io::can_convert_to_f32(DType::q5_k));
    try {
      linea::io::to_f32(tensor);
      QFAIL("expected an error");
    } catch (const std::invalid_argument& error) {
      QCOMPARE(std::string(error.what()), std::string("tensor 'mask' is U8, which cannot be converted to float32"));
    }
  }
};

QTEST_APPLESS_MAIN(TestDequantize)
#include "test_dequantize.moc"
