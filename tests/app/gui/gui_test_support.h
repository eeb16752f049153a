// Shared by the GUI tests that drive the real window with the real engine: a window on a given
// conversation folder (so a test can "restart" the app on the same folder), the tiny model, a
// synthetic file drop, and a meter for the longest stall of the GUI event loop.
#pragma once

#include "app/gui/chat/conversation_store.h"
#include "app/gui/documents/document_workflow.h"
#include "app/gui/engine/engine_controller.h"
#include "app/gui/language_switcher.h"
#include "app/gui/main_window.h"
#include "tests/support/testdata.h"

#include <QApplication>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTimer>
#include <QUrl>

#include <algorithm>

namespace linea::test {

inline const QString kTinyModel = QStringLiteral("rwkv7-tiny/tiny-rwkv-7v0-834K-FP32.bin");

// Sends the application's settings (recent models, last model) to `folder` instead of the user's.
inline void isolateSettings(const QString& folder) {
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, folder);
}

// One app instance: store, engine thread and main window on `folder`.
struct AppInstance {
  explicit AppInstance(const QString& folder) : store(folder) {
    store.load();
    window.show();
  }

  gui::LanguageSwitcher languages;
  gui::ConversationStore store;
  gui::EngineController engine;
  gui::MainWindow window{languages, store, engine};

  gui::DocumentWorkflow& documents() { return *window.findChild<gui::DocumentWorkflow*>(); }
  QPlainTextEdit* messageBox() { return window.findChild<QPlainTextEdit*>(QStringLiteral("messageBox")); }
  QPushButton* sendButton() { return window.findChild<QPushButton*>(QStringLiteral("sendButton")); }
  template <typename T>
  T* child(const char* name) {
    return window.findChild<T*>(QString::fromLatin1(name));
  }

  bool loadTinyModel() {
    QSignalSpy loaded(&engine, &gui::EngineController::modelLoaded);
    window.openModel(testdataPath(kTinyModel));
    return loaded.wait(60000);
  }

  void send(const QString& text) {
    messageBox()->setPlainText(text);
    sendButton()->click();
  }

  // Drags `files` over the window and drops them, as a file manager would.
  bool drop(const QStringList& files) {
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString& file : files) urls << QUrl::fromLocalFile(file);
    mime.setUrls(urls);
    const QPoint at = window.rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    if (!enter.isAccepted()) return false;
    QDropEvent dropEvent(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &dropEvent);
    return dropEvent.isAccepted();
  }
};

// Ticks every 5 ms on the GUI thread and records the longest gap between ticks: how long the event
// loop was unable to run a timer (a stall the user would feel as a frozen window).
class EventLoopStallMeter {
 public:
  static constexpr int kTickMs = 5;

  void start() {
    longestMs_ = 0;
    ticks_ = 0;
    timer_.setTimerType(Qt::PreciseTimer);
    timer_.setInterval(kTickMs);
    QObject::connect(&timer_, &QTimer::timeout, [this] {
      const qint64 now = clock_.nsecsElapsed();
      if (ticks_++ > 0) longestMs_ = std::max(longestMs_, static_cast<double>(now - last_) / 1e6);
      last_ = now;
    });
    clock_.start();
    timer_.start();
  }
  void stop() { timer_.stop(); }
  double longestGapMs() const { return longestMs_; }
  qint64 ticks() const { return ticks_; }

 private:
  QTimer timer_;
  QElapsedTimer clock_;
  qint64 last_ = 0;
  qint64 ticks_ = 0;
  double longestMs_ = 0;
};

}  // namespace linea::test
