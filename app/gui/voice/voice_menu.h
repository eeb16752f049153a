// The Voice menu: "Speak Replies" (remembered), "Voice Settings…", "Stop Speaking" and "Export
// Conversation Audio…". It also runs the export conversation: a save dialog whose file extension
// picks the format (WAV, Ogg Opus, MP3), then the export on the speech controller's helper thread,
// then a dialog if it failed.
#pragma once

#include "app/gui/chat/conversation.h"

#include <QMenu>
#include <QStringList>

class QAction;

namespace linea::gui {

class SpeechController;

class VoiceMenu : public QMenu {
  Q_OBJECT

 public:
  VoiceMenu(SpeechController& speech, QWidget* parent = nullptr);

  QAction* speakRepliesAction() const { return speakReplies_; }
  QAction* exportConversationAction() const { return exportConversation_; }

  // Asks where to save (a window-modal dialog, object name "audioExportFileDialog"; it does not
  // block the event loop), then exports `messages` there. `suggestedName` becomes the file name.
  void exportAudio(const QStringList& messages, const QString& suggestedName);
  // The same for a whole conversation: its messages in order (system messages left out).
  void exportConversation(const Conversation& conversation);

 signals:
  // The window answers with exportAudio() and the conversation's messages.
  void exportConversationRequested();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();
  void showSettings();
  void onExportFinished(const QString& path, const QString& error);

  SpeechController& speech_;
  QAction* speakReplies_ = nullptr;
  QAction* stopSpeaking_ = nullptr;
  QAction* settings_ = nullptr;
  QAction* exportConversation_ = nullptr;
};

}  // namespace linea::gui
