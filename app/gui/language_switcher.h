// Loads and swaps the UI translation at run time; widgets retranslate on QEvent::LanguageChange.
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QTranslator>

namespace linea::gui {

struct UiLanguage {
  QString code;        // "en", "zh_CN", "de"
  QString nativeName;  // shown in the menu in its own script, never translated
};

class LanguageSwitcher : public QObject {
  Q_OBJECT

 public:
  explicit LanguageSwitcher(QObject* parent = nullptr);
  ~LanguageSwitcher() override;

  static QList<UiLanguage> availableLanguages();
  // The best supported language for a system locale name such as "de_AT" or "zh_CN.UTF-8".
  static QString bestMatch(const QString& localeName);

  // Installs the translation for `code` (English removes all translators). False, with `error`
  // set, when the code is unknown or its catalogue cannot be loaded; the old language stays then.
  bool switchTo(const QString& code, QString* error = nullptr);
  QString current() const { return current_; }

 signals:
  void languageChanged(const QString& code);

 private:
  void removeTranslators();

  QTranslator appTranslator_;
  QTranslator qtTranslator_;  // Qt's own strings (standard dialogs, context menus)
  bool qtTranslatorInstalled_ = false;
  bool appTranslatorInstalled_ = false;
  QString current_ = QStringLiteral("en");
};

}  // namespace linea::gui
