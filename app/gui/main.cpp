// The Linea desktop application.
#include "app/gui/chat/conversation_store.h"
#include "app/gui/display_check.h"
#include "app/gui/engine/engine_controller.h"
#include "app/gui/language_switcher.h"
#include "app/gui/main_window.h"
#include "app/gui/models/default_model.h"
#include "engine/runtime/compute_backend.h"
#include "engine/core/log.h"
#include "engine/version.h"

#include <QApplication>
#include <QLocale>
#include <QMessageBox>
#include <QFileInfo>
#include <QSettings>

#include <cstdio>

int main(int argc, char* argv[]) {
  if (const auto message = linea::gui::missing_display_message()) {
    std::fprintf(stderr, "%s\n", message->c_str());
    return 1;
  }

  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("Linea"));
  QApplication::setOrganizationName(QStringLiteral("Linea"));
  QApplication::setApplicationVersion(QString::fromLatin1(linea::kVersion));
  QApplication::setDesktopFileName(QStringLiteral("linea"));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/linea.png")));

  linea::log_message(linea::LogLevel::info, linea::choose_compute_backend().reason);

  linea::gui::LanguageSwitcher languages;
  QSettings settings;
  const QString savedLanguage = settings.value(QStringLiteral("ui/language")).toString();
  languages.switchTo(savedLanguage.isEmpty() ? linea::gui::LanguageSwitcher::bestMatch(QLocale::system().name())
                                             : savedLanguage);
  QObject::connect(&languages, &linea::gui::LanguageSwitcher::languageChanged, &app, [](const QString& code) {
    QSettings().setValue(QStringLiteral("ui/language"), code);
  });

  linea::gui::ConversationStore conversations(linea::gui::ConversationStore::defaultFolder());
  const QStringList problems = conversations.load();

  linea::gui::EngineController engine;
  linea::gui::MainWindow window(languages, conversations, engine);
  window.show();
  // Reopen the model used last time, or on a first start the bundled one (loading runs on the engine
  // thread; the window is usable meanwhile).
  const QString lastModel = settings.value(QStringLiteral("model/last")).toString();
  if (!lastModel.isEmpty() && QFileInfo::exists(lastModel))
    window.openModel(lastModel);
  else if (const QString bundled = linea::gui::bundledDefaultModelPath(); !bundled.isEmpty())
    window.openModel(bundled);
  if (!problems.isEmpty()) {
    // Unreadable conversation files are left where they are; the user decides what to do with them.
    QMessageBox::warning(&window, QObject::tr("Some conversations could not be opened"), problems.join('\n'));
  }
  return app.exec();
}
