// Speech for the window: a reply read aloud sentence by sentence while the model is still writing
// it, single messages read on request, and messages or whole conversations exported as audio files.
//
// Owns the synthesizer (every synthesis runs on its one audio worker thread: espeak-ng is not
// thread-safe), the audio output and the speech queue. The GUI thread only hands over text and
// never waits for synthesis. The synthesizer and the output are created on first use rather than
// with the window: loading the voices and probing the audio devices take a moment, and many
// sessions never speak.
//
// Thread affinity: the GUI thread. Each export runs on a helper thread of its own (it waits for
// the audio worker, then encodes); its result arrives as exportFinished() on the GUI thread.
#pragma once

#include "app/gui/voice/voice_settings.h"
#include "audio/playback/audio_output.h"
#include "audio/playback/speech_queue.h"

#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <vector>

class QThread;

namespace linea::audio {
class SpeechSynthesizer;
}

namespace linea::gui {

class SpeechController : public QObject {
  Q_OBJECT

 public:
  explicit SpeechController(QObject* parent = nullptr);  // reads VoiceSettings::load()
  ~SpeechController() override;

  const VoiceSettings& settings() const { return settings_; }
  // Saves the settings; a new voice or rate applies from the next sentence on (what is playing
  // stops). Turning "speak replies" off stops the reply being spoken.
  void setSettings(const VoiceSettings& settings);
  void setSpeakReplies(bool speak);

  // The output device and its buffering, used when the output is next opened (tests point it at
  // ALSA's file device; the default is the system's default device).
  void setOutputConfig(const audio::OutputConfig& config);

  // The voices, loaded on the first call (the calling thread waits for the audio worker once).
  audio::SpeechSynthesizer& synthesizer();

  // The reply the model is writing. With "speak replies" on, each piece goes into the speech queue
  // as it arrives and each sentence is spoken as soon as it is complete; finishReply() speaks the
  // rest. Without it, or without an audio device, these do nothing.
  void beginReply();
  void addReplyText(const QString& piece);
  void finishReply();

  // Reads one message (Markdown) aloud, replacing whatever was being spoken.
  void speak(const QString& markdown);
  // Silence within 100 ms; the rest of a reply being written is not spoken either.
  void stop();
  bool isSpeaking() const { return speaking_; }

  // Empty until opening the output failed; then why (the app can still export).
  QString audioOutputProblem() const { return audioProblem_; }

  // Speaks the messages into `path` (.wav, .opus, .ogg or .mp3) with the current voice and rate.
  void exportAudio(const QStringList& messages, const QString& path);
  int exportsRunning() const { return static_cast<int>(exports_.size()); }

  // The current (or last) spoken reply or message: its sentences and playback counters.
  audio::SpeechQueueStats stats() const;
  std::vector<audio::SpeechSentence> sentences() const;
  int outputSampleRate() const;  // 0 while no output is open

 signals:
  void speakingChanged(bool speaking);
  void audioOutputUnavailable(const QString& reason);  // once, when opening the output first fails
  void settingsChanged(const linea::gui::VoiceSettings& settings);
  void exportStarted(const QString& path);
  // `error` is empty on success; `seconds` is the length of the audio written.
  void exportFinished(const QString& path, const QString& error, double seconds);

 private:
  bool ensureQueue();  // false when there is no audio output
  void updateSpeaking();

  VoiceSettings settings_;
  audio::OutputConfig outputConfig_;
  QString audioProblem_;
  bool outputTried_ = false;
  bool replyOpen_ = false;  // the reply being written is being spoken
  bool speaking_ = false;
  QTimer idlePoll_;  // the queue has no callbacks: while speaking, look whether it has finished
  QList<QThread*> exports_;

  std::unique_ptr<audio::SpeechSynthesizer> synthesizer_;
  std::unique_ptr<audio::AudioOutput> output_;
  std::unique_ptr<audio::SpeechQueue> queue_;  // last: destroyed first, it uses the other two
};

}  // namespace linea::gui
