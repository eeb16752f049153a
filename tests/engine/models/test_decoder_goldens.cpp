// Our MiniMax lightning hybrid and Llama / Qwen2 decoders against transformers (fp32): the small random
// models under tests/data/decoders (made by tools/reference/make_decoder_goldens.py) come with
// transformers' logits for every position of a 700-token prompt and a greedy continuation. Prompts of
// 1, 255, 256, 257 and 700 tokens from a fresh memory, the 700 tokens fed in chunks, a prefill followed
// by token-by-token decoding, and greedy decoding must all agree with those logits (max abs ≤ 1e-4, the
// manifest's tolerance) and tokens. The lightning block size is 64 in one model and 256 in the others,
// so these lengths cross block boundaries.
#include "engine/cpu/thread_pool.h"
#include "engine/models/registry.h"
#include "engine/runtime/session.h"
#include "tests/support/testdata.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct DecoderGolden {
  std::string name;
  std::string folder;        // absolute path of the model folder
  std::string architecture;  // what the engine must report: "minimax" or "llama"
  std::int64_t n_vocab = 0;
  std::int64_t n_layer = 0;
  std::int64_t n_embd = 0;
  std::vector<std::int32_t> prompt;
  std::vector<float> logits;  // [prompt.size(), n_vocab]: row t follows prompt[0..t]
  std::size_t continuation_prompt = 0;
  std::vector<std::int32_t> continuation;  // greedy tokens after prompt[0..continuation_prompt)
  double tolerance = 0;
};

struct DecoderGoldens {
  std::vector<DecoderGolden> models;
  std::string error;  // why the manifest could not be read; empty when it was
};

std::string golden_dir() { return linea::test::sourcePath(QStringLiteral("tests/data/decoders")).toStdString(); }

std::vector<DecoderGolden> read_decoder_goldens() {
  const std::string dir = golden_dir();
  const std::string manifest_path = dir + "/goldens.json";
  std::ifstream manifest_file(manifest_path);
  if (!manifest_file) throw std::runtime_error("cannot read " + manifest_path);
  const nlohmann::json manifest = nlohmann::json::parse(manifest_file);
  std::vector<DecoderGolden> models;
  for (const nlohmann::json& entry : manifest.at("models")) {
    DecoderGolden golden;
    golden.name = entry.at("name").get<std::string>();
    golden.folder = dir + "/" + entry.at("folder").get<std::string>();
    golden.architecture = entry.at("architecture").get<std::string>();
    golden.n_vocab = entry.at("n_vocab").get<std::int64_t>();
    golden.n_layer = entry.at("n_layer").get<std::int64_t>();
    golden.n_embd = entry.at("n_embd").get<std::int64_t>();
    golden.prompt = entry.at("prompt").get<std::vector<std::int32_t>>();
    golden.continuation_prompt = entry.at("continuation").at("prompt_tokens").get<std::size_t>();
    golden.continuation = entry.at("continuation").at("tokens").get<std::vector<std::int32_t>>();
    golden.tolerance = entry.at("tolerance").get<double>();

    const std::string logits_path = dir + "/" + entry.at("expected_logits").get<std::string>();
    std::ifstream logits_file(logits_path, std::ios::binary | std::ios::ate);
    if (!logits_file) throw std::runtime_error("cannot read " + logits_path);
    golden.logits.resize(golden.prompt.size() * static_cast<std::size_t>(golden.n_vocab));
    const auto expected_bytes = static_cast<std::streamsize>(golden.logits.size() * sizeof(float));
    if (logits_file.tellg() != expected_bytes)
      throw std::runtime_error(logits_path + ": expected " + std::to_string(expected_bytes) + " bytes ([" +
                               std::to_string(golden.prompt.size()) + ", " + std::to_string(golden.n_vocab) +
                               "] float32), found " + std::to_string(logits_file.tellg()));
    logits_file.seekg(0);
    logits_file.read(reinterpret_cast<char*>(golden.logits.data()), expected_bytes);
    if (golden.continuation_prompt == 0 || golden.continuation_prompt > golden.prompt.size() ||
        golden.continuation.empty())
      throw std::runtime_error(manifest_path + ": " + golden.name + " has an unusable continuation");
    models.push_back(std::move(golden));
  }
  if (models.empty()) throw std::runtime_error(manifest_path + " lists no models");
  return models;
}

// Read once: the logits are the bulk of it and every test row needs them.
const DecoderGoldens& goldens() {
  static const DecoderGoldens loaded = [] {
    DecoderGoldens result;
    try {
      result.models = read_decoder_goldens();
    } catch (const std::exception& e) {
      result.error = e.what();
    }
    return result;
  }();
  return loaded;
}

const DecoderGolden* golden_named(const QString& name) {
  for (const DecoderGolden& golden : goldens().models)
    if (golden.name == name.toStdString()) return &golden;
  return nullptr;
}

struct LoadedModel {
  std::shared_ptr<const linea::Model> model;
  QString error;
};

LoadedModel load(const DecoderGolden& golden) {
  LoadedModel loaded;
  try {
    loaded.model = linea::load_model(golden.folder);
  } catch (const std::exception& e) {
    loaded.error = QStringLiteral("%1: linea::load_model(\"%2\") failed: %3")
                       .arg(QString::fromStdString(golden.name), QString::fromStdString(golden.folder),
                            QString::fromUtf8(e.what()));
  }
  return loaded;
}

std::shared_ptr<linea::cpu::ThreadPool> make_pool() { return std::make_shared<linea::cpu::ThreadPool>(2); }

struct Comparison {
  double worst = 0;  // max |ours - transformers|
  QString mismatch;  // empty when within the tolerance
};

// Our logits for prompt positions [first, first + rows) against the golden's rows.
Comparison compare_rows(const DecoderGolden& golden, std::span<const float> ours, std::size_t first, std::size_t rows,
                        const QString& what) {
  const auto vocab = static_cast<std::size_t>(golden.n_vocab);
  if (ours.size() != rows * vocab)
    return {std::nan(""),
            QStringLiteral("%1: %2 logits, expected %3 rows × %4").arg(what).arg(ours.size()).arg(rows).arg(vocab)};
  double worst = -1;
  std::size_t worst_index = 0;
  for (std::size_t i = 0; i < ours.size(); ++i) {
    const double difference = std::abs(static_cast<double>(ours[i]) - golden.logits[first * vocab + i]);
    if (!(difference <= worst)) {  // also catches NaN
      worst = difference;
      worst_index = i;
      if (std::isnan(difference)) break;
    }
  }
  if (worst <= golden.tolerance) return {worst, {}};
  return {worst, QStringLiteral("%1: max |ours - transformers| = %2 at prompt position %3, vocab entry %4 "
                                "(ours %5, transformers %6), tolerance %7")
                     .arg(what)
                     .arg(worst, 0, 'g', 4)
                     .arg(first + worst_index / vocab)
                     .arg(worst_index % vocab)
                     .arg(static_cast<double>(ours[worst_index]), 0, 'g', 8)
                     .arg(static_cast<double>(golden.logits[first * vocab + worst_index]), 0, 'g', 8)
                     .arg(golden.tolerance)};
}

std::int32_t argmax(std::span<const float> logits) {
  return static_cast<std::int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

void add_model_rows() {
  QTest::addColumn<QString>("model");
  for (const DecoderGolden& golden : goldens().models)
    QTest::newRow(golden.name.c_str()) << QString::fromStdString(golden.name);
}

}  // namespace

class TestDecoderGoldens : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QVERIFY2(goldens().error.empty(), goldens().error.c_str()); }

  void describesTheModel_data() { add_model_rows(); }

  void describesTheModel() {
    QFETCH(QString, model);
    const DecoderGolden* golden = golden_named(model);
    QVERIFY(golden);
    const LoadedModel loaded = load(*golden);
    QVERIFY2(loaded.model, qPrintable(loaded.error));
    QCOMPARE(loaded.model->info().architecture, golden->architecture);
    QCOMPARE(loaded.model->info().n_vocab, golden->n_vocab);
    QCOMPARE(loaded.model->info().n_layer, golden->n_layer);
    QCOMPARE(loaded.model->info().n_embd, golden->n_embd);
  }

  // One forward pass from a fresh memory over the first `length` prompt tokens, logits for every position.
  void promptPrefixesMatch_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("length");
    for (const DecoderGolden& golden : goldens().models)
      for (int length : {1, 255, 256, 257, 700})
        QTest::addRow("%s %d tokens", golden.name.c_str(), length) << QString::fromStdString(golden.name) << length;
  }

  void promptPrefixesMatch() {
    QFETCH(QString, model);
    QFETCH(int, length);
    const DecoderGolden* golden = golden_named(model);
    QVERIFY(golden);
    QVERIFY(static_cast<std::size_t>(length) <= golden->prompt.size());
    const LoadedModel loaded = load(*golden);
    QVERIFY2(loaded.model, qPrintable(loaded.error));

    auto pool = make_pool();
    std::unique_ptr<linea::Memory> memory = loaded.model->new_memory();
    std::vector<float> logits;
    const std::span<const std::int32_t> tokens(golden->prompt.data(), static_cast<std::size_t>(length));
    loaded.model->forward(*pool, tokens, *memory, linea::LogitsFor::all, logits);
    const Comparison result = compare_rows(*golden, logits, 0, tokens.size(), QStringLiteral("one forward pass"));
    qInfo("max |ours - transformers| = %.3g", result.worst);
    QVERIFY2(result.mismatch.isEmpty(), qPrintable(result.mismatch));
  }

  // The whole prompt through a session in chunks: every chunk after the first continues from memory.
  void chunkedFeedMatches_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("chunk");
    for (const DecoderGolden& golden : goldens().models)
      for (int chunk : {1, 7, 128, 300})
        QTest::addRow("%s chunks of %d", golden.name.c_str(), chunk) << QString::fromStdString(golden.name) << chunk;
  }

  void chunkedFeedMatches() {
    QFETCH(QString, model);
    QFETCH(int, chunk);
    const DecoderGolden* golden = golden_named(model);
    QVERIFY(golden);
    const LoadedModel loaded = load(*golden);
    QVERIFY2(loaded.model, qPrintable(loaded.error));

    linea::Session session(loaded.model, make_pool());
    linea::FeedOptions options;
    options.chunk_size = static_cast<std::size_t>(chunk);
    options.logits = linea::LogitsFor::all;
    const linea::FeedResult result = session.feed(golden->prompt, options);
    QCOMPARE(result.tokens_fed, static_cast<std::uint64_t>(golden->prompt.size()));
    QCOMPARE(session.position(), static_cast<std::uint64_t>(golden->prompt.size()));
    const Comparison comparison = compare_rows(*golden, result.logits, 0, golden->prompt.size(),
                                               QStringLiteral("session feed, chunks of %1").arg(chunk));
    qInfo("max |ours - transformers| = %.3g", comparison.worst);
    QVERIFY2(comparison.mismatch.isEmpty(), qPrintable(comparison.mismatch));
  }

  // Prefill 400 tokens, then decode the remaining 300 one at a time (lightning recurrence, growing KV cache).
  void prefillThenDecodeMatches_data() { add_model_rows(); }

  void prefillThenDecodeMatches() {
    QFETCH(QString, model);
    const DecoderGolden* golden = golden_named(model);
    QVERIFY(golden);
    const LoadedModel loaded = load(*golden);
    QVERIFY2(loaded.model, qPrintable(loaded.error));

    constexpr std::size_t prefill = 400;
    QVERIFY(golden->prompt.size() > prefill);
    linea::Session session(loaded.model, make_pool());
    linea::FeedOptions options;
    options.logits = linea::LogitsFor::all;
    const linea::FeedResult result = session.feed(std::span(golden->prompt).first(prefill), options);
    Comparison comparison = compare_rows(*golden, result.logits, 0, prefill, QStringLiteral("prefill of 400"));
    QVERIFY2(comparison.mismatch.isEmpty(), qPrintable(comparison.mismatch));
    double worst_decoded = 0;
    for (std::size_t position = prefill; position < golden->prompt.size(); ++position) {
      const std::span<const float> row = session.feed_one(golden->prompt[position]);
      comparison = compare_rows(*golden, row, position, 1, QStringLiteral("decode after a prefill of 400"));
      QVERIFY2(comparison.mismatch.isEmpty(), qPrintable(comparison.mismatch));
      worst_decoded = std::max(worst_decoded, comparison.worst);
    }
    qInfo("max |ours - transformers| over the decoded positions = %.3g", worst_decoded);
    QCOMPARE(session.position(), static_cast<std::uint64_t>(golden->prompt.size()));
  }

  // Greedy decoding after the first prompt tokens picks transformers' tokens (every step's top-2 margin in
  // the reference is above 1e-3, far beyond the logits tolerance).
  void greedyContinuationMatches_data() { add_model_rows(); }

  void greedyContinuationMatches() {
    QFETCH(QString, model);
    const DecoderGolden* golden = golden_named(model);
    QVERIFY(golden);
    const LoadedModel loaded = load(*golden);
    QVERIFY2(loaded.model, qPrintable(loaded.error));

    linea::Session session(loaded.model, make_pool());
    session.feed(std::span(golden->prompt).first(golden->continuation_prompt));
    std::vector<std::int32_t> ours;
    for (std::size_t step = 0; step < golden->continuation.size(); ++step) {
      ours.push_back(argmax(session.last_logits()));
      QVERIFY2(ours.back() == golden->continuation[step],
               qPrintable(QStringLiteral("greedy step %1: ours %2, transformers %3")
                              .arg(step)
                              .arg(ours.back())
                              .arg(golden->continuation[step])));
      session.feed_one(ours.back());
    }
    QCOMPARE(ours.size(), golden->continuation.size());
  }
};

QTEST_APPLESS_MAIN(TestDecoderGoldens)
#include "test_decoder_goldens.moc"
