// Pictures in the real window with the real engine: dropped onto the window they show as thumbnails
// above the message box; "Show to the model" sends the picture through the bundled model's vision
// tower (resources/models/linea-tiny, whose trainer's greedy answer to "Describe the picture." for
// tests/data/linea-tiny/picture.png is in tests/data/linea-tiny/goldens.json); "Read the text" puts a
// QPainter-rendered text's OCR into the message; broken files are refused with a message naming them;
// a model without a vision tower (rwkv.cpp's tiny RWKV-7) cannot be shown pictures.
#include "app/gui/chat/chat_view.h"
#include "app/gui/chat/message_widget.h"
#include "app/gui/images/image_tray.h"
#include "gui_test_support.h"

#include <QFile>
#include <QFont>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QTemporaryDir>

using namespace linea::gui;
using linea::test::AppInstance;

namespace {

const QString kBundledModel = QStringLiteral("resources/models/linea-tiny");
const QString kPicture = QStringLiteral("tests/data/linea-tiny/picture.png");
// goldens.json "continuation_text" of the picture case: the trainer's greedy answer (it changes when
// the bundled model is retrained; tools/train/engine_goldens.py rewrites it).
QString pictureAnswer() {
  QFile file(linea::test::sourcePath(QStringLiteral("tests/data/linea-tiny/goldens.json")));
  if (!file.open(QIODevice::ReadOnly)) return QStringLiteral("(goldens.json unreadable)");
  const QJsonObject golden = QJsonDocument::fromJson(file.readAll()).object();
  return golden["cases"].toObject()["picture"].toObject()["continuation_text"].toString();
}

bool loadModel(AppInstance& app, const QString& path) {
  QSignalSpy loaded(&app.engine, &EngineController::modelLoaded);
  app.window.openModel(path);
  return loaded.wait(120000);
}

ImageTray* tray(AppInstance& app) { return app.child<ImageTray>("imageTray"); }

QList<QFrame*> attachments(AppInstance& app) {
  return tray(app)->findChildren<QFrame*>(QStringLiteral("imageAttachment"));
}

QPushButton* button(QFrame* attachment, const char* name) {
  return attachment->findChild<QPushButton*>(QString::fromLatin1(name));
}

// Greedy and unpenalised, as the trainer's answer was made; per conversation.
QUuid greedyConversation(AppInstance& app) {
  Conversation conversation = Conversation::createNew(QStringLiteral("picture"));
  conversation.sampling.temperature = 0;
  conversation.sampling.repetitionPenalty = 1.0;
  conversation.sampling.maxNewTokens = 24;
  if (!app.store.save(conversation)) return {};
  app.window.showConversation(conversation.id);
  return conversation.id;
}

}  // namespace

class TestImagesInChat : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { linea::test::isolateSettings(settings_.path()); }

  void showingAPictureToTheModelGetsItsDescription() {
    if (!QFileInfo::exists(linea::test::sourcePath(kBundledModel + QStringLiteral("/config.json"))))
      QSKIP("the bundled model is absent");
    QTemporaryDir dir;
    const QString picture = dir.filePath(QStringLiteral("picture.png"));
    QVERIFY(QFile::copy(linea::test::sourcePath(kPicture), picture));
    AppInstance app(dir.filePath(QStringLiteral("conversations")));
    QVERIFY(loadModel(app, linea::test::sourcePath(kBundledModel)));
    QVERIFY(app.engine.visionAvailable());
    const QUuid id = greedyConversation(app);
    QVERIFY(!id.isNull());

    QVERIFY(app.drop({picture}));
    QCOMPARE(attachments(app).size(), 1);
    QFrame* attachment = attachments(app).first();
    QVERIFY(!attachment->findChild<QLabel*>(QStringLiteral("imageThumbnail"))->pixmap().isNull());
    QPushButton* show = button(attachment, "showToModelButton");
    QVERIFY(show->isEnabled());
    show->click();
    QCOMPARE(tray(app)->shownImage(), picture);

    QSignalSpy finished(&app.engine, &EngineController::replyFinished);
    QSignalSpy failed(&app.engine, &EngineController::replyFailed);
    app.send(QStringLiteral("Describe the picture."));
    QVERIFY(finished.wait(120000));
    QCOMPARE(failed.count(), 0);
    QCOMPARE(finished.at(0).at(1).toString(), pictureAnswer());

    // The message keeps the picture: in the view, in the store, and after a restart.
    QVERIFY(!tray(app)->isVisible());
    QVERIFY(tray(app)->images().isEmpty());
    const Conversation& saved = *app.store.find(id);
    QCOMPARE(saved.messages.size(), 2);
    QCOMPARE(saved.messages[0].text, QStringLiteral("Describe the picture."));
    QCOMPARE(saved.messages[0].shownImage, picture);
    QCOMPARE(saved.messages[0].images, QStringList{picture});
    QCOMPARE(saved.messages[1].text, pictureAnswer());
    auto* chat = app.child<ChatView>("chatView");
    QCOMPARE(chat->messageAt(0)->images(), QStringList{picture});
    auto* shownThumbnail = chat->messageAt(0)->findChild<QLabel*>(QStringLiteral("messageImage"));
    QVERIFY(shownThumbnail);
    QVERIFY(!shownThumbnail->pixmap().isNull());
    ConversationStore reopened(dir.filePath(QStringLiteral("conversations")));
    QCOMPARE(reopened.load(), QStringList());
    QCOMPARE(reopened.find(id)->messages[0].shownImage, picture);

    // The next turn continues the cached session, which read this very picture.
    app.send(QStringLiteral("And again?"));
    QVERIFY(finished.wait(120000));
    QCOMPARE(failed.count(), 0);
    const ReplyStats continued = finished.at(1).at(2).value<ReplyStats>();
    QVERIFY2(continued.reusedTokens > 136, qPrintable(QString::number(continued.reusedTokens)));

    // The same file with other pixels (same size, so the same number of placeholders): the cached
    // session read the old picture and must not be continued.
    QImage mirrored(picture);
    QVERIFY(!mirrored.isNull());
    QVERIFY(mirrored.mirrored(true, false).save(picture));
    QFile touched(picture);
    QVERIFY(touched.open(QIODevice::ReadWrite));
    QVERIFY(touched.setFileTime(QDateTime::currentDateTimeUtc().addSecs(60), QFileDevice::FileModificationTime));
    touched.close();
    app.send(QStringLiteral("Once more?"));
    QVERIFY(finished.wait(120000));
    QCOMPARE(failed.count(), 0);
    const ReplyStats restarted = finished.at(2).at(2).value<ReplyStats>();
    QCOMPARE(restarted.reusedTokens, qint64{0});
  }

  void readingTheTextPutsItIntoTheMessage() {
    LINEA_REQUIRE_TESTDATA(linea::test::kTinyModel);
    QTemporaryDir dir;
    const QString text = QStringLiteral("Linea reads pictures");
    const QString file = dir.filePath(QStringLiteral("sign.png"));
    QImage image(900, 200, QImage::Format_RGB32);
    image.fill(Qt::white);
    {
      QPainter painter(&image);
      QFont font(QStringLiteral("DejaVu Sans"));
      font.setPixelSize(56);
      painter.setFont(font);
      painter.setPen(Qt::black);
      painter.drawText(image.rect(), Qt::AlignCenter, text);
    }
    QVERIFY(image.save(file));

    AppInstance app(dir.filePath(QStringLiteral("conversations")));
    QVERIFY(app.loadTinyModel());
    app.messageBox()->setPlainText(QStringLiteral("What does this say?"));
    QVERIFY(app.drop({file}));
    QCOMPARE(attachments(app).size(), 1);
    QSignalSpy read(&app.engine, &EngineController::imageTextRead);
    QSignalSpy failed(&app.engine, &EngineController::imageTextFailed);
    button(attachments(app).first(), "readTextButton")->click();
    QVERIFY(read.wait(60000));
    QCOMPARE(failed.count(), 0);
    QCOMPARE(read.at(0).at(1).toString().simplified(), text);
    QCOMPARE(app.messageBox()->toPlainText(), QStringLiteral("What does this say?\n\n") + read.at(0).at(1).toString());
  }

  void readingAPictureWithoutTextSaysSo() {
    if (!QFileInfo::exists(linea::test::sourcePath(kBundledModel + QStringLiteral("/config.json"))))
      QSKIP("the bundled model is absent");
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("blank.png"));
    QImage blank(400, 200, QImage::Format_RGB32);
    blank.fill(Qt::white);
    QVERIFY(blank.save(file));
    AppInstance app(dir.filePath(QStringLiteral("conversations")));
    QVERIFY(loadModel(app, linea::test::sourcePath(kBundledModel)));
    app.messageBox()->setPlainText(QStringLiteral("unchanged"));
    QVERIFY(app.drop({file}));
    QSignalSpy failed(&app.engine, &EngineController::imageTextFailed);
    button(attachments(app).first(), "readTextButton")->click();
    QVERIFY(failed.wait(60000));
    auto* dialog = app.child<QMessageBox>("imageErrorDialog");
    QVERIFY(dialog);
    QVERIFY2(dialog->text().contains(QStringLiteral("No text was found in ") + file), qPrintable(dialog->text()));
    QCOMPARE(app.messageBox()->toPlainText(), QStringLiteral("unchanged"));
    QVERIFY(button(attachments(app).first(), "readTextButton")->isEnabled());
  }

  void brokenPicturesAreRefusedWithTheirName_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("name");
    QFile picture(linea::test::sourcePath(kPicture));
    QVERIFY(picture.open(QIODevice::ReadOnly));
    const QByteArray png = picture.readAll();
    QTest::newRow("not a picture") << QByteArray("These are words, not pixels.\n") << QStringLiteral("notes.png");
    QTest::newRow("truncated") << png.left(png.size() / 2) << QStringLiteral("cut.png");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("empty.jpg");
    QTest::newRow("misnamed") << png << QStringLiteral("photo.jpg");
  }

  void brokenPicturesAreRefusedWithTheirName() {
    if (!QFileInfo::exists(linea::test::sourcePath(kBundledModel + QStringLiteral("/config.json"))))
      QSKIP("the bundled model is absent");
    QFETCH(QByteArray, content);
    QFETCH(QString, name);
    QTemporaryDir dir;
    const QString file = dir.filePath(name);
    {
      QFile out(file);
      QVERIFY(out.open(QIODevice::WriteOnly));
      out.write(content);
    }
    AppInstance app(dir.filePath(QStringLiteral("conversations")));
    QVERIFY(!app.drop({file}));  // pictures wait for a model, like the message box
    QVERIFY(loadModel(app, linea::test::sourcePath(kBundledModel)));
    QVERIFY(app.drop({file}));
    auto* dialog = app.child<QMessageBox>("imageErrorDialog");
    QVERIFY(dialog);
    QVERIFY2(dialog->text().contains(file), qPrintable(dialog->text()));
    QVERIFY(attachments(app).isEmpty());
    QVERIFY(!tray(app)->isVisible());
  }

  void aModelWithoutAVisionTowerCannotBeShownPictures() {
    LINEA_REQUIRE_TESTDATA(linea::test::kTinyModel);
    QTemporaryDir dir;
    AppInstance app(dir.filePath(QStringLiteral("conversations")));
    QVERIFY(app.loadTinyModel());
    QVERIFY(!app.engine.visionAvailable());
    QVERIFY(app.drop({linea::test::sourcePath(kPicture)}));
    QCOMPARE(attachments(app).size(), 1);
    QPushButton* show = button(attachments(app).first(), "showToModelButton");
    QVERIFY(!show->isEnabled());
    QVERIFY2(show->toolTip().contains(QStringLiteral("cannot see pictures")), qPrintable(show->toolTip()));
    QVERIFY(button(attachments(app).first(), "readTextButton")->isEnabled());
    QVERIFY(tray(app)->shownImage().isEmpty());
  }

 private:
  QTemporaryDir settings_;
};

QTEST_MAIN(TestImagesInChat)
#include "test_images_in_chat.moc"
