#include "app/gui/voice/speaking_indicator.h"

#include "app/gui/voice/speech_controller.h"

#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace linea::gui {

SpeakingIndicator::SpeakingIndicator(SpeechController& speech, QWidget* parent) : QWidget(parent), speech_(speech) {
  setObjectName(QStringLiteral("speakingIndicator"));
  label_ = new QLabel(this);
  label_->setObjectName(QStringLiteral("speakingLabel"));
  stopButton_ = new QToolButton(this);
  stopButton_->setObjectName(QStringLiteral("stopSpeakingButton"));
  stopButton_->setAutoRaise(true);
  connect(stopButton_, &QToolButton::clicked, &speech_, &SpeechController::stop);

  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(4);
  layout->addWidget(label_);
  layout->addWidget(stopButton_);

  noticeTimer_.setSingleShot(true);
  noticeTimer_.setInterval(kNoticeDurationMs);
  connect(&noticeTimer_, &QTimer::timeout, this, [this] {
    notice_.clear();
    refresh();
  });
  connect(&speech_, &SpeechController::speakingChanged, this, &SpeakingIndicator::refresh);
  connect(&speech_, &SpeechController::audioOutputUnavailable, this, &SpeakingIndicator::refresh);
  connect(&speech_, &SpeechController::exportStarted, this, &SpeakingIndicator::refresh);
  connect(&speech_, &SpeechController::exportFinished, this, &SpeakingIndicator::onExportFinished);
  refresh();
}

QString SpeakingIndicator::text() const { return label_->text(); }

void SpeakingIndicator::onExportFinished(const QString& path, const QString& error, double seconds) {
  // Failures get a dialog from whoever started the export; here only the quiet success note.
  if (error.isEmpty()) {
    notice_ = tr("Audio saved to %1 (%2 s)").arg(QFileInfo(path).fileName()).arg(seconds, 0, 'f', 1);
    noticeTimer_.start();
  }
  refresh();
}

void SpeakingIndicator::refresh() {
  QString text;
  if (speech_.isSpeaking())
    text = tr("Speaking…");
  else if (speech_.exportsRunning() > 0)
    text = tr("Exporting audio…");
  else if (!notice_.isEmpty())
    text = notice_;
  else if (!speech_.audioOutputProblem().isEmpty())
    text = tr("No audio output: speech can only be exported");
  label_->setText(text);
  label_->setToolTip(speech_.audioOutputProblem().isEmpty()
                         ? QString()
                         : tr("Playing speech failed: %1").arg(speech_.audioOutputProblem()));
  stopButton_->setText(tr("Stop"));
  stopButton_->setToolTip(tr("Stop speaking"));
  stopButton_->setVisible(speech_.isSpeaking());
  setVisible(!text.isEmpty());
}

void SpeakingIndicator::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) refresh();
  QWidget::changeEvent(event);
}

}  // namespace linea::gui
