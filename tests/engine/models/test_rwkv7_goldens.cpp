// Our RWKV-7 against an independent reference (the BlinkDL `rwkv` package, fp32): random models of
// two shapes, each read from a llama.cpp-style GGUF (F16 or F32 matrices) and from a Hugging Face /
// fla folder (BF16 or F16), fed token by token, all at once, and in chunks. Every position's logits
// must agree with the reference's within 1e-4, and the three feeding modes must agree exactly.
#include "engine/cpu/kernels.h"
#include "engine/cpu/thread_pool.h"
#include "engine/models/registry.h"
#include "engine/runtime/session.h"
#include "tests/engine/models/golden_models.h"

#include <QScopeGuard>
#include <QTest>

#include <cmath>
#include <cstring>

namespace {

double max_abs_difference(std::span<const float> a, std::span<const float> b) {
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(static_cast<double>(a[i]) - b[i]));
  return worst;
}

}  // namespace

class TestRwkv7Goldens : public QObject {
  Q_OBJECT

 private slots:
  void logitsMatchTheReference_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("chunk");  // 0: token by token
    for (const auto& golden : linea::test::read_golden_models()) {
      for (const char* format : {"gguf", "hf"}) {
        for (int chunk : {0, 1000, 5}) {
          const QString mode = chunk == 0 ? "serial" : chunk == 1000 ? "sequence" : QString("chunks of %1").arg(chunk);
          QTest::addRow("%s %s %s", golden.name.c_str(), format, qPrintable(mode))
              << QString::fromStdString(golden.name) << QString(format) << chunk;
        }
      }
    }
  }

  void logitsMatchTheReference() {
    QFETCH(QString, model);
    QFETCH(QString, format);
    QFETCH(int, chunk);
    const auto goldens = linea::test::read_golden_models();
    const auto golden =
        std::find_if(goldens.begin(), goldens.end(), [&](const auto& g) { return g.name == model.toStdString(); });
    QVERIFY(golden != goldens.end());

    const std::string path = format == "gguf" ? golden->gguf : golden->hf_folder;
    auto loaded = linea::load_model(path);
    QCOMPARE(loaded->info().architecture, std::string("rwkv7"));
    QCOMPARE(loaded->info().n_vocab, golden->n_vocab);
    QCOMPARE(loaded->info().n_layer, golden->n_layer);
    QCOMPARE(loaded->info().n_embd, golden->n_embd);
    QCOMPARE(QString::fromStdString(loaded->info().format),
             format == "gguf" ? QString("GGUF") : QString("safetensors"));
    auto pool = std::make_shared<linea::cpu::ThreadPool>(2);

    double worst = 0;
    for (const auto& sequence : golden->sequences) {
      linea::Session session(loaded, pool);
      std::vector<float> logits;
      if (chunk == 0) {
        for (std::int32_t token : sequence.tokens) {
          const std::span<const float> row = session.feed_one(token);
          logits.insert(logits.end(), row.begin(), row.end());
        }
      } else {
        linea::FeedOptions options;
        options.chunk_size = static_cast<std::size_t>(chunk);
        options.logits = linea::LogitsFor::all;
        logits = session.feed(sequence.tokens, options).logits;
      }
      QCOMPARE(logits.size(), sequence.logits.size());
      worst = std::max(worst, max_abs_difference(logits, sequence.logits));
      QCOMPARE(session.position(), sequence.tokens.size());
    }
    qInfo("max |our logits - reference| = %.3g", worst);
    QVERIFY2(worst <= 1e-4, qPrintable(QString("max difference %1").arg(worst)));
  }

  void feedingModesAgreeBitForBit_data() {
    QTest::addColumn<QString>("format");
    QTest::newRow("gguf") << "gguf";
    QTest::newRow("hf") << "hf";
  }

  void feedingModesAgreeBitForBit() {
    QFETCH(QString, format);
    const auto goldens = linea::test::read_golden_models();
    for (const auto& golden : goldens) {
      auto model = linea::load_model(format == "gguf" ? golden.gguf : golden.hf_folder);
      const auto& tokens = golden.sequences.back().tokens;
      std::vector<std::vector<float>> results;
      for (int threads : {1, 2, 3}) {
        for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{16}, tokens.size()}) {
          linea::Session session(model, std::make_shared<linea::cpu::ThreadPool>(threads));
          linea::FeedOptions options;
          options.chunk_size = chunk;
          options.logits = linea::LogitsFor::all;
          results.push_back(session.feed(tokens, options).logits);
        }
      }
      for (const auto& result : results) {
        QCOMPARE(result.size(), results.front().size());
        QVERIFY(std::memcmp(result.data(), results.front().data(), result.size() * sizeof(float)) == 0);
      }
    }
  }

  void bothFormatsDescribeTheSameModel() {
    // The amx table multiplies BF16 matrices on tiles and F32 ones with FMAs, whose additions come
    // in different orders; the files are compared where both dtypes take the same arithmetic.
    const linea::cpu::Kernels& active = linea::cpu::active_kernels();
    if (active.name == "amx") linea::cpu::set_active_kernels(*linea::cpu::find_kernels("avx512"));
    const auto restore = qScopeGuard([&] { linea::cpu::set_active_kernels(active); });
    for (const auto& golden : linea::test::read_golden_models()) {
      auto gguf = linea::load_model(golden.gguf);
      auto hf = linea::load_model(golden.hf_folder);
      QVERIFY(gguf->info().fingerprint != hf->info().fingerprint);  // different files, different identity
      auto pool = std::make_shared<linea::cpu::ThreadPool>(1);
      linea::Session a(gguf, pool), b(hf, pool);
      const auto& tokens = golden.sequences.back().tokens;
      const std::vector<float> la = a.feed(tokens).logits, lb = b.feed(tokens).logits;
      // The stored weights are the same values (exactly representable in both files' dtypes).
      QVERIFY(std::memcmp(la.data(), lb.data(), la.size() * sizeof(float)) == 0);
    }
  }
};

QTEST_APPLESS_MAIN(TestRwkv7Goldens)
#include "test_rwkv7_goldens.moc"
