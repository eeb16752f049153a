#include "app/gui/voice/voice_settings.h"

#include "audio/voices/voice.h"

#include <QSettings>

namespace linea::gui {
namespace {

const QString kSpeakRepliesKey = QStringLiteral("voice/speakReplies");
const QString kLanguageKey = QStringLiteral("voice/language");
const QString kVoiceKey = QStringLiteral("voice/voice");
const QString kRateKey = QStringLiteral("voice/rate");

}  // namespace

VoiceSettings VoiceSettings::load() {
  const QSettings settings;
  VoiceSettings loaded;
  loaded.speakReplies = settings.value(kSpeakRepliesKey, loaded.speakReplies).toBool();
  loaded.language = settings.value(kLanguageKey, loaded.language).toString();
  loaded.voice = settings.value(kVoiceKey, loaded.voice).toString();
  bool isNumber = false;
  const double rate = settings.value(kRateKey, loaded.rate).toDouble(&isNumber);
  // A hand-edited or damaged value falls back to normal speed rather than failing every sentence.
  if (isNumber && rate >= audio::kMinimumRate && rate <= audio::kMaximumRate) loaded.rate = rate;
  if (loaded.language.isEmpty()) loaded.language = kAutomatic;
  if (loaded.voice.isEmpty()) loaded.voice = kAutomatic;
  return loaded;
}

void VoiceSettings::save() const {
  QSettings settings;
  settings.setValue(kSpeakRepliesKey, speakReplies);
  settings.setValue(kLanguageKey, language);
  settings.setValue(kVoiceKey, voice);
  settings.setValue(kRateKey, rate);
}

}  // namespace linea::gui
