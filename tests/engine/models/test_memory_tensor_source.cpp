// MemoryTensorSource's generated tensors in quantized types: the bytes are io::quantize's of the
// same values drawn in the same order, the type is the one io::quantized_type_for picks (Q8_0 for a
// K-quant matrix whose rows are 32-blocks only; F32 for vectors and shapes that are not whole
// blocks), bad types are refused by name, and random MiniMax and RWKV-7 models in quantized types
// load and give finite, varying logits.
#include "engine/cpu/thread_pool.h"
#include "engine/io/dequantize.h"
#include "engine/io/quantize.h"
#include "engine/models/memory_tensor_source.h"
#include "engine/models/registry.h"
#include "engine/models/rwkv7.h"
#include "engine/runtime/session.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using linea::DType;

// 0.001·i·(−1)^i: reproducible values with a spread of magnitudes and both signs.
std::function<float()> counting(std::vector<float>* drawn) {
  return [drawn] {
    const auto i = static_cast<float>(drawn->size());
    drawn->push_back(0.001f * i * (drawn->size() % 2 ? -1.0f : 1.0f));
    return drawn->back();
  };
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& error) {
    return error.what();
  }
  return "(no error)";
}

}  // namespace

Q_DECLARE_METATYPE(DType)

class TestMemoryTensorSource : public QObject {
  Q_OBJECT

 private slots:
  void quantizedMatricesAreQuantizedRows_data() {
    QTest::addColumn<DType>("target");
    QTest::addColumn<qint64>("rows");
    QTest::addColumn<qint64>("cols");
    QTest::addColumn<DType>("stored");
    QTest::newRow("q8_0 [5, 96]") << DType::q8_0 << qint64{5} << qint64{96} << DType::q8_0;
    QTest::newRow("q4_0 [3, 64]") << DType::q4_0 << qint64{3} << qint64{64} << DType::q4_0;
    QTest::newRow("q4_k [3, 512]") << DType::q4_k << qint64{3} << qint64{512} << DType::q4_k;
    QTest::newRow("q6_k [2, 256]") << DType::q6_k << qint64{2} << qint64{256} << DType::q6_k;
    // K-quant rows of whole 32-blocks but not 256-blocks (RWKV-7's low-rank [C, 64]): Q8_0.
    QTest::newRow("q4_k [4, 64] -> q8_0") << DType::q4_k << qint64{4} << qint64{64} << DType::q8_0;
    QTest::newRow("q6_k [2, 96] -> q8_0") << DType::q6_k << qint64{2} << qint64{96} << DType::q8_0;
  }

  void quantizedMatricesAreQuantizedRows() {
    QFETCH(DType, target);
    QFETCH(qint64, rows);
    QFETCH(qint64, cols);
    QFETCH(DType, stored);
    linea::MemoryTensorSource source("test");
    std::vector<float> drawn;
    source.add_generated("w", target, {rows, cols}, counting(&drawn));
    QCOMPARE(drawn.size(), static_cast<std::size_t>(rows * cols));  // every value drawn once, row-major
    const linea::io::TensorInfo* info = source.find("w");
    QVERIFY(info != nullptr);
    QCOMPARE(info->dtype, stored);
    QCOMPARE(info->shape, (std::vector<std::int64_t>{rows, cols}));
    const std::vector<std::byte> expected = linea::io::quantize(stored, drawn);
    QCOMPARE(info->size_bytes, static_cast<std::uint64_t>(expected.size()));
    QVERIFY(std::memcmp(info->data, expected.data(), expected.size()) == 0);
    // And it decodes to values near the drawn ones (the quantizer's own accuracy is tested in tests/engine/io).
    std::vector<float> decoded(drawn.size());
    linea::io::dequantize(stored, info->data, decoded.size(), decoded.data());
    double worst = 0.0, largest = 0.0;
    for (std::size_t i = 0; i < drawn.size(); ++i) {
      worst = std::max(worst, static_cast<double>(std::abs(decoded[i] - drawn[i])));
      largest = std::max(largest, static_cast<double>(std::abs(drawn[i])));
    }
    // Q4_0 is the coarsest: steps of 1/8 of a block's largest magnitude, and the far end of the other
    // sign clamped a whole step short.
    QVERIFY2(worst < 0.15 * largest, qPrintable(QString("decoded values are off by %1 of %2").arg(worst).arg(largest)));
  }

  void otherShapesStayF32_data() {
    QTest::addColumn<DType>("target");
    QTest::addColumn<QList<qint64>>("shape");
    QTest::newRow("vector") << DType::q8_0 << QList<qint64>{64};
    QTest::newRow("rows not whole blocks") << DType::q4_0 << QList<qint64>{4, 48};
    QTest::newRow("one row") << DType::q4_k << QList<qint64>{1, 256};
    QTest::newRow("3-D") << DType::q6_k << QList<qint64>{2, 2, 256};
  }

  void otherShapesStayF32() {
    QFETCH(DType, target);
    QFETCH(QList<qint64>, shape);
    linea::MemoryTensorSource source("test");
    std::vector<float> drawn;
    source.add_generated("v", target, {shape.begin(), shape.end()}, counting(&drawn));
    const linea::io::TensorInfo* info = source.find("v");
    QCOMPARE(info->dtype, DType::f32);
    QCOMPARE(info->size_bytes, static_cast<std::uint64_t>(drawn.size() * sizeof(float)));
    QVERIFY(std::memcmp(info->data, drawn.data(), drawn.size() * sizeof(float)) == 0);
  }

  void typesItCannotStoreAreRefused() {
    linea::MemoryTensorSource source("test");
    std::vector<float> drawn;
    QCOMPARE(error_of([&] {
               source.add_generated("w", DType::i32, {2, 32}, counting(&drawn));
             }),
             std::string("MemoryTensorSource: tensor 'w': stores generated values as F32, F16, BF16 or a type it can "
                         "quantize to, not I32"));
    QCOMPARE(error_of([] { linea::make_random_model("minimax:8x256", DType::q8_k); }),
             std::string("random weights are F32, F16, BF16 or a quantized type (q8_0, q4_0, q4_k, q6_k), not Q8_K"));
    QCOMPARE(error_of([] { linea::make_random_model("rwkv7:0.1b", DType::i8); }),
             std::string("random weights are F32, F16, BF16 or a quantized type (q8_0, q4_0, q4_k, q6_k), not I8"));
  }

  void quantizedRandomModelsRun_data() {
    QTest::addColumn<QString>("architecture");
    QTest::addColumn<DType>("dtype");
    QTest::newRow("minimax q8_0") << "minimax" << DType::q8_0;
    QTest::newRow("minimax q4_0") << "minimax" << DType::q4_0;
    QTest::newRow("rwkv7 q4_k") << "rwkv7" << DType::q4_k;
    QTest::newRow("rwkv7 q6_k") << "rwkv7" << DType::q6_k;
  }

  void quantizedRandomModelsRun() {
    // minimax:8x256 through the registry (its 32000-row tables take seconds in the K-quants, so
    // those run on a small RWKV-7 of the real structure instead: d 256, rows of one 256-block).
    QFETCH(QString, architecture);
    QFETCH(DType, dtype);
    std::shared_ptr<const linea::Model> model;
    if (architecture == "minimax") {
      model = linea::make_random_model("minimax:8x256", dtype);
    } else {
      linea::Rwkv7Hyperparameters shape = *linea::rwkv7_released_shape("0.1b");
      shape.n_layer = 2, shape.n_embd = 256, shape.n_head = 4, shape.n_ffn = 512, shape.n_vocab = 300;
      auto weights = linea::random_rwkv7_weights(shape, dtype, 5);
      QCOMPARE(weights->find("blk.0.time_mix_key.weight")->dtype, dtype);
      QCOMPARE(weights->find("blk.0.time_mix_w2.weight")->dtype, DType::q8_0);  // [C, 64]: rows of 32-blocks
      QCOMPARE(weights->find("blk.0.attn_norm.weight")->dtype, DType::f32);
      linea::Rwkv7LoadOptions options;
      options.format = "memory";
      model = linea::Rwkv7Model::load(std::move(weights), options);
    }
    linea::Session session(model, std::make_shared<linea::cpu::ThreadPool>(2));
    const std::vector<float> logits = session.feed(std::vector<std::int32_t>{1, 2, 3, 100}).logits;
    QCOMPARE(static_cast<std::int64_t>(logits.size()), model->info().n_vocab);
    float spread = 0.0f;
    for (float value : logits) {
      QVERIFY(std::isfinite(value));
      spread = std::max(spread, std::abs(value - logits[0]));
    }
    QVERIFY(spread > 0.01f);  // not a constant output
  }
};

QTEST_APPLESS_MAIN(TestMemoryTensorSource)
#include "test_memory_tensor_source.moc"
