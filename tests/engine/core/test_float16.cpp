// Our scalar half/bfloat16 conversions against the compiler's own _Float16 arithmetic (GCC, x86-64),
// exhaustively over every half value and over many floats, including every edge class.
#include "engine/core/float16.h"

#include <QTest>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

namespace {

std::uint16_t compiler_fp16_bits(float value) { return std::bit_cast<std::uint16_t>(static_cast<_Float16>(value)); }

bool same_float(float a, float b) {
  return (std::isnan(a) && std::isnan(b)) || std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b);
}

}  // namespace

class TestFloat16 : public QObject {
  Q_OBJECT

 private slots:
  void everyHalfDecodesLikeTheCompiler() {
    for (std::uint32_t bits = 0; bits <= 0xFFFF; ++bits) {
      const auto h = static_cast<std::uint16_t>(bits);
      const float expected = static_cast<float>(std::bit_cast<_Float16>(h));
      if (!same_float(linea::fp16_to_f32(h), expected)) QFAIL(qPrintable(QString::number(bits, 16)));
    }
  }

  void everyHalfRoundTrips() {
    for (std::uint32_t bits = 0; bits <= 0xFFFF; ++bits) {
      const auto h = static_cast<std::uint16_t>(bits);
      const float f = linea::fp16_to_f32(h);
      if (std::isnan(f)) {
        QVERIFY(std::isnan(linea::fp16_to_f32(linea::f32_to_fp16(f))));
      } else if (linea::f32_to_fp16(f) != h) {
        QFAIL(qPrintable(QString::number(bits, 16)));
      }
    }
  }

  void floatsEncodeLikeTheCompiler() {
    std::mt19937 rng(1234);
    std::uniform_int_distribution<std::uint32_t> any_bits;
    const float edges[] = {0.0f, -0.0f, 65504.0f, 65519.99f, 65520.0f, 1e-8f, 2.98e-8f, 2.99e-8f, 5.96e-8f,
                           6.1e-5f, 6.0975552e-5f, std::numeric_limits<float>::infinity(),
                           -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN(),
                           1.0009765625f, 1.00048828125f, 1.00146484375f};
    for (float value : edges) {
      if (std::isnan(value)) {
        QVERIFY(std::isnan(linea::fp16_to_f32(linea::f32_to_fp16(value))));
        continue;
      }
      QCOMPARE(linea::f32_to_fp16(value), compiler_fp16_bits(value));
    }
    for (int i = 0; i < 2'000'000; ++i) {
      const float value = std::bit_cast<float>(any_bits(rng));
      if (std::isnan(value)) continue;
      if (linea::f32_to_fp16(value) != compiler_fp16_bits(value))
        QFAIL(qPrintable(QStringLiteral("value %1").arg(static_cast<double>(value), 0, 'g', 9)));
    }
  }

  void bfloat16RoundsToNearestEven() {
    QCOMPARE(linea::f32_to_bf16(1.0f), std::uint16_t{0x3F80});
    // 1 + 2^-8 is exactly halfway between two bf16 values: ties go to the even one (1.0).
    QCOMPARE(linea::f32_to_bf16(std::bit_cast<float>(0x3F808000u)), std::uint16_t{0x3F80});
    QCOMPARE(linea::f32_to_bf16(std::bit_cast<float>(0x3F818000u)), std::uint16_t{0x3F82});
    QCOMPARE(linea::f32_to_bf16(std::bit_cast<float>(0x3F808001u)), std::uint16_t{0x3F81});
    QVERIFY(std::isnan(linea::bf16_to_f32(linea::f32_to_bf16(std::numeric_limits<float>::quiet_NaN()))));
    QCOMPARE(linea::bf16_to_f32(0xC040), -3.0f);
    for (std::uint32_t bits = 0; bits <= 0xFFFF; ++bits) {
      const float f = linea::bf16_to_f32(static_cast<std::uint16_t>(bits));
      if (!std::isnan(f) && linea::f32_to_bf16(f) != bits) QFAIL(qPrintable(QString::number(bits, 16)));
    }
  }
};

QTEST_APPLESS_MAIN(TestFloat16)
#include "test_float16.moc"
