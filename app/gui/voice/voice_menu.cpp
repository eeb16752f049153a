#include "app/gui/voice/voice_menu.h"

#include "app/gui/voice/speech_controller.h"
#include "app/gui/voice/voice_settings_dialog.h"
#include "audio/voices/speech_synthesizer.h"

#include <QAction>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QMessageBox>
#include <QRegularExpression>

namespace linea::gui {
namespace {

// A file name from a title: no path separators or characters file systems reject.
QString safeFileName(const QString& suggestedName) {
  QString name = suggestedName.simplified();
  name.replace(QRegularExpression(QStringLiteral("[\\\\/:*?\"<>|\\x00-\\x1f]")), QStringLiteral("_"));
  name.truncate(60);
  return name.isEmpty() ? QStringLiteral("speech") : name;
}

}  // namespace

VoiceMenu::VoiceMenu(SpeechController& speech, QWidget* parent) : QMenu(parent), speech_(speech) {
  setObjectName(QStringLiteral("voiceMenu"));
  speakReplies_ = addAction(QString());
  speakReplies_->setObjectName(QStringLiteral("speakRepliesAction"));
  speakReplies_->setCheckable(true);
  speakReplies_->setChecked(speech_.settings().speakReplies);
  connect(speakReplies_, &QAction::toggled, &speech_, &SpeechController::setSpeakReplies);
  connect(&speech_, &SpeechController::settingsChanged, this,
          [this](const VoiceSettings& settings) { speakReplies_->setChecked(settings.speakReplies); });

  stopSpeaking_ = addAction(QString());
  stopSpeaking_->setObjectName(QStringLiteral("stopSpeakingAction"));
  stopSpeaking_->setEnabled(false);
  connect(stopSpeaking_, &QAction::triggered, &speech_, &SpeechController::stop);
  connect(&speech_, &SpeechController::speakingChanged, stopSpeaking_, &QAction::setEnabled);

  settings_ = addAction(QString());
  settings_->setObjectName(QStringLiteral("voiceSettingsAction"));
  connect(settings_, &QAction::triggered, this, &VoiceMenu::showSettings);

  addSeparator();
  exportConversation_ = addAction(QString());
  exportConversation_->setObjectName(QStringLiteral("exportConversationAudioAction"));
  connect(exportConversation_, &QAction::triggered, this, &VoiceMenu::exportConversationRequested);

  connect(&speech_, &SpeechController::exportFinished, this,
          [this](const QString& path, const QString& error) { onExportFinished(path, error); });
  retranslate();
}

void VoiceMenu::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QMenu::changeEvent(event);
}

void VoiceMenu::retranslate() {
  setTitle(tr("&Voice"));
  speakReplies_->setText(tr("&Speak Replies"));
  speakReplies_->setToolTip(tr("Read each reply aloud, sentence by sentence, while it is being written"));
  stopSpeaking_->setText(tr("S&top Speaking"));
  settings_->setText(tr("Voice &Settings…"));
  exportConversation_->setText(tr("&Export Conversation Audio…"));
}

void VoiceMenu::showSettings() {
  VoiceSettingsDialog dialog(speech_.settings(), speech_.synthesizer().voices(), parentWidget());
  if (dialog.exec() == QDialog::Accepted) speech_.setSettings(dialog.settings());
}

void VoiceMenu::exportAudio(const QStringList& messages, const QString& suggestedName) {
  auto* dialog = new QFileDialog(parentWidget(), tr("Export Audio"), QDir::homePath(),
                                 tr("WAV audio (*.wav);;Ogg Opus audio (*.opus *.ogg);;MP3 audio (*.mp3)"));
  dialog->setObjectName(QStringLiteral("audioExportFileDialog"));
  dialog->setAcceptMode(QFileDialog::AcceptSave);
  dialog->setDefaultSuffix(QStringLiteral("wav"));
  dialog->selectFile(safeFileName(suggestedName) + QStringLiteral(".wav"));
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  // The extension the user typed decides the format; a name without one gets the chosen filter's.
  connect(dialog, &QFileDialog::filterSelected, dialog, [dialog](const QString& filter) {
    const QRegularExpressionMatch match = QRegularExpression(QStringLiteral("\\*\\.(\\w+)")).match(filter);
    if (match.hasMatch()) dialog->setDefaultSuffix(match.captured(1));
  });
  connect(dialog, &QFileDialog::fileSelected, this,
          [this, messages](const QString& path) { speech_.exportAudio(messages, path); });
  dialog->open();
}

void VoiceMenu::exportConversation(const Conversation& conversation) {
  QStringList texts;
  for (const ChatMessage& message : conversation.messages) {
    if (message.role != ChatMessage::Role::system) texts << message.text;
  }
  exportAudio(texts, conversation.title);
}

void VoiceMenu::onExportFinished(const QString& path, const QString& error) {
  if (error.isEmpty()) return;
  auto* box = new QMessageBox(QMessageBox::Warning, tr("Audio export failed"),
                              tr("%1 could not be written.\n\n%2").arg(QDir::toNativeSeparators(path), error),
                              QMessageBox::Ok, parentWidget());
  box->setObjectName(QStringLiteral("audioExportErrorDialog"));
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

}  // namespace linea::gui
