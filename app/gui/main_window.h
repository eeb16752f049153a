// The main window: conversation list, chat view, message box and a status bar naming the model.
// Conversations can be browsed, searched, renamed and deleted; controls that need a loaded model are
// disabled until one is loaded.
#pragma once

#include <QMainWindow>
#include <QUuid>

#include "app/gui/chat/conversation.h"

class QAction;
class QActionGroup;
class QLabel;
class QLineEdit;
class QListView;
class QMenu;
class QPlainTextEdit;
class QPushButton;


namespace linea::gui {

class ChatView;
class DocumentWorkflow;
class ImageWorkflow;
class ModelMenu;
class EngineController;
struct ModelSummary;
struct ReplyStats;
class ConversationFilterModel;
class ConversationListModel;
class ConversationStore;
class LanguageSwitcher;
class SpeakingIndicator;
class SpeechController;
class VoiceMenu;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  MainWindow(LanguageSwitcher& languages, ConversationStore& conversations, EngineController& engine,
             QWidget* parent = nullptr);

  // Loads a model on the engine thread (the status bar says when it is ready, a dialog says why not).
  void openModel(const QString& path);

  // Shows a conversation from the store in the chat view (an invalid id clears it).
  void showConversation(const QUuid& id);
  QUuid currentConversation() const;

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void buildMenus();
  void buildCentralArea();
  void retranslate();
  void showAbout();
  void showConversationMenu(const QPoint& position);
  void deleteConversation(const QUuid& id);
  void updateConversationControls();
  void updateChatControls();
  void updateModelStatus();
  void chooseModelFile();
  void chooseModelFolder();
  void onModelLoaded(const ModelSummary& summary);
  void onModelLoadFailed(const QString& path, const QString& error);
  void sendOrStop();
  void startNewChat();
  void startReply(const Conversation& conversation);
  void onReplyText(const QUuid& conversation, const QString& piece, double tokensPerSecond, qint64 contextTokens);
  void onReplyFinished(const QUuid& conversation, const QString& text, const ReplyStats& stats);
  void onReplyFailed(const QUuid& conversation, const QString& error);
  void regenerateLastReply();
  void editMessage(int index);

  LanguageSwitcher& languages_;
  ConversationStore& store_;
  EngineController& engine_;

  QMenu* fileMenu_ = nullptr;
  QMenu* settingsMenu_ = nullptr;
  QMenu* languageMenu_ = nullptr;
  QMenu* helpMenu_ = nullptr;
  QAction* openModelAction_ = nullptr;
  QAction* openModelFolderAction_ = nullptr;
  QAction* conversationSettingsAction_ = nullptr;
  QAction* quitAction_ = nullptr;
  QAction* aboutAction_ = nullptr;
  QActionGroup* languageGroup_ = nullptr;

  QLineEdit* conversationSearch_ = nullptr;
  QListView* conversationList_ = nullptr;
  ConversationListModel* conversationModel_ = nullptr;
  ConversationFilterModel* conversationFilter_ = nullptr;
  QAction* renameConversationAction_ = nullptr;
  QAction* deleteConversationAction_ = nullptr;
  QPushButton* newChatButton_ = nullptr;
  ChatView* chatView_ = nullptr;
  QPlainTextEdit* messageBox_ = nullptr;
  QPushButton* attachButton_ = nullptr;
  QPushButton* attachImageButton_ = nullptr;
  QPushButton* sendButton_ = nullptr;
  QLabel* modelStatus_ = nullptr;
  QLabel* backendStatus_ = nullptr;
  SpeechController* speech_ = nullptr;  // voice: app/gui/voice
  VoiceMenu* voiceMenu_ = nullptr;
  SpeakingIndicator* speakingIndicator_ = nullptr;
  DocumentWorkflow* documents_ = nullptr;  // documents: app/gui/documents
  ImageWorkflow* images_ = nullptr;        // pictures in the message: app/gui/images
  ModelMenu* modelMenu_ = nullptr;         // recent models, model details: app/gui/models
  QUuid chatViewConversation_;  // the conversation shown in the chat view
  QUuid replyConversation_;     // the conversation a reply is being written for
  int editingIndex_ = -1;       // the message being edited: sending replaces it and what follows
  bool modelLoading_ = false;
  bool usesCuda_ = false;
};

}  // namespace linea::gui
