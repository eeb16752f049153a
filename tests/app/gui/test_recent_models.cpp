// The recent-models list: newest first, no duplicates (however a path is spelled), at most
// kMaxEntries, and the last model remembered.
#include "app/gui/models/recent_models.h"

#include <QDir>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using linea::gui::RecentModels;

class TestRecentModels : public QObject {
  Q_OBJECT

 private slots:
  void newestFirstWithoutDuplicates() {
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    RecentModels recent(&settings);
    QVERIFY(recent.paths().isEmpty());
    QVERIFY(recent.last().isEmpty());
    recent.add(dir.filePath(QStringLiteral("a.gguf")));
    recent.add(dir.filePath(QStringLiteral("b.gguf")));
    recent.add(dir.path() + QStringLiteral("/sub/../a.gguf"));  // the same file, spelled differently
    QCOMPARE(recent.paths(),
             (QStringList{dir.filePath(QStringLiteral("a.gguf")), dir.filePath(QStringLiteral("b.gguf"))}));
    QCOMPARE(recent.last(), dir.filePath(QStringLiteral("a.gguf")));
    recent.remove(dir.filePath(QStringLiteral("a.gguf")));
    QCOMPARE(recent.paths(), QStringList{dir.filePath(QStringLiteral("b.gguf"))});
  }

  void keepsAtMostMaxEntries() {
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    RecentModels recent(&settings);
    for (int i = 0; i < RecentModels::kMaxEntries + 3; ++i) recent.add(dir.filePath(QStringLiteral("m%1.gguf").arg(i)));
    const QStringList paths = recent.paths();
    QCOMPARE(paths.size(), RecentModels::kMaxEntries);
    QCOMPARE(paths.first(), dir.filePath(QStringLiteral("m%1.gguf").arg(RecentModels::kMaxEntries + 2)));
    QCOMPARE(paths.last(), dir.filePath(QStringLiteral("m3.gguf")));
    recent.clear();
    QVERIFY(recent.paths().isEmpty());
    QCOMPARE(recent.last(), dir.filePath(QStringLiteral("m%1.gguf").arg(RecentModels::kMaxEntries + 2)));
  }

  void persistsInTheSettingsFile() {
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("settings.ini"));
    {
      QSettings settings(file, QSettings::IniFormat);
      RecentModels(&settings).add(dir.filePath(QStringLiteral("x.gguf")));
    }
    QSettings reopened(file, QSettings::IniFormat);
    QCOMPARE(RecentModels(&reopened).paths(), QStringList{dir.filePath(QStringLiteral("x.gguf"))});
  }
};

QTEST_APPLESS_MAIN(TestRecentModels)
#include "test_recent_models.moc"
