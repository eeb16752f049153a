// A whole RWKV-7 model with quantized weights through the SIMD tables' integer product (activations
// rounded to int8 blocks of 32; for Q4_K in the 256-bit product, blocks of 32 under one scale per 256
// values, see simd_q4_k_dot_impl.h) against the same weights widened exactly to f32 (the integer product
// switched off, which test_kernel_paths holds to the reference within 1e-5 of Σ|W·x|). The kernel
// test bounds one product; this shows what the rounding does to logits after the layers compound it.
//
// Bound, per position: ‖logits_int − logits_f32‖₂ ≤ 3e-2 · ‖logits_f32‖₂. Why: rounding a block to
// d = max|x|/127 leaves an error of RMS d/√12 ≈ max|x|/440 per element, 0.4–0.5 % of the RMS of a
// block of uniform or Gaussian-like activations, and each product passes that relative error on.
// The deepest path through the two layers runs through about eight products in series (LoRA pairs,
// the channel mix, the head), so √8 · 0.5 % ≈ 1.4 %, more where the decay's exp(−exp(·)) amplifies
// it; measured: 1.2–1.8 % for the four types (printed by the test). Weight quantization itself is
// far coarser for 4- and 6-bit weights (Q4: d/√12 with d = max/7), so the second check states that
// the integer path's distance to the f32 path is below the distance that quantizing the weights (vs
// F32 weights) already made, for Q4_0, Q4_K and Q6_K. Q8_0's weights are rounded as finely as the
// activations (measured: 1.4 % weights, 1.8 % activations), so it has the first bound only.
#include "engine/cpu/cpu_features.h"
#include "engine/cpu/kernels.h"
#include "engine/cpu/simd_kernels.h"
#include "engine/cpu/thread_pool.h"
#include "engine/models/memory_tensor_source.h"
#include "engine/models/rwkv7.h"
#include "engine/runtime/session.h"
#include "tests/engine/cpu/kernel_table_support.h"

#include <QTest>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

Q_DECLARE_METATYPE(linea::DType)

namespace {

using linea::DType;

linea::Rwkv7Hyperparameters small_shape() {
  linea::Rwkv7Hyperparameters hp;
  hp.n_vocab = 512;
  hp.n_embd = 256;
  hp.n_layer = 2;
  hp.head_size = 64;
  hp.n_head = 4;
  hp.n_ffn = 1024;
  hp.rank_decay = 32;
  hp.rank_iclr = 32;
  hp.rank_value_residual = 32;
  hp.rank_gate = 32;
  hp.group_norm_eps = 64e-5f;
  return hp;
}

std::shared_ptr<const linea::Model> small_model(DType dtype) {
  linea::Rwkv7LoadOptions options;
  options.format = "memory";
  options.n_layer = small_shape().n_layer;
  options.head_size = small_shape().head_size;
  options.fingerprint = "integer-dot-test-" + std::string(linea::dtype_name(dtype));
  std::shared_ptr<const linea::io::TensorSource> weights = linea::random_rwkv7_weights(small_shape(), dtype, 7);
  return linea::Rwkv7Model::load(std::move(weights), options);
}

// Logits of every position of a fixed prompt, fed `chunk` positions at a time.
std::vector<float> logits_of(const std::shared_ptr<const linea::Model>& model, bool integer, std::size_t chunk) {
  const bool previous = linea::cpu::integer_dot_enabled();
  linea::cpu::set_integer_dot_enabled(integer);
  const std::vector<std::int32_t> tokens = {3, 141, 59, 26, 5, 358, 97, 93, 238, 46, 264, 33};
  linea::Session session(model, std::make_shared<linea::cpu::ThreadPool>(2));
  linea::FeedOptions options;
  options.chunk_size = chunk;
  options.logits = linea::LogitsFor::all;
  std::vector<float> logits = session.feed(tokens, options).logits;
  linea::cpu::set_integer_dot_enabled(previous);
  return logits;
}

// The largest per-position ‖a − b‖₂ / ‖b‖₂.
double worst_relative_distance(const std::vector<float>& a, const std::vector<float>& b, std::int64_t n_vocab) {
  double worst = 0;
  for (std::size_t start = 0; start < b.size(); start += static_cast<std::size_t>(n_vocab)) {
    double difference = 0, size = 0;
    for (std::size_t i = start; i < start + static_cast<std::size_t>(n_vocab); ++i) {
      difference += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
      size += double(b[i]) * b[i];
    }
    worst = std::max(worst, std::sqrt(difference / size));
  }
  return worst;
}

}  // namespace

class TestIntegerDotModel : public QObject {
  Q_OBJECT

 private slots:
  void logitsStayCloseToTheF32Path_data() {
    QTest::addColumn<QString>("table");
    QTest::addColumn<DType>("dtype");
    for (const char* table : {"avx2", "avx512"})
      for (DType dtype : {DType::q8_0, DType::q4_0, DType::q4_k, DType::q6_k})
        QTest::addRow("%s %s", table, linea::dtype_name(dtype).data()) << QString(table) << dtype;
  }

  void logitsStayCloseToTheF32Path() {
    QFETCH(QString, table);
    QFETCH(DType, dtype);
    REQUIRE_TABLE(table, kernels);
    const linea::test::ActiveTable active(*kernels);
    const auto model = small_model(dtype);
    const std::int64_t n_vocab = small_shape().n_vocab;

    const std::vector<float> f32_path = logits_of(model, false, 128);
    const std::vector<float> integer_path = logits_of(model, true, 128);
    QCOMPARE(integer_path.size(), f32_path.size());
    const double activation_error = worst_relative_distance(integer_path, f32_path, n_vocab);
    const std::vector<float> f32_weights = logits_of(small_model(DType::f32), false, 128);
    const double weight_error = worst_relative_distance(f32_path, f32_weights, n_vocab);
    qInfo("%s: integer vs f32 path %.3g, quantized vs F32 weights %.3g (relative L2 of logits, worst position)",
          qPrintable(table), activation_error, weight_error);
    QVERIFY2(activation_error <= 3e-2, qPrintable(QString("relative error %1").arg(activation_error)));
    if (dtype != DType::q8_0)
      QVERIFY2(
          activation_error < weight_error,
          qPrintable(QString("activation rounding %1 ≥ weight rounding %2").arg(activation_error).arg(weight_error)));

    // Decode and prefill give the same bits on the integer path too (one position per call).
    QVERIFY(logits_of(model, true, 1) == integer_path);
  }

  void regroupedQ4_KWeightsGiveTheBitsOfRows_data() {
    QTest::addColumn<QString>("table");
    for (const char* table : {"avx2", "avx512"}) QTest::newRow(table) << QString(table);
  }

  void regroupedQ4_KWeightsGiveTheBitsOfRows() {
    // A model loaded under a table that regroups Q4_K matrices by 8 rows (packed_weights.h) against
    // the same weights loaded under the reference table, which keeps the file's rows: both computed
    // with `table`, whose product reads either layout, prefill and decode.
    QFETCH(QString, table);
    REQUIRE_TABLE(table, kernels);
    std::shared_ptr<const linea::Model> rows;
    {
      const linea::test::ActiveTable reference(linea::cpu::reference_kernels());
      rows = small_model(DType::q4_k);
    }
    const linea::test::ActiveTable active(*kernels);
    const auto regrouped = small_model(DType::q4_k);
    for (const std::size_t chunk : {std::size_t{128}, std::size_t{1}})
      QVERIFY2(logits_of(regrouped, true, chunk) == logits_of(rows, true, chunk),
               qPrintable(QString("chunks of %1: the logits differ").arg(chunk)));
  }
};

QTEST_APPLESS_MAIN(TestIntegerDotModel)
#include "test_integer_dot_model.moc"
