// Long ingestion: chunked with progress, checkpointed, cancellable; an ingestion stopped mid-way
// (cancelled, or crashed by an exception) resumes from its last checkpoint and ends in exactly the
// state of an uninterrupted run.
#include "engine/models/registry.h"
#include "engine/runtime/ingestion.h"
#include "tests/engine/models/golden_models.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <filesystem>

namespace {

std::shared_ptr<const linea::Model> model() {
  static auto loaded = linea::load_model(linea::test::read_golden_models().at(0).hf_folder);
  return loaded;
}

std::shared_ptr<linea::cpu::ThreadPool> pool() {
  static auto shared = std::make_shared<linea::cpu::ThreadPool>(2);
  return shared;
}

std::vector<std::int32_t> document(std::size_t count, int seed) {
  std::vector<std::int32_t> out(count);
  std::uint32_t x = static_cast<std::uint32_t>(seed) * 2654435761u + 1;
  for (auto& token : out) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    token = static_cast<std::int32_t>(x % 128);
  }
  return out;
}

std::vector<std::byte> state_bytes(const linea::Session& session) {
  std::vector<std::byte> bytes;
  for (const auto& blob : session.memory().blob_views())
    bytes.insert(bytes.end(), blob.bytes.begin(), blob.bytes.end());
  const auto logits = std::as_bytes(session.last_logits());
  bytes.insert(bytes.end(), logits.begin(), logits.end());
  return bytes;
}

struct Crash : std::runtime_error {
  Crash() : std::runtime_error("simulated crash") {}
};

}  // namespace

class TestIngestion : public QObject {
  Q_OBJECT

 private slots:
  void checkpointedIngestionEqualsPlainFeeding() {
    const auto doc = document(700, 1);
    linea::Session plain(model(), pool());
    plain.feed(doc);

    QTemporaryDir dir;
    linea::IngestionOptions options;
    options.chunk_size = 64;
    options.checkpoint_every = 150;
    options.checkpoint_file = dir.filePath("doc.lstate").toStdString();
    std::vector<std::uint64_t> progress;
    options.on_progress = [&](const linea::IngestionProgress& p) {
      QCOMPARE(p.total, std::uint64_t{700});
      QVERIFY(p.tokens_per_second >= 0);
      progress.push_back(p.done);
    };
    linea::Session session(model(), pool());
    const linea::IngestionResult result = linea::ingest(session, doc, options);
    QVERIFY(result.completed);
    QVERIFY(!result.cancelled);
    QCOMPARE(result.done, std::uint64_t{700});
    QCOMPARE(result.checkpoints_written, std::uint64_t{5});  // at 150, 300, 450, 600 and the end
    QVERIFY(std::is_sorted(progress.begin(), progress.end()));
    QCOMPARE(progress.back(), std::uint64_t{700});
    for (std::uint64_t mark : {150u, 300u, 450u, 600u})
      QVERIFY(std::find(progress.begin(), progress.end(), mark) != progress.end());
    QVERIFY(state_bytes(session) == state_bytes(plain));
    // The last checkpoint is the final state.
    linea::Session reopened(model(), pool());
    reopened.load(options.checkpoint_file);
    QVERIFY(state_bytes(reopened) == state_bytes(plain));
  }

  void interruptedIngestionResumesToTheSameEnd_data() {
    QTest::addColumn<bool>("crash");
    QTest::newRow("cancelled") << false;
    QTest::newRow("crashed") << true;
  }

  void interruptedIngestionResumesToTheSameEnd() {
    QFETCH(bool, crash);
    const auto base = document(20, 2), doc = document(1000, 3);
    linea::Session uninterrupted(model(), pool());
    uninterrupted.feed(base);
    uninterrupted.feed(doc);

    QTemporaryDir dir;
    linea::IngestionOptions options;
    options.chunk_size = 100;
    options.checkpoint_every = 256;
    options.checkpoint_file = dir.filePath("doc.lstate").toStdString();
    std::atomic<bool> cancel{false};
    options.cancel = &cancel;
    options.on_progress = [&](const linea::IngestionProgress& p) {
      if (p.done >= 600) {
        if (crash) throw Crash();
        cancel = true;
      }
    };
    {
      linea::Session first(model(), pool());
      first.feed(base);
      if (crash) {
        QVERIFY_THROWS_EXCEPTION(Crash, linea::ingest(first, doc, options));
      } else {
        const auto result = linea::ingest(first, doc, options);
        QVERIFY(result.cancelled);
        QVERIFY(!result.completed);
        QCOMPARE(result.done, std::uint64_t{612});  // chunks of 100, cut at the checkpoints 256 and 512
      }
    }  // the first run's session is gone, as after a crash
    QCOMPARE(linea::read_state_file_header(options.checkpoint_file).token_count, std::uint64_t{20 + 512});

    cancel = false;
    options.on_progress = {};
    options.resume = true;
    linea::Session second(model(), pool());
    second.feed(base);
    const auto result = linea::ingest(second, doc, options);
    QCOMPARE(result.resumed_from, std::uint64_t{512});
    QVERIFY(result.completed);
    QCOMPARE(second.position(), std::uint64_t{1020});
    QVERIFY(state_bytes(second) == state_bytes(uninterrupted));
    QCOMPARE(second.tokens(), uninterrupted.tokens());
  }

  void resumeRefusesACheckpointOfOtherText() {
    QTemporaryDir dir;
    linea::IngestionOptions options;
    options.checkpoint_every = 50;
    options.checkpoint_file = dir.filePath("doc.lstate").toStdString();
    {
      linea::Session session(model(), pool());
      linea::ingest(session, document(120, 4), options);
    }
    options.resume = true;
    auto other = document(300, 5);
    linea::Session session(model(), pool());
    try {
      linea::ingest(session, other, options);
      QFAIL("expected the checkpoint to be refused");
    } catch (const std::runtime_error& error) {
      const std::string message = error.what();
      QVERIFY2(message.find("was made from other text: token ") != std::string::npos, message.c_str());
    }
    QCOMPARE(session.position(), std::uint64_t{0});
  }

  void resumeOfAFinishedIngestionDoesNothingMore() {
    QTemporaryDir dir;
    linea::IngestionOptions options;
    options.checkpoint_every = 64;
    options.checkpoint_file = dir.filePath("doc.lstate").toStdString();
    const auto doc = document(200, 6);
    linea::Session first(model(), pool());
    linea::ingest(first, doc, options);
    options.resume = true;
    linea::Session second(model(), pool());
    const auto result = linea::ingest(second, doc, options);
    QCOMPARE(result.resumed_from, std::uint64_t{200});
    QVERIFY(result.completed);
    QCOMPARE(result.checkpoints_written, std::uint64_t{0});
    QVERIFY(state_bytes(second) == state_bytes(first));
  }
};

QTEST_APPLESS_MAIN(TestIngestion)
#include "test_ingestion.moc"
