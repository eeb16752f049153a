// Engine equals trainer for the bundled model: resources/models/linea-tiny run through the C++
// tokenizer, language model and vision encoder against tools/train's PyTorch definition
// (tests/data/linea-tiny, made by tools/train/engine_goldens.py): the prompt's token ids, the logits
// after the prompt, the image token count, and the greedy continuation.
#include "engine/models/model.h"
#include "engine/runtime/model_bundle.h"
#include "engine/runtime/session.h"
#include "tests/support/testdata.h"
#include "vision/image_decode.h"
#include "vision/image_prompt.h"
#include "vision/vision_encoder.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace {

std::string repo_path(const char* relative) { return linea::test::sourcePath(QString::fromLatin1(relative)).toStdString(); }

nlohmann::json goldens() {
  std::ifstream in(repo_path("tests/data/linea-tiny/goldens.json"));
  return nlohmann::json::parse(in);
}

// Logits: both widen the bf16 weights to f32 and compute in f32, but order their sums differently
// (measured: 5e-6 for the text turn, 8e-6 with the picture), so they agree to float rounding.
constexpr double kLogitTolerance = 1e-4;

double max_difference(std::span<const float> ours, const nlohmann::json& reference) {
  if (ours.size() != reference.size()) return 1e30;
  double worst = 0.0;
  for (std::size_t i = 0; i < ours.size(); ++i)
    worst = std::max(worst, std::abs(static_cast<double>(ours[i]) - reference[i].get<double>()));
  return worst;
}

std::vector<std::int32_t> greedy(linea::Session& session, std::size_t count, std::int32_t stop) {
  std::vector<std::int32_t> out;
  std::span<const float> logits = session.last_logits();
  while (out.size() < count) {
    const auto next = static_cast<std::int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
    if (next == stop) break;
    out.push_back(next);
    logits = session.feed_one(next);
  }
  return out;
}

}  // namespace

class TestLineaTinyGoldens : public QObject {
  Q_OBJECT

 private:
  std::string model_dir_;
  linea::ModelBundle bundle_;
  std::shared_ptr<linea::cpu::ThreadPool> pool_ = std::make_shared<linea::cpu::ThreadPool>(2);
  nlohmann::json goldens_;

 // The logits after the prompt, then the greedy continuation (stopping where the trainer stopped).
  void compare_with_trainer(linea::Session& session, const nlohmann::json& c) {
    const double difference = max_difference(session.last_logits(), c["last_logits"]);
    qInfo("max |engine - trainer| logit difference: %g", difference);
    QVERIFY2(difference < kLogitTolerance, qPrintable(QString("max |engine - trainer| = %1").arg(difference)));
    const auto stop = bundle_.tokenizer->special_ids().end_of_generation;
    const std::vector<std::int32_t> continuation =
        greedy(session, c["continuation_limit"].get<std::size_t>(), stop.empty() ? -1 : stop.front());
    QCOMPARE(continuation, c["continuation"].get<std::vector<std::int32_t>>());
  }

 private slots:
  void initTestCase() {
    model_dir_ = repo_path("resources/models/linea-tiny");
    if (!std::filesystem::exists(model_dir_ + "/config.json")) QSKIP("the bundled model is not in this checkout");
    bundle_ = linea::open_model_bundle(model_dir_);
    QVERIFY2(bundle_.tokenizer, bundle_.tokenizer_error.c_str());
    goldens_ = goldens();
  }

  void text_turn_matches_the_trainer() {
    const nlohmann::json& c = goldens_["cases"]["text"];
    const std::vector<std::int32_t> ids = c["ids"].get<std::vector<std::int32_t>>();
    QCOMPARE(bundle_.tokenizer->encode(c["rendered"].get<std::string>(), /*allow_special=*/true), ids);
    linea::Session session(bundle_.model, pool_);
    session.feed(ids);
    compare_with_trainer(session, c);
  }

  void picture_question_matches_the_trainer() {
    const nlohmann::json& c = goldens_["cases"]["picture"];
    const std::vector<std::int32_t> ids = c["ids"].get<std::vector<std::int32_t>>();
    const auto encoder = linea::vision::VisionEncoder::open(model_dir_);
    const std::int32_t placeholder = encoder->config().image_token_index;
    linea::vision::ImageEmbeddings image = encoder->encode(
        linea::vision::decode_image_file(repo_path("tests/data/linea-tiny/picture.png")).image, *pool_);
    QCOMPARE(image.geometry.token_count, c["image_tokens"].get<int>());

    // The golden ids hold the placeholder run; the text around it is what a prompt builder writes.
    const auto first = std::find(ids.begin(), ids.end(), placeholder);
    QVERIFY(first != ids.end());
    const auto after = first + c["image_tokens"].get<std::ptrdiff_t>();
    const linea::vision::ImagePrompt prompt = linea::vision::make_image_prompt(
        std::span<const std::int32_t>(ids.data(), static_cast<std::size_t>(first - ids.begin())),
        std::span<const std::int32_t>(&*after, static_cast<std::size_t>(ids.end() - after)), placeholder,
        std::move(image));
    QCOMPARE(prompt.tokens, ids);

    // The rendered chat turn holds one <image> special token; expanding it gives the same prompt.
    const std::vector<std::int32_t> rendered = bundle_.tokenizer->encode(c["rendered"].get<std::string>(), true);
    QCOMPARE(std::count(rendered.begin(), rendered.end(), placeholder), std::ptrdiff_t{1});
    linea::vision::ImageEmbeddings again = encoder->encode(
        linea::vision::decode_image_file(repo_path("tests/data/linea-tiny/picture.png")).image, *pool_);
    QCOMPARE(linea::vision::expand_image_placeholder(rendered, placeholder, again).tokens, ids);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             linea::vision::expand_image_placeholder(ids, placeholder, std::move(again)));

    linea::Session session(bundle_.model, pool_);
    const linea::EmbeddingRows rows = prompt.replaced();
    linea::FeedOptions options;
    options.replaced = std::span<const linea::EmbeddingRows>(&rows, 1);
    session.feed(prompt.tokens, options);

    // A state file saved after the picture was read continues exactly: the picture lives in the
    // memory (lightning states, KV caches), not in the stored placeholder tokens.
    QTemporaryDir dir;
    const std::filesystem::path file = dir.filePath(QStringLiteral("picture.lstate")).toStdString();
    session.save(file);
    linea::Session reopened(bundle_.model, pool_);
    reopened.load(file);
    QCOMPARE(reopened.position(), session.position());
    compare_with_trainer(reopened, c);
    compare_with_trainer(session, c);
  }
};

QTEST_APPLESS_MAIN(TestLineaTinyGoldens)
#include "test_linea_tiny_goldens.moc"
