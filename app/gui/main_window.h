// The main window: conversation list, chat view, message box and a status bar naming the model.
// Conversations can be browsed, searched, renamed and deleted; controls that need a loaded model are
// disabled until one is loaded.
#pragma once

#include <QMainWindow>
#include <QUuid>

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
class ConversationFilterModel;
class ConversationListModel;
class ConversationStore;
class LanguageSwitcher;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  MainWindow(LanguageSwitcher& languages, ConversationStore& conversations, QWidget* parent = nullptr);

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

  LanguageSwitcher& languages_;
  ConversationStore& store_;

  QMenu* fileMenu_ = nullptr;
  QMenu* settingsMenu_ = nullptr;
  QMenu* languageMenu_ = nullptr;
  QMenu* helpMenu_ = nullptr;
  QAction* openModelAction_ = nullptr;
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
  QPushButton* sendButton_ = nullptr;
  QLabel* modelStatus_ = nullptr;
  QLabel* backendStatus_ = nullptr;
  QUuid chatViewConversation_;  // the conversation shown in the chat view
};

}  // namespace linea::gui
