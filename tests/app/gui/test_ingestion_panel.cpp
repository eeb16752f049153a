// The document panel on its own: what each state shows (numbers from an update, Cancel while
// running, Resume/Discard when stopped, the branch button for a finished document) and its
// helpers for durations and document names.
#include "app/gui/documents/ingestion_panel.h"
#include "app/gui/language_switcher.h"

#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QVBoxLayout>

using namespace linea::gui;

class TestIngestionPanel : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

  void durations_data() {
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << 0.0 << QStringLiteral("0:00");
    QTest::newRow("rounded") << 64.6 << QStringLiteral("1:05");
    QTest::newRow("hours") << 3725.0 << QStringLiteral("1:02:05");
    QTest::newRow("negative") << -3.0 << QStringLiteral("0:00");
  }
  void durations() {
    QFETCH(double, seconds);
    QFETCH(QString, text);
    QCOMPARE(IngestionPanel::durationText(seconds), text);
  }

  void sourceNames() {
    QCOMPARE(IngestionPanel::sourcesText({QStringLiteral("/a/x.pdf")}), QStringLiteral("x.pdf"));
    QCOMPARE(IngestionPanel::sourcesText({QStringLiteral("/a/x.pdf"), QStringLiteral("/b/y.md")}),
             QStringLiteral("x.pdf, y.md"));
    QCOMPARE(IngestionPanel::sourcesText(
                 {QStringLiteral("x.pdf"), QStringLiteral("y.md"), QStringLiteral("z.txt"), QStringLiteral("w.html")}),
             QStringLiteral("x.pdf, y.md and 2 more"));
  }

  void statesShowTheirNumbersAndButtons() {
    QWidget window;  // the panel lives inside a window, hidden until it has something to say
    auto* layout = new QVBoxLayout(&window);
    auto* panelInWindow = new IngestionPanel(&window);
    layout->addWidget(panelInWindow);
    window.show();
    IngestionPanel& panel = *panelInWindow;
    QVERIFY(!panel.isVisible());
    auto button = [&](const char* name) { return panel.findChild<QPushButton*>(QString::fromLatin1(name)); };

    IngestionUpdate update;
    update.phase = IngestionUpdate::Phase::ingesting;
    update.done = 2500;
    update.total = 10000;
    update.tokensPerSecond = 500;
    update.secondsLeft = 15;
    update.memoryMiB = 321;
    update.resumedFrom = 1000;
    QSignalSpy cancel(&panel, &IngestionPanel::cancelRequested);
    panel.showProgress({QStringLiteral("/d/book.pdf")}, update);
    QVERIFY(panel.isVisible());
    QCOMPARE(panel.title(), QStringLiteral("Reading book.pdf into the model"));
    QCOMPARE(panel.details(), QStringLiteral("2,500 / 10,000 tokens · 500 tokens/s · 0:15 left · memory 321 MiB · "
                                             "resumed at 1,000 tokens"));
    QCOMPARE(panel.findChild<QProgressBar*>()->value(), 250);
    QVERIFY(button("cancelIngestionButton")->isVisible());
    QVERIFY(!button("resumeIngestionButton")->isVisible());
    button("cancelIngestionButton")->click();
    QCOMPARE(cancel.count(), 1);

    update.phase = IngestionUpdate::Phase::reading;
    update.currentFile = QStringLiteral("/d/book.pdf");
    update.pagesDone = 20;
    update.pagesTotal = 200;
    panel.showProgress({QStringLiteral("/d/book.pdf")}, update);
    QCOMPARE(panel.details(), QStringLiteral("Page 20 of 200 · memory 321 MiB"));
    QCOMPARE(panel.findChild<QProgressBar*>()->value(), 100);

    QSignalSpy resume(&panel, &IngestionPanel::resumeRequested);
    QSignalSpy discard(&panel, &IngestionPanel::discardRequested);
    panel.showPaused({QStringLiteral("/d/book.pdf")}, 2500, 10000);
    QCOMPARE(panel.mode(), IngestionPanel::Mode::paused);
    QVERIFY(!button("cancelIngestionButton")->isVisible());
    QVERIFY(button("resumeIngestionButton")->isVisible() && button("discardIngestionButton")->isVisible());
    QVERIFY(panel.details().contains(QStringLiteral("2,500 of 10,000 tokens")));
    button("resumeIngestionButton")->click();
    button("discardIngestionButton")->click();
    QCOMPARE(resume.count(), 1);
    QCOMPARE(discard.count(), 1);

    QSignalSpy branch(&panel, &IngestionPanel::branchRequested);
    panel.showDocument({QStringLiteral("/d/book.pdf")}, 10000);
    QCOMPARE(panel.title(), QStringLiteral("Document: book.pdf"));
    QVERIFY(panel.details().startsWith(QStringLiteral("10,000 tokens read")));
    QVERIFY(!panel.findChild<QProgressBar*>()->isVisible());
    button("branchDocumentButton")->click();
    QCOMPARE(branch.count(), 1);

    panel.showNothing();
    QVERIFY(!panel.isVisible());
  }

  void followsTheLanguageWhileShown() {
    LanguageSwitcher languages;
    IngestionPanel panel;
    IngestionUpdate update;
    update.phase = IngestionUpdate::Phase::ingesting;
    update.done = 10;
    update.total = 20;
    panel.showProgress({QStringLiteral("/d/book.pdf")}, update);
    auto* cancel = panel.findChild<QPushButton*>(QStringLiteral("cancelIngestionButton"));
    QString error;
    QVERIFY2(languages.switchTo(QStringLiteral("de"), &error), qPrintable(error));
    QTRY_COMPARE(cancel->text(), QStringLiteral("Abbrechen"));
    QCOMPARE(panel.title(), QStringLiteral("book.pdf wird in das Modell eingelesen"));
    QVERIFY2(languages.switchTo(QStringLiteral("zh_CN"), &error), qPrintable(error));
    QTRY_COMPARE(cancel->text(), QStringLiteral("取消"));
    QCOMPARE(panel.title(), QStringLiteral("正在将 book.pdf 读入模型"));
    QVERIFY(languages.switchTo(QStringLiteral("en")));
    QTRY_COMPARE(cancel->text(), QStringLiteral("Cancel"));
  }
};

QTEST_MAIN(TestIngestionPanel)
#include "test_ingestion_panel.moc"
