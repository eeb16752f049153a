// Drives the real window with the real engine (as the GUI tests do) to the views the README shows,
// and saves each as a PNG: a chat with a streamed reply, the document panel while a 200-page PDF is
// being read, and Model Details. Run by scripts/screenshot.sh under Xvfb:
//   take_screenshots <model file or folder> <output folder>
#include "app/gui/chat/conversation_store.h"
#include "app/gui/documents/document_workflow.h"
#include "app/gui/engine/engine_controller.h"
#include "app/gui/language_switcher.h"
#include "app/gui/main_window.h"
#include "app/gui/models/model_details_dialog.h"
#include "tests/app/gui/test_pdf.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <functional>

using namespace linea::gui;

namespace {

// Runs the event loop until `done` holds (checked whenever an event was handled) or `seconds` pass.
bool waitFor(const std::function<bool()>& done, int seconds) {
  QElapsedTimer clock;
  clock.start();
  while (!done()) {
    if (clock.elapsed() > seconds * 1000) return false;
    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
  }
  return true;
}

void settle(int milliseconds) {
  QElapsedTimer clock;
  clock.start();
  while (clock.elapsed() < milliseconds) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

bool save(const QPixmap& image, const QString& path) {
  if (image.isNull() || !image.save(path)) {
    std::fprintf(stderr, "take_screenshots: could not write %s\n", qPrintable(path));
    return false;
  }
  std::printf("wrote %s\n", qPrintable(path));
  return true;
}

// The whole screen (window and dialogs over it) where the platform can grab it, else the widget.
QPixmap grabScreenOr(QWidget& widget) {
  if (QScreen* screen = QGuiApplication::primaryScreen()) {
    const QPixmap shot = screen->grabWindow(0);
    if (!shot.isNull()) return shot;
  }
  return widget.grab();
}

}  // namespace

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("Linea"));
  QApplication::setOrganizationName(QStringLiteral("Linea"));
  if (argc != 3) {
    std::fprintf(stderr, "usage: take_screenshots <model> <output folder>\n");
    return 2;
  }
  const QString model = QString::fromLocal8Bit(argv[1]);
  const QDir output(QString::fromLocal8Bit(argv[2]));
  QTemporaryDir work;

  LanguageSwitcher languages;  // the language the script put in the settings, as the app would
  languages.switchTo(QSettings().value(QStringLiteral("ui/language"), QStringLiteral("en")).toString());
  ConversationStore store(work.filePath(QStringLiteral("conversations")));
  EngineController engine;
  MainWindow window(languages, store, engine);
  window.resize(1100, 720);
  window.move(0, 0);
  window.show();

  bool loaded = false;
  QObject::connect(&engine, &EngineController::modelLoaded, [&] { loaded = true; });
  window.openModel(model);
  if (!waitFor([&] { return loaded; }, 120)) {
    std::fprintf(stderr, "take_screenshots: %s did not load\n", qPrintable(model));
    return 1;
  }

  // 1. A conversation with a reply written by the model.
  Conversation conversation = Conversation::createNew(QStringLiteral("The sea"));
  conversation.sampling.maxNewTokens = 120;
  conversation.sampling.seed = 3;
  store.save(conversation);
  window.showConversation(conversation.id);
  bool replied = false;
  QObject::connect(&engine, &EngineController::replyFinished, [&] { replied = true; });
  window.findChild<QPlainTextEdit*>(QStringLiteral("messageBox"))
      ->setPlainText(QStringLiteral("Tell me about the sea."));
  window.findChild<QPushButton*>(QStringLiteral("sendButton"))->click();
  if (!waitFor([&] { return replied; }, 300)) return 1;
  settle(500);
  bool ok = save(window.grab(), output.filePath(QStringLiteral("screenshot-chat.png")));

  // 2. The document panel while a 200-page PDF is read, a third of the way in.
  const QString pdf = work.filePath(QStringLiteral("field-guide.pdf"));
  linea::test::writeTextPdf(pdf, 200);
  auto* documents = window.findChild<DocumentWorkflow*>();
  bool ready = false, farEnough = false;
  QObject::connect(documents, &DocumentWorkflow::documentReady, [&] { ready = true; });
  QObject::connect(&engine, &EngineController::ingestionProgress, [&](const IngestionUpdate& update) {
    if (!farEnough && update.phase == IngestionUpdate::Phase::ingesting && update.done * 3 >= update.total) {
      farEnough = true;
      save(window.grab(), output.filePath(QStringLiteral("screenshot-ingestion.png")));
    }
  });
  documents->openDocuments({pdf});
  if (!waitFor([&] { return ready; }, 600)) return 1;
  ok = ok && farEnough;

  // 3. Model Details over the window.
  window.findChild<QAction*>(QStringLiteral("modelDetailsAction"))->trigger();
  auto* details = window.findChild<ModelDetailsDialog*>();
  if (!details) return 1;
  settle(500);
  ok = save(grabScreenOr(*details), output.filePath(QStringLiteral("screenshot-model-details.png"))) && ok;
  return ok ? 0 : 1;
}
