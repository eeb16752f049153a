// The hybrid memory of decoder models (lightning states beside KV caches), on the small transformers
// goldens of tests/data/decoders: state files round-trip both kinds exactly, forks are independent,
// the two lightning forms give the same logits through a whole model, sizes are as predicted, and
// damaged state or config files are refused with messages that name what is wrong.
#include "engine/io/format_error.h"
#include "engine/models/decoder_model.h"
#include "engine/models/registry.h"
#include "engine/runtime/hybrid_memory.h"
#include "engine/runtime/session.h"
#include "engine/runtime/state_file.h"
#include "tests/support/testdata.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

namespace {

std::string decoder_model(const char* name) {
  return linea::test::sourcePath(QStringLiteral("tests/data/decoders/%1").arg(QLatin1String(name))).toStdString();
}

std::vector<std::int32_t> random_tokens(std::size_t count, std::int64_t vocabulary, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::int32_t> pick(0, static_cast<std::int32_t>(vocabulary - 1));
  std::vector<std::int32_t> tokens(count);
  for (std::int32_t& token : tokens) token = pick(rng);
  return tokens;
}

double max_difference(std::span<const float> a, std::span<const float> b) {
  double worst = a.size() == b.size() ? 0.0 : 1e30;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    worst = std::max(worst, static_cast<double>(std::abs(a[i] - b[i])));
  return worst;
}

// A copy of a golden folder whose config.json is changed by `edit`.
std::string edited_copy(const QTemporaryDir& dir, const char* name, const std::function<void(nlohmann::json&)>& edit) {
  const std::filesystem::path source = decoder_model(name);
  const std::filesystem::path target = std::filesystem::path(dir.path().toStdString()) / name;
  std::filesystem::create_directories(target);
  std::filesystem::copy_file(source / "model.safetensors", target / "model.safetensors",
                             std::filesystem::copy_options::overwrite_existing);
  std::ifstream in(source / "config.json");
  nlohmann::json config = nlohmann::json::parse(in);
  edit(config);
  std::ofstream(target / "config.json") << config.dump(1);
  return target.string();
}

linea::FeedOptions all_logits() {
  linea::FeedOptions options;
  options.logits = linea::LogitsFor::all;
  return options;
}

QString error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& error) {
    return QString::fromStdString(error.what());
  }
  return {};
}

}  // namespace

class TestDecoderMemory : public QObject {
  Q_OBJECT

 private slots:
  void state_file_round_trips_states_and_caches_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("minimax: lightning states and KV caches") << QStringLiteral("minimax_remote_b256");
    QTest::newRow("qwen2: KV caches only") << QStringLiteral("qwen2_bias");
  }

  void state_file_round_trips_states_and_caches() {
    QFETCH(QString, name);
    const auto model = linea::load_model(decoder_model(name.toUtf8().constData()));
    auto pool = std::make_shared<linea::cpu::ThreadPool>(2);
    const std::vector<std::int32_t> tokens = random_tokens(350, model->info().n_vocab, 5);
    const std::span<const std::int32_t> first(tokens.data(), 300), rest(tokens.data() + 300, 50);

    linea::Session uninterrupted(model, pool);
    uninterrupted.feed(first);
    linea::Session fork = uninterrupted.fork();
    const linea::FeedResult expected = uninterrupted.feed(rest, all_logits());

    QTemporaryDir dir;
    const std::filesystem::path file = dir.filePath(QStringLiteral("chat.lstate")).toStdString();
    fork.save(file);
    linea::Session reopened(model, pool);
    reopened.load(file);
    QCOMPARE(reopened.position(), std::uint64_t{300});
    QCOMPARE(reopened.memory().positions().value_or(0), model->info().memory_bytes_per_token ? 300u : 0u);
    const linea::FeedResult continued = reopened.feed(rest, all_logits());
    QCOMPARE(max_difference(continued.logits, expected.logits), 0.0);  // the same arithmetic, bit for bit

    // The fork continues on its own: other tokens, other logits; the original is unaffected.
    const std::vector<std::int32_t> other = random_tokens(50, model->info().n_vocab, 6);
    const linea::FeedResult forked = fork.feed(other, all_logits());
    QVERIFY(max_difference(forked.logits, expected.logits) > 1e-3);
    QCOMPARE(uninterrupted.position(), std::uint64_t{350});
    QCOMPARE(fork.position(), std::uint64_t{350});

    // The size is what the model predicts: fixed states plus a KV row per position.
    const linea::ModelInfo& info = model->info();
    QCOMPARE(uninterrupted.memory().byte_size(), info.memory_bytes_fixed + 350 * info.memory_bytes_per_token);
    QVERIFY(std::filesystem::file_size(file) >= info.memory_bytes_fixed + 300 * info.memory_bytes_per_token);
  }

  void replaced_embeddings_enter_at_their_positions_data() {
    QTest::addColumn<int>("chunk");
    QTest::newRow("one pass") << 1000;
    QTest::newRow("chunks of 7 cut the rows") << 7;
    QTest::newRow("chunks of 128") << 128;
  }

  void replaced_embeddings_enter_at_their_positions() {
    // Rows that are another token's embedding must act exactly like that token: feeding A with
    // positions 100…139 replaced by the embeddings of B equals feeding A with B's tokens there.
    QFETCH(int, chunk);
    const auto model = linea::load_model(decoder_model("minimax_remote_b256"));
    const auto* decoder = dynamic_cast<const linea::DecoderModel*>(model.get());
    QVERIFY(decoder);
    const std::int64_t C = model->info().n_embd;
    auto pool = std::make_shared<linea::cpu::ThreadPool>(2);
    const std::vector<std::int32_t> a = random_tokens(300, model->info().n_vocab, 21);
    const std::vector<std::int32_t> b = random_tokens(40, model->info().n_vocab, 22);
    std::vector<float> rows(static_cast<std::size_t>(40 * C));
    for (std::size_t i = 0; i < b.size(); ++i)
      linea::cpu::weight_row_to_f32(decoder->weights().embedding, b[i], rows.data() + static_cast<std::int64_t>(i) * C);
    std::vector<std::int32_t> substituted = a;
    std::copy(b.begin(), b.end(), substituted.begin() + 100);

    linea::FeedOptions options = all_logits();
    options.chunk_size = static_cast<std::size_t>(chunk);
    const linea::EmbeddingRows image{100, rows};
    options.replaced = std::span<const linea::EmbeddingRows>(&image, 1);
    linea::Session with_rows(model, pool);
    const linea::FeedResult replaced = with_rows.feed(a, options);
    linea::Session with_tokens(model, pool);
    const linea::FeedResult expected = with_tokens.feed(substituted, all_logits());
    QVERIFY(max_difference(replaced.logits, expected.logits) < 1e-5);
    QCOMPARE(with_rows.tokens(), a);  // the placeholders are what the session remembers

    // Rows that do not fit are refused before anything is fed.
    const linea::EmbeddingRows past_the_end{280, rows};
    options.replaced = std::span<const linea::EmbeddingRows>(&past_the_end, 1);
    linea::Session refused(model, pool);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, refused.feed(a, options));
    QCOMPARE(refused.position(), std::uint64_t{0});
  }

  void memory_sizes_follow_the_config() {
    const auto model = linea::load_model(decoder_model("minimax_remote_b256"));
    const linea::ModelInfo& info = model->info();
    // 3 layers [lightning, softmax, lightning]; 4 heads of 24, 2 KV heads (config.json).
    QCOMPARE(info.memory_bytes_fixed, std::uint64_t{2 * 4 * 24 * 24 * 4});
    QCOMPARE(info.memory_bytes_per_token, std::uint64_t{1 * 2 * 2 * 24 * 4});
  }

  void lightning_forms_agree_through_the_model() {
    const auto model = linea::load_model(decoder_model("minimax_native_b64"));
    const auto* decoder = dynamic_cast<const linea::DecoderModel*>(model.get());
    QVERIFY(decoder);
    linea::cpu::ThreadPool pool(2);
    const std::vector<std::int32_t> tokens = random_tokens(300, model->info().n_vocab, 9);
    std::vector<float> block, recurrent;
    auto memory = model->new_memory();
    decoder->set_lightning_form(linea::cpu::LightningForm::block);
    model->forward(pool, tokens, *memory, linea::LogitsFor::all, block);
    memory = model->new_memory();
    decoder->set_lightning_form(linea::cpu::LightningForm::recurrent);
    model->forward(pool, tokens, *memory, linea::LogitsFor::all, recurrent);
    decoder->set_lightning_form(linea::cpu::LightningForm::automatic);
    const double difference = max_difference(block, recurrent);
    QVERIFY2(difference < 1e-5, qPrintable(QString("block vs recurrence: %1").arg(difference)));
  }

  void damaged_caches_are_refused() {
    const auto model = linea::load_model(decoder_model("minimax_remote_b256"));
    linea::cpu::ThreadPool pool(1);
    auto memory = model->new_memory();
    std::vector<float> logits;
    model->forward(pool, random_tokens(20, model->info().n_vocab, 3), *memory, linea::LogitsFor::none, logits);

    auto blobs_of = [&](const linea::Memory& m) {
      std::vector<linea::StateBlob> blobs;
      for (const linea::StateBlobView& view : m.blob_views())
        blobs.push_back({std::string(view.name), {view.bytes.begin(), view.bytes.end()}});
      return blobs;
    };
    const std::vector<linea::StateBlob> good = blobs_of(*memory);

    auto fresh = model->new_memory();
    std::vector<linea::StateBlob> torn = good;
    for (linea::StateBlob& blob : torn)
      if (blob.name == "layers.1.attention.keys") blob.bytes.resize(blob.bytes.size() - 4);
    QString error = error_of([&] { fresh->restore(torn, "torn.lstate"); });
    QVERIFY2(error.contains("torn.lstate") && error.contains("layers.1.attention.keys") &&
                 error.contains("not a whole number"),
             qPrintable(error));

    std::vector<linea::StateBlob> uneven = good;
    for (linea::StateBlob& blob : uneven)
      if (blob.name == "layers.1.attention.values") blob.bytes.resize(blob.bytes.size() - 2 * 24 * 4);
    error = error_of([&] { fresh->restore(uneven, "uneven.lstate"); });
    QVERIFY2(error.contains("layers.1.attention.values") && error.contains("19 positions"), qPrintable(error));

    std::vector<linea::StateBlob> missing;
    for (const linea::StateBlob& blob : good)
      if (blob.name != "layers.0.lightning") missing.push_back(blob);
    error = error_of([&] { fresh->restore(missing, "missing.lstate"); });
    QVERIFY2(error.contains("layers.0.lightning") && error.contains("missing"), qPrintable(error));
    QCOMPARE(fresh->byte_size(), model->new_memory()->byte_size());  // nothing changed by the failures

    fresh->restore(good, "good.lstate");
    QCOMPARE(fresh->positions().value_or(0), std::uint64_t{20});
  }

  void header_and_caches_must_agree() {
    const auto model = linea::load_model(decoder_model("minimax_remote_b256"));
    auto pool = std::make_shared<linea::cpu::ThreadPool>(1);
    linea::Session session(model, pool);
    session.feed(random_tokens(30, model->info().n_vocab, 4));
    linea::StateFileHeader header = session.state_header();
    header.token_count = 31;  // one more than the caches hold
    header.tokens.clear();
    std::vector<linea::StateBlobView> blobs = session.memory().blob_views();
    const std::vector<float> logits(session.last_logits().begin(), session.last_logits().end());
    blobs.push_back({"session.last_logits", std::as_bytes(std::span<const float>(logits))});
    QTemporaryDir dir;
    const std::filesystem::path file = dir.filePath(QStringLiteral("lying.lstate")).toStdString();
    linea::save_state_file(file, header, blobs);
    linea::Session reopened(model, pool);
    const QString error = error_of([&] { reopened.load(file); });
    QVERIFY2(error.contains("30 positions") && error.contains("31 tokens"), qPrintable(error));
    QCOMPARE(reopened.position(), std::uint64_t{0});
  }

  void bad_configs_name_the_key_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no layer kinds") << "minimax_remote_b256" << "attn_type_list" << "null"
                                    << "config key 'attn_type_list' is missing";
    QTest::newRow("short layer list") << "minimax_remote_b256" << "attn_type_list" << "[0, 1]"
                                      << "has 2 entries for 3 layers";
    QTest::newRow("bad layer kind") << "minimax_remote_b256" << "attn_type_list" << "[0, 2, 0]"
                                    << "must hold 0 (lightning) or 1 (softmax)";
    QTest::newRow("heads do not share") << "minimax_remote_b256" << "num_key_value_heads" << "3"
                                        << "must divide num_attention_heads";
    QTest::newRow("odd rotary") << "minimax_remote_b256" << "rotary_dim" << "13" << "must be even";
    QTest::newRow("wrong head size") << "minimax_remote_b256" << "head_dim" << "32"
                                     << "self_attn.qkv_proj.weight' (MiniMax layer 0 lightning qkv projection) has "
                                        "shape [288, 64], expected [384, 64]";
    QTest::newRow("vocabulary") << "minimax_native_b64" << "vocab_size" << "100"
                                << "'vocab_size' is 100 but the embedding has 128 rows";
    QTest::newRow("rope scaling") << "llama_tied" << "rope_scaling" << "{\"rope_type\": \"yarn\", \"factor\": 4}"
                                  << "rope_scaling' is set";
    QTest::newRow("shared expert") << "minimax_remote_b256" << "shared_intermediate_size" << "64"
                                   << "shared expert";
  }

  void bad_configs_name_the_key() {
    QFETCH(QString, name);
    QFETCH(QString, key);
    QFETCH(QString, json);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const std::string folder = edited_copy(dir, name.toUtf8().constData(), [&](nlohmann::json& config) {
      const nlohmann::json value = nlohmann::json::parse(json.toStdString());
      if (value.is_null())
        config.erase(key.toStdString());
      else
        config[key.toStdString()] = value;
    });
    const QString error = error_of([&] { linea::load_model(folder); });
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY2(error.contains(QString::fromStdString(folder)), qPrintable(error));  // names the file
  }
};

QTEST_APPLESS_MAIN(TestDecoderMemory)
#include "test_decoder_memory.moc"
