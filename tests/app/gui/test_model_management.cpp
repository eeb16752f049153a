// Model management in the real window with the real engine: a corrupted model file gives a dialog
// with the engine's exact error (dismissed by the test), a loaded model is listed under recent
// models and reopened from there, and Model Details shows what the model is.
#include "app/gui/models/model_details_dialog.h"
#include "app/gui/models/recent_models.h"
#include "engine/runtime/model_bundle.h"
#include "tests/app/gui/gui_test_support.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QTest>

using namespace linea::gui;
using linea::test::AppInstance;

class TestModelManagement : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { linea::test::isolateSettings(settings_.path()); }

  void corruptedModelShowsTheEngineErrorInADialog_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("name");
    QTest::newRow("GGUF header cut short") << QByteArray("GGUF\x03\x00\x00\x00", 8) << QStringLiteral("cut.gguf");
    QTest::newRow("not a model at all") << QByteArray("hello, I am not a model\n") << QStringLiteral("text.gguf");
    QByteArray truncatedRwkv;
    if (QFile tiny(linea::test::testdataPath(linea::test::kTinyModel)); tiny.open(QIODevice::ReadOnly))
      truncatedRwkv = tiny.read(4096);  // a real rwkv.cpp header, its tensors cut off
    if (!truncatedRwkv.isEmpty())
      QTest::newRow("rwkv.cpp file truncated") << truncatedRwkv << QStringLiteral("cut.bin");
  }

  void corruptedModelShowsTheEngineErrorInADialog() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, name);
    QTemporaryDir dir;
    const QString path = dir.filePath(name);
    {
      QFile file(path);
      QVERIFY(file.open(QIODevice::WriteOnly));
      file.write(bytes);
    }
    AppInstance app(dir.filePath(QStringLiteral("conversations")));
    QSignalSpy failed(&app.engine, &EngineController::modelLoadFailed);
    app.window.openModel(path);
    QVERIFY(failed.wait(30000));
    const QString engineError = failed.at(0).at(1).toString();
    QVERIFY(!engineError.isEmpty());
    QVERIFY2(engineError.contains(name), qPrintable(engineError));  // the engine names the file
    auto* dialog = app.window.findChild<QMessageBox*>(QStringLiteral("modelErrorDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QVERIFY2(dialog->text().contains(engineError), qPrintable(dialog->text()));
    qInfo("%s: %s", qPrintable(name), qPrintable(engineError));
    // Dismiss it the way a user would; it deletes itself.
    QPointer<QMessageBox> guard(dialog);
    dialog->button(QMessageBox::Ok)->click();
    QTRY_VERIFY(guard.isNull());
    QVERIFY(!app.engine.hasModel());
    QVERIFY(!app.window.findChild<QAction*>(QStringLiteral("modelDetailsAction"))->isEnabled());
  }

  void loadedModelIsRecentAndDescribed() {
    LINEA_REQUIRE_TESTDATA(linea::test::kTinyModel);
    RecentModels().clear();
    QTemporaryDir dir;
    AppInstance app(dir.filePath(QStringLiteral("conversations")));
    auto* recentMenu = app.window.findChild<QMenu*>(QStringLiteral("recentModelsMenu"));
    QVERIFY(recentMenu);
    emit recentMenu->aboutToShow();
    QCOMPARE(recentMenu->actions().size(), 1);  // "No recent models"
    QVERIFY(!recentMenu->actions().first()->isEnabled());

    QVERIFY(app.loadTinyModel());
    const QString modelPath = linea::test::testdataPath(linea::test::kTinyModel);
    const QString listed = QDir::cleanPath(QFileInfo(modelPath).absoluteFilePath());
    QCOMPARE(QFileInfo(RecentModels().last()).canonicalFilePath(), QFileInfo(modelPath).canonicalFilePath());
    QCOMPARE(RecentModels().paths(), QStringList{listed});
    emit recentMenu->aboutToShow();
    QAction* entry = recentMenu->actions().first();
    QCOMPARE(entry->text(), QFileInfo(modelPath).fileName());

    // Model Details: architecture, size, context, weight types and file of the tiny RWKV-7.
    QAction* details = app.window.findChild<QAction*>(QStringLiteral("modelDetailsAction"));
    QVERIFY(details->isEnabled());
    details->trigger();
    auto* dialog = app.window.findChild<ModelDetailsDialog*>(QStringLiteral("modelDetailsDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(dialog->value(QStringLiteral("architecture")), QStringLiteral("rwkv7"));
    QVERIFY2(dialog->value(QStringLiteral("weightTypes")).startsWith(QStringLiteral("F32 ")),
             qPrintable(dialog->value(QStringLiteral("weightTypes"))));
    QVERIFY2(
        dialog->value(QStringLiteral("parameters")).contains(QStringLiteral("12 layers, width 64, vocabulary 256")),
        qPrintable(dialog->value(QStringLiteral("parameters"))));
    QVERIFY2(dialog->value(QStringLiteral("context")).startsWith(QStringLiteral("no fixed limit")),
             qPrintable(dialog->value(QStringLiteral("context"))));
    QCOMPARE(dialog->value(QStringLiteral("format")), QStringLiteral("rwkv.cpp"));
    QVERIFY(dialog->value(QStringLiteral("file")).endsWith(QStringLiteral("tiny-rwkv-7v0-834K-FP32.bin")));
    QVERIFY2(dialog->value(QStringLiteral("size")).contains(ModelDetailsDialog::sizeText(QFileInfo(modelPath).size())),
             qPrintable(dialog->value(QStringLiteral("size"))));
    const ModelSummary& summary = app.engine.model();
    // 834K parameters by the model's name; every F32 weight byte is one quarter of a parameter.
    QVERIFY2(summary.parameters > 800000 && summary.parameters < 870000,
             qPrintable(QString::number(summary.parameters)));
    QCOMPARE(summary.weightBytes, quint64(summary.parameters) * 4);
    QVERIFY(summary.stateBytes > 0);
    QCOMPARE(summary.stateBytesPerToken, quint64(0));  // RWKV-7: no KV cache
    dialog->reject();

    // Reopening from the recent list loads that model again.
    QSignalSpy loaded(&app.engine, &EngineController::modelLoaded);
    entry->trigger();
    QVERIFY(loaded.wait(60000));
    QCOMPARE(loaded.at(0).at(0).value<ModelSummary>().path, listed);
  }

  void hybridDetailsShowTheCachePerToken() {
    // A MiniMax hybrid's softmax layers keep a KV cache: Model Details says what it costs per token.
    const QString folder = linea::test::sourcePath(QStringLiteral("tests/data/decoders/minimax_remote_b256"));
    const linea::ModelBundle bundle = linea::open_model_bundle(folder.toStdString());
    const ModelSummary summary = summarizeModel(bundle, folder, QString());
    QCOMPARE(summary.stateBytes, quint64(2 * 4 * 24 * 24 * 4));      // two lightning layers' states
    QCOMPARE(summary.stateBytesPerToken, quint64(2 * 2 * 24 * 4));  // one softmax layer: K and V, 2 heads of 24
    ModelDetailsDialog dialog(summary);
    QCOMPARE(dialog.value(QStringLiteral("state")), ModelDetailsDialog::tr("%1 + %2 per token")
                                                        .arg(ModelDetailsDialog::sizeText(summary.stateBytes),
                                                             ModelDetailsDialog::sizeText(summary.stateBytesPerToken)));
    // This config declares max_position_embeddings, which Model Details shows as the context.
    QVERIFY2(dialog.value(QStringLiteral("context")).contains(QStringLiteral("declared")),
             qPrintable(dialog.value(QStringLiteral("context"))));
  }

 private:
  QTemporaryDir settings_;
};

QTEST_MAIN(TestModelManagement)
#include "test_model_management.moc"
