#include "app/gui/voice/speech_controller.h"

#include "audio/export/speech_export.h"
#include "audio/voices/speech_synthesizer.h"
#include "engine/core/log.h"

#include <QFile>
#include <QThread>

#include <filesystem>

namespace linea::gui {
namespace {

constexpr int kIdlePollIntervalMs = 50;

std::string toUtf8(const QString& text) { return text.toStdString(); }

}  // namespace

SpeechController::SpeechController(QObject* parent) : QObject(parent), settings_(VoiceSettings::load()) {
  idlePoll_.setInterval(kIdlePollIntervalMs);
  connect(&idlePoll_, &QTimer::timeout, this, &SpeechController::updateSpeaking);
}

SpeechController::~SpeechController() {
  // Exports use the synthesizer: let them end before it goes. Their results are no longer wanted.
  for (QThread* thread : std::as_const(exports_)) {
    thread->wait();
    delete thread;
  }
  exports_.clear();
}

void SpeechController::setSettings(const VoiceSettings& settings) {
  if (settings == settings_) return;
  const bool voiceChanged = settings.voice != settings_.voice || settings.rate != settings_.rate;
  settings_ = settings;
  settings_.save();
  if (voiceChanged) {
    queue_.reset();  // stops what is playing; the next speech opens a queue with the new voice
    replyOpen_ = false;
  } else if (!settings_.speakReplies && replyOpen_) {
    stop();
  }
  updateSpeaking();
  emit settingsChanged(settings_);
}

void SpeechController::setSpeakReplies(bool speak) {
  VoiceSettings changed = settings_;
  changed.speakReplies = speak;
  setSettings(changed);
}

void SpeechController::setOutputConfig(const audio::OutputConfig& config) { outputConfig_ = config; }

audio::SpeechSynthesizer& SpeechController::synthesizer() {
  if (!synthesizer_) {
    synthesizer_ = std::make_unique<audio::SpeechSynthesizer>();
    for (const std::string& problem : synthesizer_->backend_errors())
      log_message(LogLevel::warning, "speech: a voice backend could not be loaded: " + problem);
  }
  return *synthesizer_;
}

bool SpeechController::ensureQueue() {
  if (queue_) return true;
  if (!output_) {
    if (outputTried_) return false;  // already said why; export still works
    outputTried_ = true;
    try {
      output_ = std::make_unique<audio::AudioOutput>(outputConfig_);
    } catch (const std::exception& error) {
      audioProblem_ = QString::fromUtf8(error.what());
      log_message(LogLevel::warning, std::string("speech: ") + error.what());
      emit audioOutputUnavailable(audioProblem_);
      return false;
    }
  }
  audio::SpeechQueueOptions options;
  options.voice = toUtf8(settings_.voice);
  options.rate = settings_.rate;
  try {
    queue_ = std::make_unique<audio::SpeechQueue>(synthesizer(), *output_, options);
  } catch (const audio::VoiceError& error) {
    // A voice saved by another version (or a backend missing now): speak rather than stay silent.
    log_message(LogLevel::warning, std::string("speech: ") + error.what() + "; using the automatic voice");
    options.voice = toUtf8(VoiceSettings::kAutomatic);
    options.rate = 1.0;
    queue_ = std::make_unique<audio::SpeechQueue>(synthesizer(), *output_, options);
  }
  return true;
}

void SpeechController::beginReply() {
  replyOpen_ = false;
  if (!settings_.speakReplies || !ensureQueue()) return;
  queue_->stop();  // the previous reply, if it is still being read, is no longer wanted
  replyOpen_ = true;
  updateSpeaking();
}

void SpeechController::addReplyText(const QString& piece) {
  if (!replyOpen_) return;
  queue_->push_text_piece(toUtf8(piece));
  updateSpeaking();
}

void SpeechController::finishReply() {
  if (!replyOpen_) return;
  queue_->finish();
  replyOpen_ = false;
  updateSpeaking();
}

void SpeechController::speak(const QString& markdown) {
  if (!ensureQueue()) return;
  replyOpen_ = false;
  queue_->stop();
  queue_->push_text_piece(toUtf8(markdown));
  queue_->finish();
  updateSpeaking();
}

void SpeechController::stop() {
  replyOpen_ = false;
  if (queue_) queue_->stop();
  updateSpeaking();
}

void SpeechController::updateSpeaking() {
  const bool speaking = queue_ && (replyOpen_ || !queue_->idle());
  if (speaking)
    idlePoll_.start();
  else
    idlePoll_.stop();
  if (speaking == speaking_) return;
  speaking_ = speaking;
  emit speakingChanged(speaking_);
}

void SpeechController::exportAudio(const QStringList& messages, const QString& path) {
  struct Outcome {
    QString error;
    double seconds = 0;
  };
  std::vector<std::string> texts;
  for (const QString& message : messages) texts.push_back(toUtf8(message));
  audio::SpeechExportOptions options;
  options.voice = toUtf8(settings_.voice);
  options.rate = settings_.rate;
  auto outcome = std::make_shared<Outcome>();
  audio::SpeechSynthesizer* synthesizer = nullptr;
  try {
    synthesizer = &this->synthesizer();
  } catch (const std::exception& error) {
    emit exportFinished(path, QString::fromUtf8(error.what()), 0);
    return;
  }
  const std::filesystem::path target(QFile::encodeName(path).toStdString());
  QThread* thread = QThread::create([synthesizer, texts = std::move(texts), target, options, outcome] {
    try {
      outcome->seconds = audio::export_speech(*synthesizer, texts, target, options).duration_seconds;
    } catch (const std::exception& error) {
      outcome->error = QString::fromUtf8(error.what());
    }
  });
  exports_.append(thread);
  connect(thread, &QThread::finished, this, [this, thread, path, outcome] {
    exports_.removeOne(thread);
    thread->deleteLater();
    emit exportFinished(path, outcome->error, outcome->seconds);
  });
  emit exportStarted(path);
  thread->start();
}

audio::SpeechQueueStats SpeechController::stats() const { return queue_ ? queue_->stats() : audio::SpeechQueueStats{}; }

std::vector<audio::SpeechSentence> SpeechController::sentences() const {
  return queue_ ? queue_->sentences() : std::vector<audio::SpeechSentence>{};
}

int SpeechController::outputSampleRate() const { return output_ ? output_->sample_rate() : 0; }

}  // namespace linea::gui
