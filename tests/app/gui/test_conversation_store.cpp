// Conversations survive a restart exactly, bad files are reported and left alone, and the sidebar
// model follows the store (newest first, search, rename, delete).
#include "app/gui/chat/conversation_list_model.h"
#include "app/gui/chat/conversation_store.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace linea::gui;

namespace {

Conversation sample(const QString& title, int minutesAgo) {
  Conversation conversation = Conversation::createNew(title);
  conversation.updated = QDateTime::currentDateTimeUtc().addSecs(-60 * minutesAgo);
  conversation.systemPrompt = QStringLiteral("You are terse.");
  conversation.sampling.temperature = 0.3;
  conversation.sampling.seed = 42;
  conversation.document.stateFile = QStringLiteral("/tmp/doc.lstate");
  conversation.document.sourceFiles = {QStringLiteral("a.pdf"), QStringLiteral("b.md")};
  conversation.document.tokenCount = 123456;
  conversation.messages.append({ChatMessage::Role::user, QStringLiteral("Hello 世界 `code`"),
                                QDateTime::currentDateTimeUtc()});
  conversation.messages.append({ChatMessage::Role::assistant, QStringLiteral("Hi!\n\n```cpp\nint x;\n```"),
                                QDateTime::currentDateTimeUtc()});
  return conversation;
}

// Millisecond precision is what the file keeps.
void roundTimes(Conversation& c) {
  auto round = [](QDateTime& t) { t = QDateTime::fromString(t.toUTC().toString(Qt::ISODateWithMs), Qt::ISODateWithMs); };
  round(c.created);
  round(c.updated);
  for (ChatMessage& m : c.messages) round(m.created);
}

}  // namespace

class TestConversationStore : public QObject {
  Q_OBJECT

 private slots:
  void roundTripThroughDisk() {
    QTemporaryDir dir;
    Conversation original = sample(QStringLiteral("Physics"), 0);
    {
      ConversationStore store(dir.path());
      QString error;
      QVERIFY2(store.save(original, &error), qPrintable(error));
    }
    ConversationStore reopened(dir.path());
    QCOMPARE(reopened.load(), QStringList());
    QCOMPARE(reopened.size(), 1);
    roundTimes(original);
    QCOMPARE(*reopened.find(original.id), original);
    // Only the conversation file: no temporary files left behind by the atomic write.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
  }

  void badFilesAreReportedAndLeftUntouched() {
    QTemporaryDir dir;
    ConversationStore store(dir.path());
    QVERIFY(store.save(sample(QStringLiteral("good"), 0)));
    const QString broken = dir.filePath(QStringLiteral("11111111-1111-1111-1111-111111111111.json"));
    {
      QFile file(broken);
      QVERIFY(file.open(QIODevice::WriteOnly));
      file.write("{\"format\": \"linea-conversation\", \"version\": 1, \"id\": ");  // cut off mid-write
    }
    const QString foreign = dir.filePath(QStringLiteral("notes.json"));
    {
      QFile file(foreign);
      QVERIFY(file.open(QIODevice::WriteOnly));
      file.write("{\"hello\": 1}");
    }
    ConversationStore reopened(dir.path());
    const QStringList problems = reopened.load();
    QCOMPARE(problems.size(), 2);
    QVERIFY2(problems.join('\n').contains(QStringLiteral("invalid JSON at byte")), qPrintable(problems.join('\n')));
    QVERIFY(problems.join('\n').contains(QStringLiteral("not a Linea conversation")));
    QCOMPARE(reopened.size(), 1);
    QVERIFY(QFile::exists(broken));  // the user's data is never deleted behind their back
    QVERIFY(QFile::exists(foreign));
  }

  void futureVersionIsRefusedWithItsNumber() {
    QTemporaryDir dir;
    Conversation conversation = sample(QStringLiteral("x"), 0);
    QJsonObject json = conversation.toJson();
    json["version"] = 7;
    Conversation parsed;
    QString error;
    QVERIFY(!Conversation::fromJson(json, &parsed, &error));
    QCOMPARE(error, QStringLiteral("unsupported conversation format version 7 (this Linea reads 1)"));
  }

  void renameAndRemove() {
    QTemporaryDir dir;
    ConversationStore store(dir.path());
    const Conversation conversation = sample(QStringLiteral("old"), 5);
    QVERIFY(store.save(conversation));
    QVERIFY(store.rename(conversation.id, QStringLiteral("new")));
    ConversationStore reopened(dir.path());
    reopened.load();
    QCOMPARE(reopened.find(conversation.id)->title, QStringLiteral("new"));
    QString error;
    QVERIFY(store.remove(conversation.id, &error));
    QVERIFY(!QFile::exists(store.filePath(conversation.id)));
    QVERIFY(!store.remove(conversation.id, &error));
    QVERIFY(error.contains(conversation.id.toString(QUuid::WithoutBraces)));
  }

  void listModelIsNewestFirstAndFollowsTheStore() {
    QTemporaryDir dir;
    ConversationStore store(dir.path());
    ConversationListModel model(store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const Conversation older = sample(QStringLiteral("older"), 30);
    const Conversation newer = sample(QStringLiteral("newer"), 10);
    const Conversation middle = sample(QStringLiteral("middle"), 20);
    for (const Conversation& c : {older, newer, middle}) QVERIFY(store.save(c));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.idAt(0), newer.id);
    QCOMPARE(model.idAt(1), middle.id);
    QCOMPARE(model.idAt(2), older.id);

    // Touching the oldest moves it to the top.
    Conversation touched = *store.find(older.id);
    touched.updated = QDateTime::currentDateTimeUtc();
    QVERIFY(store.save(touched));
    QCOMPARE(model.idAt(0), older.id);
    QCOMPARE(model.idAt(1), newer.id);

    // Rename through the view's edit role.
    QVERIFY(model.setData(model.indexOf(middle.id), QStringLiteral("renamed"), Qt::EditRole));
    QCOMPARE(store.find(middle.id)->title, QStringLiteral("renamed"));
    QCOMPARE(model.idAt(0), middle.id);  // renaming counts as a change
    QVERIFY(!model.setData(model.indexOf(middle.id), QStringLiteral("   "), Qt::EditRole));

    QVERIFY(store.remove(newer.id));
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(!model.indexOf(newer.id).isValid());
  }

  void searchMatchesTitlesAndMessages() {
    QTemporaryDir dir;
    ConversationStore store(dir.path());
    ConversationListModel model(store);
    ConversationFilterModel filter;
    filter.setSourceModel(&model);
    Conversation a = sample(QStringLiteral("Quantum notes"), 1);
    Conversation b = sample(QStringLiteral("Recipes"), 2);
    b.messages.append({ChatMessage::Role::user, QStringLiteral("How long to boil an egg?"), {}});
    QVERIFY(store.save(a));
    QVERIFY(store.save(b));
    filter.setSearchText(QStringLiteral("quantum"));
    QCOMPARE(filter.rowCount(), 1);
    filter.setSearchText(QStringLiteral("EGG"));
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.index(0, 0).data(ConversationListModel::IdRole).toUuid(), b.id);
    filter.setSearchText(QStringLiteral("世界"));
    QCOMPARE(filter.rowCount(), 2);
    filter.setSearchText(QString());
    QCOMPARE(filter.rowCount(), 2);
  }
};

QTEST_GUILESS_MAIN(TestConversationStore)
#include "test_conversation_store.moc"
