// How long the GUI event loop stalls while the engine works: a 5 ms timer on the GUI thread records
// the longest gap between its ticks while the tiny model writes a long reply, and while a large
// document is read (text extraction and ingestion). The engine runs on its own thread, so the GUI
// thread only receives batched text (every 30 ms) and progress (every 100 ms).
//
// The bound asserted is kStallBoundMs. The goal is 50 ms; the bound is wider because this test
// also runs on loaded 2-core CI machines where the GUI thread shares its cores with the engine's
// threads and other builds, and the scheduler alone can delay it by tens of milliseconds. What the
// bound catches is engine work on the GUI thread: reading the document below there takes seconds,
// and even one 256-token ingestion chunk of the tiny model takes about 100 ms on such a machine.
#include "tests/app/gui/gui_test_support.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace linea::gui;
using linea::test::AppInstance;
using linea::test::EventLoopStallMeter;

namespace {

constexpr double kStallBoundMs = 100.0;

}  // namespace

class TestGuiResponsiveness : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { linea::test::isolateSettings(settings_.path()); }
  void init() { LINEA_REQUIRE_TESTDATA(linea::test::kTinyModel); }

  void eventLoopKeepsTickingWhileTheModelWrites() {
    QTemporaryDir dir;
    AppInstance app(dir.filePath(QStringLiteral("conversations")));
    QVERIFY(app.loadTinyModel());
    Conversation conversation = Conversation::createNew(QStringLiteral("long reply"));
    conversation.sampling.maxNewTokens = 600;
    conversation.sampling.seed = 7;
    QVERIFY(app.store.save(conversation));
    app.window.showConversation(conversation.id);
    QTest::qWait(200);  // let showing settle before measuring

    QSignalSpy pieces(&app.engine, &EngineController::replyText);
    QSignalSpy finished(&app.engine, &EngineController::replyFinished);
    EventLoopStallMeter meter;
    meter.start();
    app.send(QStringLiteral("Tell me a very long story about the sea."));
    QVERIFY(finished.wait(300000));
    meter.stop();
    const auto stats = finished.at(0).at(2).value<ReplyStats>();
    qInfo("generating %lld tokens (%.0f tokens/s, %lld batches): longest GUI stall %.1f ms over %lld ticks",
          stats.replyTokens, stats.tokensPerSecond, qint64(pieces.count()), meter.longestGapMs(), meter.ticks());
    QVERIFY2(stats.replyTokens >= 100, "the reply was too short to measure anything");
    QVERIFY2(meter.longestGapMs() <= kStallBoundMs, qPrintable(QString::number(meter.longestGapMs())));
  }

  void eventLoopKeepsTickingWhileADocumentIsRead() {
    QTemporaryDir dir;
    const QString document = dir.filePath(QStringLiteral("large.md"));
    {
      QFile file(document);
      QVERIFY(file.open(QIODevice::WriteOnly));
      for (int i = 0; i < 600; ++i)
        file.write(
            QStringLiteral("Line %1 of a large document, about lighthouses and their keepers.\n").arg(i).toUtf8());
    }
    AppInstance app(dir.filePath(QStringLiteral("conversations")));
    QVERIFY(app.loadTinyModel());
    QSignalSpy progress(&app.engine, &EngineController::ingestionProgress);
    QSignalSpy ready(&app.documents(), &DocumentWorkflow::documentReady);
    EventLoopStallMeter meter;
    meter.start();
    QVERIFY(app.drop({document}));
    QVERIFY(ready.wait(600000));
    meter.stop();
    const auto last = progress.last().at(0).value<IngestionUpdate>();
    qInfo("reading %lld tokens (%.0f tokens/s, %lld progress updates): longest GUI stall %.1f ms over %lld ticks",
          last.total, last.tokensPerSecond, qint64(progress.count()), meter.longestGapMs(), meter.ticks());
    QVERIFY2(last.total >= 30000, "the document was too small to measure anything");
    QVERIFY2(meter.longestGapMs() <= kStallBoundMs, qPrintable(QString::number(meter.longestGapMs())));
  }

 private:
  QTemporaryDir settings_;
};

QTEST_MAIN(TestGuiResponsiveness)
#include "test_gui_responsiveness.moc"
