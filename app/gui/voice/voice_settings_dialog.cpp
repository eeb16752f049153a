#include "app/gui/voice/voice_settings_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QMap>
#include <QVBoxLayout>

#include <algorithm>

namespace linea::gui {
namespace {

// "English (Great Britain)" -> "English": the backends name voices by language and variety.
QString languageName(const audio::VoiceInfo& voice) {
  QString name = QString::fromStdString(voice.name);
  if (const qsizetype bracket = name.indexOf(QLatin1String(" (")); bracket > 0) name.truncate(bracket);
  return name.trimmed();
}

}  // namespace

QString voiceLanguageGroup(const audio::VoiceInfo& voice) {
  return QString::fromStdString(voice.language).section(QLatin1Char('-'), 0, 0).toLower();
}

VoiceSettingsDialog::VoiceSettingsDialog(const VoiceSettings& settings, std::vector<audio::VoiceInfo> voices,
                                         QWidget* parent)
    : QDialog(parent), initial_(settings), voices_(std::move(voices)) {
  setObjectName(QStringLiteral("voiceSettingsDialog"));
  setWindowTitle(tr("Voice Settings"));
  language_ = new QComboBox(this);
  language_->setObjectName(QStringLiteral("voiceLanguage"));
  voice_ = new QComboBox(this);
  voice_->setObjectName(QStringLiteral("voiceChoice"));
  rate_ = new QDoubleSpinBox(this);
  rate_->setObjectName(QStringLiteral("voiceRate"));
  rate_->setRange(audio::kMinimumRate, audio::kMaximumRate);
  rate_->setSingleStep(0.1);
  rate_->setDecimals(2);
  rate_->setSuffix(QStringLiteral(" ×"));
  rate_->setToolTip(tr("1 is the voice's normal speed, 2 twice as fast"));

  fillLanguages();
  const int languageIndex = language_->findData(settings.language);
  language_->setCurrentIndex(languageIndex >= 0 ? languageIndex : 0);
  fillVoices(settings.voice);
  connect(language_, &QComboBox::currentIndexChanged, this, [this] { fillVoices(QString()); });
  rate_->setValue(settings.rate);

  auto* form = new QFormLayout;
  form->addRow(tr("Language:"), language_);
  form->addRow(tr("Voice:"), voice_);
  form->addRow(tr("Speed:"), rate_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(buttons);
}

void VoiceSettingsDialog::fillLanguages() {
  language_->addItem(tr("Automatic (each sentence in its own language)"), VoiceSettings::kAutomatic);
  // One entry per language, named after its first espeak-ng voice (flite's names describe the
  // speaker, not the language), sorted by name.
  QMap<QString, QString> nameOfGroup;
  for (const audio::VoiceInfo& voice : voices_) {
    const QString group = voiceLanguageGroup(voice);
    if (group.isEmpty()) continue;
    const bool namesLanguage = voice.backend != "flite";
    if (!nameOfGroup.contains(group) || (namesLanguage && nameOfGroup[group] == group))
      nameOfGroup[group] = namesLanguage ? languageName(voice) : group;
  }
  QList<QPair<QString, QString>> entries;  // name, group
  for (auto it = nameOfGroup.cbegin(); it != nameOfGroup.cend(); ++it) entries.append({it.value(), it.key()});
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return QString::localeAwareCompare(a.first, b.first) < 0; });
  for (const auto& [name, group] : entries) language_->addItem(QStringLiteral("%1 (%2)").arg(name, group), group);
}

void VoiceSettingsDialog::fillVoices(const QString& preferredVoice) {
  voice_->clear();
  const QString group = language_->currentData().toString();
  if (group == VoiceSettings::kAutomatic) {
    voice_->addItem(tr("Automatic (the usual voice of each sentence's language)"), VoiceSettings::kAutomatic);
    voice_->setEnabled(false);
    return;
  }
  voice_->setEnabled(true);
  for (const audio::VoiceInfo& voice : voices_) {
    if (voiceLanguageGroup(voice) != group) continue;
    voice_->addItem(
        QStringLiteral("%1 — %2").arg(QString::fromStdString(voice.name), QString::fromStdString(voice.backend)),
        QString::fromStdString(voice.id));
  }
  const int preferred = voice_->findData(preferredVoice);
  voice_->setCurrentIndex(preferred >= 0 ? preferred : 0);
}

VoiceSettings VoiceSettingsDialog::settings() const {
  VoiceSettings chosen = initial_;
  chosen.language = language_->currentData().toString();
  chosen.voice = voice_->count() > 0 ? voice_->currentData().toString() : VoiceSettings::kAutomatic;
  chosen.rate = rate_->value();
  return chosen;
}

}  // namespace linea::gui
