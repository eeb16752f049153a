// Documents in the real window with the real engine and rwkv.cpp's tiny RWKV-7 (../shared/testdata):
// a 200-page PDF made here is dropped on the window and read into a state; a restarted window on the
// same folder answers from that state without reading the document again; two chats branched from
// one document diverge; a read that is cancelled, resumed, and cut off by quitting resumes from its
// checkpoint after a restart and ends in the state an uninterrupted read reaches.
#include "app/gui/documents/document_library.h"
#include "app/gui/documents/ingestion_panel.h"
#include "engine/runtime/model_bundle.h"
#include "engine/runtime/session.h"
#include "engine/runtime/state_file.h"
#include "tests/app/gui/gui_test_support.h"
#include "tests/app/gui/test_pdf.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace linea::gui;
using linea::test::AppInstance;

namespace {

constexpr int kPdfPages = 200;

void writeText(const QString& path, const QString& text) {
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write(text.toUtf8());
}

QString longText(int sentences) {
  QString text = QStringLiteral("# Field notes\n\n");
  for (int i = 0; i < sentences; ++i)
    text += QStringLiteral("Note %1: the tide came in at %2 and the gulls counted %3.\n").arg(i).arg(i % 24).arg(i * 3);
  return text;
}

Conversation conversationOf(AppInstance& app, const QUuid& id) {
  const Conversation* found = app.store.find(id);
  return found ? *found : Conversation();
}

}  // namespace

class TestDocumentsWithModel : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { linea::test::isolateSettings(settings_.path()); }
  void init() {
    // Every case but the first reads documents with the tiny model.
    if (qstrcmp(QTest::currentTestFunction(), "onlyDocumentsAreTakenAndTheyNeedAModel") != 0)
      LINEA_REQUIRE_TESTDATA(linea::test::kTinyModel);
  }

  void onlyDocumentsAreTakenAndTheyNeedAModel() {
    QTemporaryDir dir;
    const QString image = dir.filePath(QStringLiteral("photo.png"));
    const QString notes = dir.filePath(QStringLiteral("notes.md"));
    QImage(8, 8, QImage::Format_RGB32).save(image);
    writeText(notes, QStringLiteral("# Notes\n"));
    AppInstance app(dir.filePath(QStringLiteral("conversations")));
    QVERIFY(!app.drop({image}));  // an image is not a document
    QVERIFY(app.drop({notes}));   // taken, but there is no model to read it into
    auto* dialog = app.window.findChild<QMessageBox*>(QStringLiteral("documentErrorDialog"));
    QVERIFY(dialog);
    QVERIFY2(dialog->text().contains(QStringLiteral("Open a model first")), qPrintable(dialog->text()));
    dialog->button(QMessageBox::Ok)->click();
    QCOMPARE(app.store.size(), 0);
    QVERIFY(!QDir(app.documents().library().folder()).exists());
  }

  void droppedPdfIsReadOnceAndReopensFromItsState() {
    QTemporaryDir dir;
    const QString pdf = dir.filePath(QStringLiteral("book.pdf"));
    linea::test::writeTextPdf(pdf, kPdfPages);
    QUuid conversationId;
    qint64 documentTokens = 0;
    double ingestionSeconds = 0;
    QString stateFile;
    {
      AppInstance app(dir.filePath(QStringLiteral("conversations")));
      QVERIFY(app.loadTinyModel());
      QSignalSpy ready(&app.documents(), &DocumentWorkflow::documentReady);
      QSignalSpy finished(&app.engine, &EngineController::ingestionFinished);
      QSignalSpy progress(&app.engine, &EngineController::ingestionProgress);
      QElapsedTimer clock;
      clock.start();
      QVERIFY(app.drop({pdf}));
      auto* panel = app.child<IngestionPanel>("ingestionPanel");
      QVERIFY(panel->isVisible());
      QCOMPARE(panel->mode(), IngestionPanel::Mode::running);
      QVERIFY(!app.sendButton()->isEnabled());  // one engine thread: no reply while it reads
      QVERIFY(ready.wait(600000));
      ingestionSeconds = static_cast<double>(clock.elapsed()) / 1000.0;

      // Progress came in both phases, with the numbers the panel shows.
      bool sawPages = false, sawTokens = false;
      for (const QList<QVariant>& signal : progress) {
        const auto update = signal.at(0).value<IngestionUpdate>();
        if (update.phase == IngestionUpdate::Phase::reading) sawPages |= update.pagesTotal == kPdfPages;
        if (update.phase == IngestionUpdate::Phase::ingesting)
          sawTokens |= update.total > 0 && update.done <= update.total && update.memoryMiB > 0;
      }
      QVERIFY(sawPages);
      QVERIFY(sawTokens);
      const auto outcome = finished.at(0).at(0).value<IngestionOutcome>();
      QVERIFY(outcome.completed);
      QCOMPARE(outcome.done, outcome.total);
      QVERIFY2(outcome.total > kPdfPages * 60, qPrintable(QString::number(outcome.total)));  // every page's text

      conversationId = ready.at(0).at(0).toUuid();
      QCOMPARE(app.window.currentConversation(), conversationId);
      const Conversation conversation = conversationOf(app, conversationId);
      QCOMPARE(conversation.title, QStringLiteral("book.pdf"));
      QCOMPARE(conversation.document.sourceFiles, QStringList{pdf});
      QCOMPARE(conversation.document.tokenCount, outcome.total);
      documentTokens = conversation.document.tokenCount;
      stateFile = app.documents().stateFileFor(conversation);
      QVERIFY(stateFile.startsWith(app.store.folder()));
      QVERIFY(QFileInfo::exists(stateFile));
      // Nothing of the job is left but the state.
      QCOMPARE(QDir(app.documents().library().folder()).entryList(QDir::Files),
               QStringList{QFileInfo(stateFile).fileName()});
      QCOMPARE(panel->mode(), IngestionPanel::Mode::document);
      QVERIFY(app.sendButton()->isEnabled());
      qInfo("ingested %d pages: %lld tokens in %.2f s (read %.2f s + model %.2f s, %.0f tokens/s)", kPdfPages,
            documentTokens, ingestionSeconds, outcome.readSeconds, outcome.ingestSeconds, outcome.tokensPerSecond);
    }

    // "Restart": a new store, engine and window on the same folder; the source PDF is gone.
    QVERIFY(QFile::remove(pdf));
    AppInstance app(dir.filePath(QStringLiteral("conversations")));
    QVERIFY(app.loadTinyModel());
    QElapsedTimer reopen;
    reopen.start();
    app.window.showConversation(conversationId);
    QCOMPARE(app.child<IngestionPanel>("ingestionPanel")->mode(), IngestionPanel::Mode::document);
    Conversation conversation = conversationOf(app, conversationId);
    conversation.sampling.maxNewTokens = 4;
    QVERIFY(app.store.save(conversation));
    QSignalSpy replies(&app.engine, &EngineController::replyFinished);
    QSignalSpy progress(&app.engine, &EngineController::ingestionProgress);
    app.send(QStringLiteral("What is on page 7?"));
    QVERIFY(replies.wait(120000));
    const double reopenSeconds = static_cast<double>(reopen.elapsed()) / 1000.0;
    const auto stats = replies.at(0).at(2).value<ReplyStats>();
    QVERIFY(stats.stateLoaded);
    QCOMPARE(stats.documentTokens, documentTokens);
    QCOMPARE(stats.reusedTokens, documentTokens);  // the whole document came from the state file
    QVERIFY2(stats.promptTokens < 64, qPrintable(QString::number(stats.promptTokens)));  // only the question
    QVERIFY(stats.contextTokens > documentTokens);
    QCOMPARE(progress.count(), 0);  // no ingestion ran
    qInfo(
        "reopened: state of %lld tokens loaded in %.4f s; first reply (%lld tokens) %.2f s after showing the "
        "conversation; ingestion took %.2f s",
        documentTokens, stats.stateLoadSeconds, stats.replyTokens, reopenSeconds, ingestionSeconds);
  }

  void chatsBranchedFromOneDocumentDiverge() {
    QTemporaryDir dir;
    const QString notes = dir.filePath(QStringLiteral("notes.md"));
    writeText(notes, longText(40));
    AppInstance app(dir.filePath(QStringLiteral("conversations")));
    QVERIFY(app.loadTinyModel());
    QSignalSpy ready(&app.documents(), &DocumentWorkflow::documentReady);
    const QUuid source = app.documents().openDocuments({notes});
    QVERIFY(!source.isNull());
    QVERIFY(ready.wait(300000));
    const Conversation original = conversationOf(app, source);
    QVERIFY(original.document.tokenCount > 0);

    // Branch through the panel's button and through the menu action.
    QSignalSpy shown(&app.documents(), &DocumentWorkflow::showConversationRequested);
    app.child<QPushButton>("branchDocumentButton")->click();
    QCOMPARE(shown.count(), 1);
    const QUuid first = shown.at(0).at(0).toUuid();
    QCOMPARE(app.window.currentConversation(), first);
    app.window.showConversation(source);
    QVERIFY(app.documents().branchAction()->isEnabled());
    app.documents().branchAction()->trigger();
    QCOMPARE(shown.count(), 2);
    const QUuid second = shown.at(1).at(0).toUuid();
    QVERIFY(first != second && first != source && second != source);
    QCOMPARE(app.store.size(), 3);

    QSignalSpy replies(&app.engine, &EngineController::replyFinished);
    QStringList texts;
    int seed = 1;
    for (const QUuid& branch : {first, second}) {
      Conversation conversation = conversationOf(app, branch);
      QCOMPARE(conversation.document, original.document);  // the same state, shared
      conversation.sampling.seed = seed++;
      conversation.sampling.temperature = 1.0;
      conversation.sampling.maxNewTokens = 32;
      QVERIFY(app.store.save(conversation));
      app.window.showConversation(branch);
      app.send(QStringLiteral("Which note mentions the gulls?"));
      QVERIFY(replies.wait(120000));
      const auto stats = replies.last().at(2).value<ReplyStats>();
      QCOMPARE(stats.documentTokens, original.document.tokenCount);
      QVERIFY(stats.stateLoaded);  // each branch starts from the file, not from the other's session
      QVERIFY2(stats.promptTokens < 64, qPrintable(QString::number(stats.promptTokens)));
      texts << replies.last().at(1).toString();
    }
    QVERIFY2(texts[0] != texts[1], qPrintable(texts.join(QStringLiteral(" | "))));
    QCOMPARE(conversationOf(app, first).messages.size(), 2);
    QCOMPARE(conversationOf(app, second).messages.size(), 2);
    QCOMPARE(conversationOf(app, source).messages.size(), 0);  // the original is untouched

    // The state stays while any conversation uses it, and goes with the last one.
    const QString stateFile = app.documents().stateFileFor(original);
    QVERIFY(app.store.remove(source));
    QVERIFY(app.store.remove(first));
    QVERIFY(QFileInfo::exists(stateFile));
    QVERIFY(app.store.remove(second));
    QVERIFY(!QFileInfo::exists(stateFile));
  }

  void cancelledAndInterruptedReadsResumeFromTheirCheckpoint() {
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("conversations"));
    const QString notes = dir.filePath(QStringLiteral("long-notes.txt"));
    writeText(notes, longText(260));
    QUuid conversationId;
    QString job;
    qint64 stoppedAt = 0;
    {
      AppInstance app(folder);
      QVERIFY(app.loadTinyModel());
      QSignalSpy progress(&app.engine, &EngineController::ingestionProgress);
      QSignalSpy stopped(&app.documents(), &DocumentWorkflow::ingestionStopped);
      conversationId = app.documents().openDocuments({notes});
      job = app.documents().runningJob();
      QVERIFY(!job.isEmpty());
      // Cancel once the model has read something.
      QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().at(0).value<IngestionUpdate>().phase ==
                                                          IngestionUpdate::Phase::ingesting,
                               120000);
      app.child<QPushButton>("cancelIngestionButton")->click();
      QVERIFY(stopped.wait(60000));
      auto pending = app.documents().library().findPending(job);
      QVERIFY(pending && pending->paused);
      QVERIFY(pending->doneTokens > 0 && pending->doneTokens < pending->totalTokens);
      stoppedAt = pending->doneTokens;
      QVERIFY(QFileInfo::exists(app.documents().library().checkpointFile(job)));
      QCOMPARE(linea::read_state_file_header(app.documents().library().checkpointFile(job).toStdString()).token_count,
               quint64(stoppedAt));
      auto* panel = app.child<IngestionPanel>("ingestionPanel");
      QCOMPARE(panel->mode(), IngestionPanel::Mode::paused);
      QVERIFY(app.child<QPushButton>("resumeIngestionButton")->isVisible());

      // Resume, then quit the app in the middle of it.
      progress.clear();
      app.child<QPushButton>("resumeIngestionButton")->click();
      QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().at(0).value<IngestionUpdate>().phase ==
                                                          IngestionUpdate::Phase::ingesting,
                               120000);
      const auto resumed = progress.last().at(0).value<IngestionUpdate>();
      QCOMPARE(resumed.resumedFrom, stoppedAt);
      QVERIFY(resumed.done > stoppedAt);
      QVERIFY(resumed.done < resumed.total);
    }  // the window and the engine close here, mid-read

    AppInstance app(folder);
    auto pending = app.documents().library().findPending(job);
    QVERIFY(pending && !pending->paused);  // cut off, not stopped by the user
    const quint64 checkpointed =
        linea::read_state_file_header(app.documents().library().checkpointFile(job).toStdString()).token_count;
    QVERIFY(checkpointed > quint64(stoppedAt));
    QSignalSpy progress(&app.engine, &EngineController::ingestionProgress);
    QSignalSpy ready(&app.documents(), &DocumentWorkflow::documentReady);
    QVERIFY(app.loadTinyModel());  // the job resumes with its model
    QVERIFY(ready.wait(300000));
    QCOMPARE(ready.at(0).at(0).toUuid(), conversationId);
    bool sawResume = false;
    for (const QList<QVariant>& signal : progress) {
      const auto update = signal.at(0).value<IngestionUpdate>();
      if (update.phase == IngestionUpdate::Phase::ingesting) sawResume |= update.resumedFrom == qint64(checkpointed);
      QVERIFY(update.phase == IngestionUpdate::Phase::ingesting);  // the text came from the first run
    }
    QVERIFY(sawResume);

    // The state equals one read in a single uninterrupted pass over the same tokens.
    const QString stateFile = app.documents().stateFileFor(conversationOf(app, conversationId));
    const linea::StateFile resumedState = linea::load_state_file(stateFile.toStdString());
    const linea::ModelBundle bundle =
        linea::open_model_bundle(linea::test::testdataPath(linea::test::kTinyModel).toStdString());
    linea::Session straight(bundle.model, std::make_shared<linea::cpu::ThreadPool>(2));
    straight.feed(resumedState.header.tokens);
    std::vector<linea::StateBlobView> expected = straight.memory().blob_views();
    int compared = 0;
    for (const linea::StateBlobView& blob : expected) {
      auto found = std::find_if(resumedState.blobs.begin(), resumedState.blobs.end(),
                                [&](const linea::StateBlob& saved) { return saved.name == blob.name; });
      QVERIFY2(found != resumedState.blobs.end(), blob.name.data());
      QCOMPARE(found->bytes.size(), blob.bytes.size());
      QVERIFY2(std::memcmp(found->bytes.data(), blob.bytes.data(), blob.bytes.size()) == 0, blob.name.data());
      ++compared;
    }
    QVERIFY(compared > 0);
    QVERIFY(!app.documents().library().findPending(job));
  }

 private:
  QTemporaryDir settings_;
};

QTEST_MAIN(TestDocumentsWithModel)
#include "test_documents_with_model.moc"
