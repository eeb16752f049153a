// The Q4_K and Q6_K quantizers (our own scale search over ggml's block layouts): their blocks decode
// through io::dequantize (the reference decoder, checked against gguf-py) close to the input, at
// least as closely as ggml's own 4- and 5-bit formats of the same size class do on the same data,
// which a wrong bit layout (swapped nibbles, misplaced scales) could never manage.
#include "engine/io/dequantize.h"
#include "engine/io/quantize.h"

#include <QTest>

#include <cmath>
#include <random>
#include <vector>

using linea::DType;

namespace {

// Gaussian values with a few outliers, and rows of very different scales: what weight matrices look like.
std::vector<float> weight_like(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> values(n);
  for (std::size_t i = 0; i < n; ++i) {
    const float row_scale = 0.01f * static_cast<float>(1 + (i / 256) % 7);
    values[i] = normal(rng) * row_scale * (i % 97 == 0 ? 6.0f : 1.0f);
  }
  return values;
}

// RMS of (decode(encode(x)) − x) relative to the RMS of x.
double relative_rms_error(DType type, const std::vector<float>& values) {
  const std::vector<std::byte> blocks = linea::io::quantize(type, values);
  if (blocks.size() != values.size() / linea::dtype_info(type).block_size * linea::dtype_info(type).block_bytes)
    return INFINITY;
  std::vector<float> back(values.size());
  linea::io::dequantize(type, blocks.data(), values.size(), back.data());
  double error = 0, signal = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    error += (double(back[i]) - values[i]) * (double(back[i]) - values[i]);
    signal += double(values[i]) * values[i];
  }
  return std::sqrt(error / signal);
}

}  // namespace

class TestQuantizeK : public QObject {
  Q_OBJECT

 private slots:
  void kQuantsAreAsCloseAsTheirSizeClass() {
    const std::vector<float> values = weight_like(256 * 64, 7);
    const double q4_0 = relative_rms_error(DType::q4_0, values), q4_1 = relative_rms_error(DType::q4_1, values),
                 q4_k = relative_rms_error(DType::q4_k, values), q5_1 = relative_rms_error(DType::q5_1, values),
                 q6_k = relative_rms_error(DType::q6_k, values), q8_0 = relative_rms_error(DType::q8_0, values);
    qInfo("relative RMS error: Q4_0 %.4f, Q4_1 %.4f, Q4_K %.4f, Q5_1 %.4f, Q6_K %.4f, Q8_0 %.4f", q4_0, q4_1, q4_k,
          q5_1, q6_k, q8_0);
    QVERIFY(q4_k <= q4_0);  // 4.5 bits per weight, better than Q4_0's 4.5
    QVERIFY(q4_k <= q4_1);  // and than Q4_1's 5
    QVERIFY(q6_k <= q5_1);  // 6.56 bits per weight, better than Q5_1's 6
    QVERIFY(q6_k >= q8_0);  // and not better than 8.5 bits: the error is real
  }

  void everyValueComesBackNearItself() {
    // Uniform values: no outliers, so each value is within about one quantization step of its sub-block.
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::vector<float> values(256 * 8);
    for (float& v : values) v = uniform(rng);
    for (const auto& [type, levels] : {std::pair{DType::q4_k, 15.0f}, std::pair{DType::q6_k, 63.0f}}) {
      const std::vector<std::byte> blocks = linea::io::quantize(type, values);
      std::vector<float> back(values.size());
      linea::io::dequantize(type, blocks.data(), values.size(), back.data());
      const float step = 2.0f / levels;
      for (std::size_t i = 0; i < values.size(); ++i)
        QVERIFY2(std::fabs(back[i] - values[i]) <= step, qPrintable(QString("%1 value %2: %3 came back as %4")
                                                                        .arg(linea::dtype_name(type).data())
                                                                        .arg(i)
                                                                        .arg(values[i])
                                                                        .arg(back[i])));
    }
  }

  void zerosAndConstantsSurvive() {
    for (DType type : {DType::q4_k, DType::q6_k}) {
      for (float constant : {0.0f, 0.5f, -3.0f}) {
        const std::vector<float> values(256, constant);
        const std::vector<std::byte> blocks = linea::io::quantize(type, values);
        std::vector<float> back(256);
        linea::io::dequantize(type, blocks.data(), 256, back.data());
        for (float v : back) QVERIFY(std::fabs(v - constant) <= 0.01f * std::fabs(constant) + 1e-6f);
      }
    }
  }

  void rejectsPartialBlocks() {
    const std::vector<float> values(288, 1.0f);
    QVERIFY(linea::io::can_quantize(DType::q4_k));
    QVERIFY(linea::io::can_quantize(DType::q6_k));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, linea::io::quantize(DType::q4_k, values));
  }
};

QTEST_APPLESS_MAIN(TestQuantizeK)
#include "test_quantize_k.moc"
