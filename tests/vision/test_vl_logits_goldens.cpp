// The whole vision-language path against transformers' LlavaNextForConditionalGeneration
// (tests/data/vision/vl_logits_goldens.json, tools/vision/make_goldens.py vl-logits): the folder's
// CLIP tower, projector and anyres packing (vision/), its Llama language model loaded from the same
// folder (engine/models/llama_decoder), and the picture's rows fed in place of the image tokens
// (Session FeedOptions::replaced). All-position logits must agree to 1e-4.
#include "engine/cpu/thread_pool.h"
#include "engine/models/registry.h"
#include "engine/runtime/session.h"
#include "tests/support/testdata.h"
#include "tests/vision/synthetic_image.h"
#include "vision/image_prompt.h"
#include "vision/vision_encoder.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>

namespace {

std::filesystem::path data_path(const char* relative) {
  return linea::test::sourcePath(QString::fromLatin1(relative)).toStdString();
}

double max_difference(std::span<const float> ours, const nlohmann::json& rows, std::size_t n_vocab) {
  double worst = 0.0;
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t i = 0; i < n_vocab; ++i)
      worst = std::max(worst, std::abs(static_cast<double>(ours[r * n_vocab + i]) - rows[r][i].get<double>()));
  return worst;
}

}  // namespace

class TestVlLogitsGoldens : public QObject {
  Q_OBJECT

 private slots:
  void wholeModelLogitsEqualTransformers() {
    std::ifstream in(data_path("tests/data/vision/vl_logits_goldens.json"));
    QVERIFY(in);
    const nlohmann::json golden = nlohmann::json::parse(in);
    const std::filesystem::path folder = data_path("tests/data/vision") / golden["folder"].get<std::string>();
    const auto model = linea::load_model(folder);
    QCOMPARE(model->info().architecture, std::string("llama"));
    const auto encoder = linea::vision::VisionEncoder::open(folder);
    QCOMPARE(encoder->config().image_token_index, golden["image_token_index"].get<int>());
    QCOMPARE(encoder->embedding_size(), model->info().n_embd);
    auto pool = std::make_shared<linea::cpu::ThreadPool>(2);
    const auto n_vocab = static_cast<std::size_t>(model->info().n_vocab);

    for (const nlohmann::json& item : golden["cases"]) {
      const auto image = linea::test::synthetic_image(item["height"].get<int>(), item["width"].get<int>(),
                                                      item["seed"].get<std::uint32_t>());
      const auto before = item["before"].get<std::vector<std::int32_t>>();
      const auto after = item["after"].get<std::vector<std::int32_t>>();
      const linea::vision::ImagePrompt prompt = linea::vision::make_image_prompt(
          before, after, encoder->config().image_token_index, encoder->encode(image, *pool));
      QCOMPARE(prompt.image_tokens, item["image_tokens"].get<std::int64_t>());
      QCOMPARE(prompt.tokens.size(), item["logits"].size());

      linea::Session session(model, pool);
      const linea::EmbeddingRows rows = prompt.replaced();
      linea::FeedOptions options;
      options.logits = linea::LogitsFor::all;
      options.chunk_size = 16;  // the picture's rows cross chunk boundaries
      options.replaced = std::span<const linea::EmbeddingRows>(&rows, 1);
      const linea::FeedResult result = session.feed(prompt.tokens, options);
      const double diff = max_difference(result.logits, item["logits"], n_vocab);
      qInfo("%dx%d: %lld image tokens, max |logit diff| %.2e", item["height"].get<int>(), item["width"].get<int>(),
            static_cast<long long>(prompt.image_tokens), diff);
      QVERIFY2(diff <= 1e-4, qPrintable(QStringLiteral("max |diff| %1").arg(diff)));

      // The picture matters: the placeholder token's own embedding gives other logits.
      linea::Session blind(model, pool);
      linea::FeedOptions plain;
      plain.logits = linea::LogitsFor::all;
      const double without = max_difference(blind.feed(prompt.tokens, plain).logits, item["logits"], n_vocab);
      QVERIFY2(without > 1e-2, qPrintable(QStringLiteral("without the picture: max |diff| only %1").arg(without)));
    }
  }
};

QTEST_GUILESS_MAIN(TestVlLogitsGoldens)
#include "test_vl_logits_goldens.moc"
