#include "app/gui/main_window.h"

#include "app/gui/about_dialog.h"
#include "app/gui/language_switcher.h"
#include "engine/runtime/compute_backend.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace linea::gui {

MainWindow::MainWindow(LanguageSwitcher& languages, QWidget* parent) : QMainWindow(parent), languages_(languages) {
  setObjectName(QStringLiteral("mainWindow"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/linea.png")));
  resize(1100, 720);
  buildMenus();
  buildCentralArea();

  modelStatus_ = new QLabel(this);
  modelStatus_->setObjectName(QStringLiteral("modelStatus"));
  backendStatus_ = new QLabel(this);
  backendStatus_->setObjectName(QStringLiteral("backendStatus"));
  statusBar()->addWidget(modelStatus_, 1);
  statusBar()->addPermanentWidget(backendStatus_);

  connect(&languages_, &LanguageSwitcher::languageChanged, this, [this](const QString& code) {
    for (QAction* action : languageGroup_->actions()) action->setChecked(action->data().toString() == code);
  });
  retranslate();
}

void MainWindow::buildMenus() {
  fileMenu_ = menuBar()->addMenu(QString());
  openModelAction_ = fileMenu_->addAction(QString());
  openModelAction_->setObjectName(QStringLiteral("openModelAction"));
  openModelAction_->setShortcut(QKeySequence::Open);
  openModelAction_->setEnabled(false);  // model management arrives with its own feature
  fileMenu_->addSeparator();
  quitAction_ = fileMenu_->addAction(QString());
  quitAction_->setShortcut(QKeySequence::Quit);
  connect(quitAction_, &QAction::triggered, this, &QWidget::close);

  settingsMenu_ = menuBar()->addMenu(QString());
  languageMenu_ = settingsMenu_->addMenu(QString());
  languageGroup_ = new QActionGroup(this);
  for (const UiLanguage& language : LanguageSwitcher::availableLanguages()) {
    QAction* action = languageMenu_->addAction(language.nativeName);
    action->setCheckable(true);
    action->setData(language.code);
    action->setChecked(language.code == languages_.current());
    languageGroup_->addAction(action);
    connect(action, &QAction::triggered, this, [this, code = language.code] {
      QString error;
      if (!languages_.switchTo(code, &error)) QMessageBox::warning(this, tr("Language"), error);
    });
  }

  helpMenu_ = menuBar()->addMenu(QString());
  aboutAction_ = helpMenu_->addAction(QString());
  connect(aboutAction_, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::buildCentralArea() {
  auto* splitter = new QSplitter(Qt::Horizontal, this);

  auto* sidebar = new QWidget(splitter);
  auto* sidebarLayout = new QVBoxLayout(sidebar);
  sidebarLayout->setContentsMargins(6, 6, 0, 6);
  newChatButton_ = new QPushButton(sidebar);
  newChatButton_->setObjectName(QStringLiteral("newChatButton"));
  newChatButton_->setEnabled(false);  // a chat needs a model
  conversationSearch_ = new QLineEdit(sidebar);
  conversationSearch_->setObjectName(QStringLiteral("conversationSearch"));
  conversationSearch_->setClearButtonEnabled(true);
  conversationSearch_->setEnabled(false);  // nothing to search until conversations are stored
  conversations_ = new QStandardItemModel(this);
  conversationList_ = new QListView(sidebar);
  conversationList_->setObjectName(QStringLiteral("conversationList"));
  conversationList_->setModel(conversations_);
  conversationList_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  sidebarLayout->addWidget(newChatButton_);
  sidebarLayout->addWidget(conversationSearch_);
  sidebarLayout->addWidget(conversationList_, 1);

  auto* chatArea = new QWidget(splitter);
  auto* chatLayout = new QVBoxLayout(chatArea);
  chatLayout->setContentsMargins(0, 6, 6, 6);
  chatView_ = new QTextBrowser(chatArea);
  chatView_->setObjectName(QStringLiteral("chatView"));
  chatView_->setOpenExternalLinks(true);
  messageBox_ = new QPlainTextEdit(chatArea);
  messageBox_->setObjectName(QStringLiteral("messageBox"));
  messageBox_->setMaximumHeight(120);
  messageBox_->setEnabled(false);  // typing needs a model
  attachButton_ = new QPushButton(chatArea);
  attachButton_->setObjectName(QStringLiteral("attachButton"));
  attachButton_->setEnabled(false);
  sendButton_ = new QPushButton(chatArea);
  sendButton_->setObjectName(QStringLiteral("sendButton"));
  sendButton_->setEnabled(false);
  sendButton_->setDefault(true);
  auto* inputRow = new QHBoxLayout;
  inputRow->addWidget(messageBox_, 1);
  auto* buttonColumn = new QVBoxLayout;
  buttonColumn->addWidget(attachButton_);
  buttonColumn->addWidget(sendButton_);
  buttonColumn->addStretch(1);
  inputRow->addLayout(buttonColumn);
  chatLayout->addWidget(chatView_, 1);
  chatLayout->addLayout(inputRow);

  splitter->addWidget(sidebar);
  splitter->addWidget(chatArea);
  splitter->setStretchFactor(0, 0);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({260, 840});
  setCentralWidget(splitter);
}

void MainWindow::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QMainWindow::changeEvent(event);
}

void MainWindow::retranslate() {
  setWindowTitle(tr("Linea"));
  fileMenu_->setTitle(tr("&File"));
  openModelAction_->setText(tr("&Open Model…"));
  quitAction_->setText(tr("&Quit"));
  settingsMenu_->setTitle(tr("&Settings"));
  languageMenu_->setTitle(tr("&Language"));
  helpMenu_->setTitle(tr("&Help"));
  aboutAction_->setText(tr("&About Linea"));

  newChatButton_->setText(tr("New Chat"));
  conversationSearch_->setPlaceholderText(tr("Search conversations"));
  chatView_->setPlaceholderText(tr("Open a model to start chatting. Documents and images can then be dropped here."));
  messageBox_->setPlaceholderText(tr("Type a message…"));
  attachButton_->setText(tr("Attach…"));
  sendButton_->setText(tr("Send"));

  modelStatus_->setText(tr("No model loaded"));
  const ComputeBackendChoice backend = choose_compute_backend();
  backendStatus_->setText(backend.backend == ComputeBackend::cuda ? tr("GPU (CUDA)") : tr("CPU"));
  backendStatus_->setToolTip(QString::fromStdString(backend.reason));
}

void MainWindow::showAbout() {
  AboutDialog dialog(this);
  dialog.exec();
}

}  // namespace linea::gui
