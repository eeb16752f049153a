// The files of a conversation's documents: job records round-trip, finishing keeps only the state,
// discarding removes everything, and states no conversation refers to are cleaned up (those of
// pending jobs are not).
#include "app/gui/documents/document_library.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace linea::gui;

namespace {

void touch(const QString& path) {
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write("x");
}

PendingIngestion pendingJob(const QString& job) {
  PendingIngestion pending;
  pending.job = job;
  pending.conversation = QUuid::createUuid();
  pending.sources = {QStringLiteral("/docs/a.pdf"), QStringLiteral("/docs/b.md")};
  pending.modelPath = QStringLiteral("/models/m.gguf");
  pending.created = QDateTime::currentDateTimeUtc();
  return pending;
}

}  // namespace

class TestDocumentLibrary : public QObject {
  Q_OBJECT

 private slots:
  void pathsLiveInTheConversationFolder() {
    DocumentLibrary library(QStringLiteral("/data/conversations"));
    QCOMPARE(library.folder(), QStringLiteral("/data/conversations/documents"));
    QCOMPARE(library.stateFile(QStringLiteral("j")), QStringLiteral("/data/conversations/documents/j.lstate"));
    QCOMPARE(library.storedStatePath(QStringLiteral("j")), QStringLiteral("documents/j.lstate"));
    QCOMPARE(library.resolveStoredPath(QStringLiteral("documents/j.lstate")), library.stateFile(QStringLiteral("j")));
    QCOMPARE(library.resolveStoredPath(QStringLiteral("/elsewhere/s.lstate")), QStringLiteral("/elsewhere/s.lstate"));
    QCOMPARE(library.resolveStoredPath(QString()), QString());
    QVERIFY(DocumentLibrary::newJobId() != DocumentLibrary::newJobId());
  }

  void recordsRoundTrip() {
    QTemporaryDir dir;
    DocumentLibrary library(dir.path());
    PendingIngestion pending = pendingJob(QStringLiteral("job1"));
    pending.paused = true;
    pending.doneTokens = 1234;
    pending.totalTokens = 5678;
    QString error;
    QVERIFY2(library.savePending(pending, &error), qPrintable(error));
    const auto found = library.findPending(QStringLiteral("job1"));
    QVERIFY(found);
    QCOMPARE(found->conversation, pending.conversation);
    QCOMPARE(found->sources, pending.sources);
    QCOMPARE(found->modelPath, pending.modelPath);
    QVERIFY(found->paused);
    QCOMPARE(found->doneTokens, 1234);
    QCOMPARE(found->totalTokens, 5678);
    QCOMPARE(found->created, pending.created);
    const IngestionRequest request = library.requestFor(*found);
    QCOMPARE(request.stateFile, library.stateFile(QStringLiteral("job1")));
    QCOMPARE(request.checkpointFile, library.checkpointFile(QStringLiteral("job1")));
    QCOMPARE(request.textFile, library.textFile(QStringLiteral("job1")));
    QVERIFY(!library.findPending(QStringLiteral("nope")));
  }

  void unreadableRecordsAreReportedNotTrusted() {
    QTemporaryDir dir;
    DocumentLibrary library(dir.path());
    QVERIFY(library.savePending(pendingJob(QStringLiteral("good")), nullptr));
    QFile bad(library.recordFile(QStringLiteral("bad")));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("{\"format\": \"something else\"}");
    bad.close();
    QStringList problems;
    const QList<PendingIngestion> pending = library.pending(&problems);
    QCOMPARE(pending.size(), 1);
    QCOMPARE(pending.first().job, QStringLiteral("good"));
    QCOMPARE(problems.size(), 1);
    QVERIFY(problems.first().contains(QStringLiteral("bad.ingestion")));
  }

  void finishKeepsOnlyTheStateAndDiscardRemovesAll() {
    QTemporaryDir dir;
    DocumentLibrary library(dir.path());
    for (const QString& job : {QStringLiteral("a"), QStringLiteral("b")}) {
      QVERIFY(library.savePending(pendingJob(job), nullptr));
      touch(library.stateFile(job));
      touch(library.checkpointFile(job));
      touch(library.textFile(job));
    }
    library.finish(QStringLiteral("a"));
    library.discard(QStringLiteral("b"));
    QCOMPARE(QDir(library.folder()).entryList(QDir::Files), QStringList{QStringLiteral("a.lstate")});
  }

  void unreferencedStatesAreRemoved() {
    QTemporaryDir dir;
    DocumentLibrary library(dir.path());
    QVERIFY(QDir().mkpath(library.folder()));
    touch(library.stateFile(QStringLiteral("used")));
    touch(library.stateFile(QStringLiteral("orphan")));
    QVERIFY(library.savePending(pendingJob(QStringLiteral("running")), nullptr));
    touch(library.checkpointFile(QStringLiteral("running")));
    touch(library.stateFile(QStringLiteral("running")));  // written, record not yet removed
    const QStringList removed = library.removeUnreferencedStates({library.stateFile(QStringLiteral("used"))});
    QCOMPARE(removed, QStringList{QDir::cleanPath(library.stateFile(QStringLiteral("orphan")))});
    QVERIFY(QFile::exists(library.stateFile(QStringLiteral("used"))));
    QVERIFY(QFile::exists(library.stateFile(QStringLiteral("running"))));
    QVERIFY(QFile::exists(library.checkpointFile(QStringLiteral("running"))));
  }
};

QTEST_APPLESS_MAIN(TestDocumentLibrary)
#include "test_document_library.moc"
