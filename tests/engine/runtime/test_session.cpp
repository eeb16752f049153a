// Sessions on a real RWKV-7 (the committed golden model): chunking and forking, generation, cancel,
// and state files: save -> load -> continue equals an uninterrupted run bit for bit, and a state from
// another model, a truncated file and a flipped byte are each refused with their own message.
#include "engine/io/format_error.h"
#include "engine/models/registry.h"
#include "engine/runtime/generation.h"
#include "engine/runtime/recurrent_state.h"
#include "engine/runtime/session.h"
#include "tests/engine/models/golden_models.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <filesystem>
#include <fstream>

namespace {

std::shared_ptr<const linea::Model> golden_model(std::size_t index, bool gguf = false) {
  const auto goldens = linea::test::read_golden_models();
  return linea::load_model(gguf ? goldens.at(index).gguf : goldens.at(index).hf_folder);
}

std::shared_ptr<linea::cpu::ThreadPool> pool() {
  static auto shared = std::make_shared<linea::cpu::ThreadPool>(2);
  return shared;
}

std::vector<std::int32_t> tokens(std::size_t count, std::int32_t seed, std::int32_t vocab) {
  std::vector<std::int32_t> out(count);
  for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<std::int32_t>((seed * 31 + i * 17 + i * i * 7) % vocab);
  return out;
}

// Everything a session's state is made of, as bytes, for exact comparison.
std::vector<std::byte> state_bytes(const linea::Session& session) {
  std::vector<std::byte> bytes;
  for (const linea::StateBlobView& blob : session.memory().blob_views())
    bytes.insert(bytes.end(), blob.bytes.begin(), blob.bytes.end());
  const auto logits = std::as_bytes(session.last_logits());
  bytes.insert(bytes.end(), logits.begin(), logits.end());
  return bytes;
}

bool same(std::span<const float> a, std::span<const float> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& error) {
    return error.what();
  }
  return {};
}

}  // namespace

class TestSession : public QObject {
  Q_OBJECT

 private slots:
  void freshSessionIsEmpty() {
    linea::Session session(golden_model(0), pool());
    QCOMPARE(session.position(), std::uint64_t{0});
    QVERIFY(session.last_logits().empty());
    QVERIFY(session.tokens().empty());
  }

  void badTokenIsRefusedAndNothingIsFed() {
    auto model = golden_model(0);
    linea::Session session(model, pool());
    session.feed(tokens(4, 1, 100));
    const std::vector<std::byte> before = state_bytes(session);
    const std::vector<std::int32_t> bad = {1, 2, static_cast<std::int32_t>(model->info().n_vocab)};
    const std::string message = error_of([&] { session.feed(bad); });
    QCOMPARE(message, "token " + std::to_string(model->info().n_vocab) +
                          " at position 2 is outside the vocabulary [0, " + std::to_string(model->info().n_vocab) +
                          ")");
    QCOMPARE(session.position(), std::uint64_t{4});
    QVERIFY(state_bytes(session) == before);
  }

  void forkedSessionsAreIndependent() {
    auto model = golden_model(0);
    const auto prefix = tokens(10, 2, 100), left = tokens(5, 3, 100), right = tokens(7, 4, 100);
    linea::Session original(model, pool());
    original.feed(prefix);
    linea::Session fork = original.fork();
    fork.feed(right);
    original.feed(left);

    linea::Session expected_left(model, pool()), expected_right(model, pool());
    expected_left.feed(prefix);
    expected_left.feed(left);
    expected_right.feed(prefix);
    expected_right.feed(right);
    QVERIFY(state_bytes(original) == state_bytes(expected_left));
    QVERIFY(state_bytes(fork) == state_bytes(expected_right));
    QCOMPARE(fork.position(), std::uint64_t{17});
    QCOMPARE(original.position(), std::uint64_t{15});
  }

  void saveLoadContinueEqualsUninterrupted() {
    auto model = golden_model(1);
    const auto first = tokens(23, 5, 96), second = tokens(11, 6, 96);
    QTemporaryDir dir;
    const std::filesystem::path file = dir.filePath("state.lstate").toStdString();

    linea::Session uninterrupted(model, pool());
    uninterrupted.feed(first);
    uninterrupted.feed(second);

    linea::Session writer(model, pool());
    writer.feed(first);
    writer.save(file);
    const linea::StateFileHeader header = linea::read_state_file_header(file);
    QCOMPARE(header.architecture, std::string("rwkv7"));
    QCOMPARE(header.model_fingerprint, model->info().fingerprint);
    QCOMPARE(header.token_count, std::uint64_t{23});
    QCOMPARE(header.tokens, first);

    linea::Session reader(model, pool());
    reader.load(file);
    QCOMPARE(reader.position(), std::uint64_t{23});
    QCOMPARE(reader.tokens(), first);
    QVERIFY(same(reader.last_logits(), writer.last_logits()));
    reader.feed(second);
    QVERIFY(state_bytes(reader) == state_bytes(uninterrupted));
    QCOMPARE(reader.tokens(), uninterrupted.tokens());
  }

  void generationContinuesAfterLoadExactly() {
    auto model = golden_model(0);
    const auto prompt = tokens(9, 7, 128);
    linea::GenerationOptions options;
    options.sampling.temperature = 0;  // greedy: the continuation depends only on the state
    options.max_tokens = 16;
    linea::Session uninterrupted(model, pool());
    const auto whole = linea::generate(uninterrupted, prompt, options).tokens;
    QCOMPARE(whole.size(), std::size_t{16});

    QTemporaryDir dir;
    const std::filesystem::path file = dir.filePath("half.lstate").toStdString();
    options.max_tokens = 8;
    linea::Session first_half(model, pool());
    auto generated = linea::generate(first_half, prompt, options).tokens;
    first_half.save(file);
    linea::Session second_half(model, pool());
    second_half.load(file);
    const auto rest = linea::generate(second_half, {}, options).tokens;
    generated.insert(generated.end(), rest.begin(), rest.end());
    QCOMPARE(generated, whole);
    QVERIFY(state_bytes(second_half) == state_bytes(uninterrupted));
  }

  void stateFromAnotherModelIsRefused() {
    QTemporaryDir dir;
    const std::filesystem::path file = dir.filePath("other.lstate").toStdString();
    linea::Session writer(golden_model(0), pool());
    writer.feed(tokens(5, 8, 96));
    writer.save(file);

    for (const auto& other : {golden_model(1), golden_model(0, /*gguf=*/true)}) {
      linea::Session reader(other, pool());
      reader.feed(tokens(3, 9, 96));
      const std::vector<std::byte> before = state_bytes(reader);
      const std::string message = error_of([&] { reader.load(file); });
      QVERIFY2(message.find("was made by model " + writer.model().info().fingerprint) != std::string::npos,
               message.c_str());
      QVERIFY2(message.find(other->info().fingerprint) != std::string::npos, message.c_str());
      QVERIFY(state_bytes(reader) == before);  // unchanged
      QCOMPARE(reader.position(), std::uint64_t{3});
    }
  }

  void damagedFilesAreRefusedWithTheirOwnMessages() {
    auto model = golden_model(0);
    QTemporaryDir dir;
    const std::filesystem::path good = dir.filePath("good.lstate").toStdString();
    linea::Session writer(model, pool());
    writer.feed(tokens(12, 10, 128));
    writer.save(good);
    const auto size = std::filesystem::file_size(good);

    const std::filesystem::path truncated = dir.filePath("truncated.lstate").toStdString();
    std::filesystem::copy_file(good, truncated);
    std::filesystem::resize_file(truncated, size - 100);

    const std::filesystem::path flipped = dir.filePath("flipped.lstate").toStdString();
    std::filesystem::copy_file(good, flipped);
    {
      std::fstream file(flipped, std::ios::in | std::ios::out | std::ios::binary);
      file.seekg(static_cast<std::streamoff>(size - 1000));
      char byte = 0;
      file.read(&byte, 1);
      byte = static_cast<char>(byte ^ 0x10);
      file.seekp(static_cast<std::streamoff>(size - 1000));
      file.write(&byte, 1);
    }

    linea::Session reader(model, pool());
    const std::string truncated_message = error_of([&] { reader.load(truncated); });
    const std::string flipped_message = error_of([&] { reader.load(flipped); });
    qInfo("truncated: %s", truncated_message.c_str());
    qInfo("flipped:   %s", flipped_message.c_str());
    QVERIFY2(truncated_message.find("truncated") != std::string::npos, truncated_message.c_str());
    QVERIFY2(flipped_message.find("checksum mismatch") != std::string::npos, flipped_message.c_str());
    QVERIFY(truncated_message.find(truncated.string()) != std::string::npos);
    QVERIFY(flipped_message.find(flipped.string()) != std::string::npos);
    QCOMPARE(reader.position(), std::uint64_t{0});  // unchanged
    reader.load(good);                              // the intact file still loads
    QVERIFY(state_bytes(reader) == state_bytes(writer));
  }

  void cancelStopsBetweenChunks() {
    auto model = golden_model(0);
    const auto text = tokens(40, 11, 128);
    std::atomic<bool> cancel{false};
    linea::FeedOptions options;
    options.chunk_size = 8;
    options.cancel = &cancel;
    options.on_chunk = [&](std::uint64_t done, std::uint64_t total) {
      QCOMPARE(total, std::uint64_t{40});
      if (done == 16) cancel = true;
    };
    linea::Session session(model, pool());
    const linea::FeedResult result = session.feed(text, options);
    QVERIFY(result.cancelled);
    QCOMPARE(result.tokens_fed, std::uint64_t{16});
    QCOMPARE(session.position(), std::uint64_t{16});
    linea::Session expected(model, pool());
    expected.feed(std::span(text).first(16));
    QVERIFY(state_bytes(session) == state_bytes(expected));
  }

  void generationStopsOnStopTokenCallbackAndCancel() {
    auto model = golden_model(0);
    const auto prompt = tokens(6, 12, 128);
    linea::GenerationOptions options;
    options.sampling.temperature = 0;
    options.max_tokens = 20;
    linea::Session probe(model, pool());
    const auto greedy = linea::generate(probe, prompt, options).tokens;
    QCOMPARE(probe.position(), prompt.size() + 20);

    // Stop token: the 5th greedy token.
    options.stop_tokens = {greedy[4]};
    const auto first_stop =
        static_cast<std::size_t>(std::find(greedy.begin(), greedy.end(), greedy[4]) - greedy.begin());
    linea::Session a(model, pool());
    const auto stopped = linea::generate(a, prompt, options);
    QCOMPARE(stopped.reason, linea::StopReason::stop_token);
    QCOMPARE(stopped.tokens.size(), first_stop + 1);
    options.stop_tokens.clear();

    // Callback: stop after three tokens.
    linea::Session b(model, pool());
    int seen = 0;
    const auto by_callback =
        linea::generate(b, prompt, options, nullptr, [&](std::int32_t, std::string_view) { return ++seen < 3; });
    QCOMPARE(by_callback.reason, linea::StopReason::callback);
    QCOMPARE(by_callback.tokens.size(), std::size_t{3});

    // Cancel flag set from another thread while generating.
    std::atomic<bool> cancel{false};
    options.cancel = &cancel;
    options.max_tokens = 100000;
    linea::Session c(model, pool());
    std::atomic<int> produced{0};
    std::thread canceller([&] {
      while (produced.load() < 5) std::this_thread::yield();
      cancel = true;
    });
    const auto by_cancel = linea::generate(c, prompt, options, nullptr, [&](std::int32_t, std::string_view) {
      ++produced;
      return true;
    });
    canceller.join();
    QCOMPARE(by_cancel.reason, linea::StopReason::cancelled);
    QVERIFY(by_cancel.tokens.size() >= 5 && by_cancel.tokens.size() < 100000);
    QCOMPARE(c.position(), prompt.size() + by_cancel.tokens.size());
  }

  void samplingIsDeterministicPerSeed() {
    auto model = golden_model(0);
    const auto prompt = tokens(5, 13, 128);
    auto run = [&](std::uint64_t seed) {
      linea::GenerationOptions options;
      options.sampling.temperature = 1.0f;
      options.sampling.seed = seed;
      options.max_tokens = 24;
      linea::Session session(model, pool());
      return linea::generate(session, prompt, options).tokens;
    };
    QCOMPARE(run(7), run(7));
    QVERIFY(run(7) != run(8));
  }

  void generateNeedsSomethingToContinueFrom() {
    linea::Session session(golden_model(0), pool());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, linea::generate(session, {}, {}));
  }
};

QTEST_APPLESS_MAIN(TestSession)
#include "test_session.moc"
