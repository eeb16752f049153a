// The main window: conversation list, chat view, message box and a status bar naming the model.
// Controls whose feature has not arrived yet are present but disabled, so the layout is the real one.
#pragma once

#include <QMainWindow>

class QAction;
class QActionGroup;
class QLabel;
class QLineEdit;
class QListView;
class QMenu;
class QPlainTextEdit;
class QPushButton;
class QStandardItemModel;
class QTextBrowser;

namespace linea::gui {

class LanguageSwitcher;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(LanguageSwitcher& languages, QWidget* parent = nullptr);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void buildMenus();
  void buildCentralArea();
  void retranslate();
  void showAbout();

  LanguageSwitcher& languages_;

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
  QStandardItemModel* conversations_ = nullptr;
  QPushButton* newChatButton_ = nullptr;
  QTextBrowser* chatView_ = nullptr;
  QPlainTextEdit* messageBox_ = nullptr;
  QPushButton* attachButton_ = nullptr;
  QPushButton* sendButton_ = nullptr;
  QLabel* modelStatus_ = nullptr;
  QLabel* backendStatus_ = nullptr;
};

}  // namespace linea::gui
