// How Linea speaks: whether replies are read aloud as they are written, in which voice, how fast.
// A plain value, stored in QSettings under "voice/".
#pragma once

#include <QString>

namespace linea::gui {

struct VoiceSettings {
  static inline const QString kAutomatic = QStringLiteral("auto");

  bool speakReplies = false;
  // A language code from the voice list ("en", "de", "cmn", ...) or kAutomatic: each sentence in
  // its own language's default voice. Narrows the voices offered; the voice is what is used.
  QString language = kAutomatic;
  QString voice = kAutomatic;  // a voice id ("flite:slt", "espeak-ng:de") or kAutomatic
  double rate = 1.0;           // 1 is the voice's normal speed

  static VoiceSettings load();  // from QSettings(); defaults for missing or invalid values
  void save() const;
  bool operator==(const VoiceSettings&) const = default;
};

}  // namespace linea::gui
