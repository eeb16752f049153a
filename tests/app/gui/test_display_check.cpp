#include "app/gui/display_check.h"

#include <QTest>

class TestDisplayCheck : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    for (const char* name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"}) qunsetenv(name);
  }

  void noDisplayGivesAMessagePointingToTheCli() {
    const auto message = linea::gui::missing_display_message();
    QVERIFY(message.has_value());
    QVERIFY(message->find("linea-cli") != std::string::npos);
    QVERIFY(message->find("xvfb-run") != std::string::npos);
  }

  void x11DisplayIsEnough() {
    qputenv("DISPLAY", ":0");
    QVERIFY(!linea::gui::missing_display_message().has_value());
  }

  void waylandDisplayIsEnough() {
    qputenv("WAYLAND_DISPLAY", "wayland-0");
    QVERIFY(!linea::gui::missing_display_message().has_value());
  }

  void offscreenNeedsNoDisplay() {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QVERIFY(!linea::gui::missing_display_message().has_value());
  }

  void explicitXcbStillNeedsADisplay() {
    qputenv("QT_QPA_PLATFORM", "xcb");
    QVERIFY(linea::gui::missing_display_message().has_value());
  }
};

QTEST_APPLESS_MAIN(TestDisplayCheck)
#include "test_display_check.moc"
