#include "app/gui/language_switcher.h"

#include <QCoreApplication>
#include <QEvent>
#include <QLibraryInfo>

namespace linea::gui {

LanguageSwitcher::LanguageSwitcher(QObject* parent) : QObject(parent) {}

LanguageSwitcher::~LanguageSwitcher() { removeTranslators(); }

QList<UiLanguage> LanguageSwitcher::availableLanguages() {
  return {
      {QStringLiteral("en"), QStringLiteral("English")},
      {QStringLiteral("zh_CN"), QStringLiteral("简体中文")},
      {QStringLiteral("de"), QStringLiteral("Deutsch")},
  };
}

QString LanguageSwitcher::bestMatch(const QString& localeName) {
  if (localeName.startsWith(QLatin1String("zh"))) return QStringLiteral("zh_CN");
  if (localeName.startsWith(QLatin1String("de"))) return QStringLiteral("de");
  return QStringLiteral("en");
}

void LanguageSwitcher::removeTranslators() {
  if (appTranslatorInstalled_) QCoreApplication::removeTranslator(&appTranslator_);
  if (qtTranslatorInstalled_) QCoreApplication::removeTranslator(&qtTranslator_);
  appTranslatorInstalled_ = qtTranslatorInstalled_ = false;
}

bool LanguageSwitcher::switchTo(const QString& code, QString* error) {
  bool known = false;
  for (const UiLanguage& language : availableLanguages()) known = known || language.code == code;
  if (!known) {
    if (error) *error = tr("Unknown interface language \"%1\".").arg(code);
    return false;
  }
  if (code == current_) return true;

  if (code == QLatin1String("en")) {
    removeTranslators();
  } else {
    // Load into a fresh translator first so a failure leaves the current language untouched.
    auto candidate = std::make_unique<QTranslator>();
    const QString catalogue = QStringLiteral(":/i18n/linea_%1.qm").arg(code);
    if (!candidate->load(catalogue)) {
      if (error) *error = tr("The translation catalogue %1 could not be loaded.").arg(catalogue);
      return false;
    }
    removeTranslators();
    if (!appTranslator_.load(catalogue)) return false;  // cannot fail: the same file just loaded
    appTranslatorInstalled_ = QCoreApplication::installTranslator(&appTranslator_);
    // Qt's own catalogue is optional (qt6-translations-l10n); without it Qt's dialogs stay English.
    if (qtTranslator_.load(QStringLiteral("qtbase_") + code, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
      qtTranslatorInstalled_ = QCoreApplication::installTranslator(&qtTranslator_);
  }
  current_ = code;
  // Qt only announces translator changes while the event loop runs; announce the finished set
  // ourselves so widgets built before exec() (and tests) retranslate too.
  QEvent languageChange(QEvent::LanguageChange);
  QCoreApplication::sendEvent(QCoreApplication::instance(), &languageChange);
  emit languageChanged(code);
  return true;
}

}  // namespace linea::gui
