// Voice settings: the language (or automatic: each sentence in its own language), a voice of that
// language from every backend's list (flite's English voices, espeak-ng's languages), and the
// speaking rate. The caller applies the result; nothing here needs a restart.
#pragma once

#include "app/gui/voice/voice_settings.h"
#include "audio/voices/voice.h"

#include <QDialog>

#include <vector>

class QComboBox;
class QDoubleSpinBox;

namespace linea::gui {

class VoiceSettingsDialog : public QDialog {
  Q_OBJECT

 public:
  // `voices`: every voice the synthesizer offers, in its order (its defaults first per language).
  VoiceSettingsDialog(const VoiceSettings& settings, std::vector<audio::VoiceInfo> voices, QWidget* parent = nullptr);

  VoiceSettings settings() const;

 private:
  void fillLanguages();
  void fillVoices(const QString& preferredVoice);

  VoiceSettings initial_;
  std::vector<audio::VoiceInfo> voices_;
  QComboBox* language_ = nullptr;
  QComboBox* voice_ = nullptr;
  QDoubleSpinBox* rate_ = nullptr;
};

// The language a voice belongs to in the language list: the first part of its code, lower case
// ("en-GB" -> "en", "cmn-latn-pinyin" -> "cmn").
QString voiceLanguageGroup(const audio::VoiceInfo& voice);

}  // namespace linea::gui
