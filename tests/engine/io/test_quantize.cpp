// The reference quantizers against gguf-py's quants.quantize, bit for bit: tests/data/io/
// quant_goldens.gguf holds float32 inputs ("input": zeros, constants, sign ties, tiny and huge
// values) and gguf-py's blocks for each type, made by tools/io/make_io_goldens.py.
#include "engine/io/dequantize.h"
#include "engine/io/gguf.h"
#include "engine/io/quantize.h"
#include "tests/engine/io/io_test_files.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <stdexcept>

using linea::DType;
using linea::io::GgufFile;

namespace {

const GgufFile& goldens() {
  static const auto file = GgufFile::open(linea::test::goldenPath("quant_goldens.gguf"));
  return *file;
}

std::vector<float> input() {
  const auto* tensor = goldens().find("input");
  std::vector<float> values(static_cast<std::size_t>(tensor->element_count()));
  std::memcpy(values.data(), tensor->data, values.size() * sizeof(float));
  return values;
}

}  // namespace

class TestQuantize : public QObject {
  Q_OBJECT

 private slots:
  void matchesGgufPy_data() {
    QTest::addColumn<int>("dtype");
    for (DType type : {DType::q8_0, DType::q4_0, DType::q4_1, DType::q5_0, DType::q5_1})
      QTest::newRow(linea::dtype_name(type).data()) << static_cast<int>(type);
  }

  void matchesGgufPy() {
    QFETCH(int, dtype);
    const auto type = static_cast<DType>(dtype);
    std::string name(linea::dtype_name(type));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto* expected = goldens().find(name);
    QVERIFY(expected != nullptr);
    QCOMPARE(expected->dtype, type);
    const std::vector<float> values = input();
    const std::vector<std::byte> got = linea::io::quantize(type, values);
    QCOMPARE(got.size(), static_cast<std::size_t>(expected->size_bytes));
    const std::uint32_t block_bytes = linea::dtype_info(type).block_bytes;
    for (std::size_t i = 0; i < got.size(); ++i) {
      if (got[i] != expected->data[i]) {
        QFAIL(qPrintable(QString("block %1, byte %2: got 0x%3, gguf-py 0x%4")
                             .arg(i / block_bytes)
                             .arg(i % block_bytes)
                             .arg(std::to_integer<int>(got[i]), 2, 16, QChar('0'))
                             .arg(std::to_integer<int>(expected->data[i]), 2, 16, QChar('0'))));
      }
    }
  }

  // Quantize, dequantize: each value comes back within one quantization step of its block.
  void roundTripsWithinAStep() {
    std::vector<float> values(256);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = std::sin(0.37f * static_cast<float>(i)) * 2.0f;
    for (DType type : {DType::q8_0, DType::q4_0, DType::q4_1, DType::q5_0, DType::q5_1}) {
      const std::vector<std::byte> blocks = linea::io::quantize(type, values);
      std::vector<float> back(values.size());
      linea::io::dequantize(type, blocks.data(), values.size(), back.data());
      const float levels = type == DType::q8_0 ? 254.0f : (type == DType::q5_0 || type == DType::q5_1) ? 31.0f : 15.0f;
      const float step = 4.0f / levels * 1.01f;  // range of sin * 2 over the number of levels, plus fp16 rounding
      for (std::size_t i = 0; i < values.size(); ++i)
        QVERIFY2(std::fabs(back[i] - values[i]) <= step, linea::dtype_name(type).data());
    }
  }

  void rejectsOtherTypesAndSizes() {
    const std::vector<float> values(32, 1.0f);
    QVERIFY(!linea::io::can_quantize(DType::q5_k));
    QVERIFY(linea::io::can_quantize(DType::q5_1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, linea::io::quantize(DType::q2_k, values));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             linea::io::quantize(DType::q8_0, std::span<const float>(values).first(31)));
  }
};

QTEST_APPLESS_MAIN(TestQuantize)
#include "test_quantize.moc"
