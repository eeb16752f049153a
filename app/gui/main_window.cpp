#include "app/gui/main_window.h"

#include "app/gui/about_dialog.h"
#include "app/gui/chat/chat_view.h"
#include "app/gui/chat/conversation_list_model.h"
#include "app/gui/chat/conversation_store.h"
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
#include <QStatusBar>
#include <QVBoxLayout>

namespace linea::gui {

MainWindow::MainWindow(LanguageSwitcher& languages, ConversationStore& conversations, QWidget* parent)
    : QMainWindow(parent), languages_(languages), store_(conversations) {
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
  updateConversationControls();
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
  conversationModel_ = new ConversationListModel(store_, this);
  conversationFilter_ = new ConversationFilterModel(this);
  conversationFilter_->setSourceModel(conversationModel_);
  connect(conversationSearch_, &QLineEdit::textChanged, conversationFilter_, &ConversationFilterModel::setSearchText);
  conversationList_ = new QListView(sidebar);
  conversationList_->setObjectName(QStringLiteral("conversationList"));
  conversationList_->setModel(conversationFilter_);
  conversationList_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
  conversationList_->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(conversationList_, &QWidget::customContextMenuRequested, this, &MainWindow::showConversationMenu);
  connect(conversationList_->selectionModel(), &QItemSelectionModel::currentChanged, this,
          [this](const QModelIndex& current) {
            showConversation(current.data(ConversationListModel::IdRole).toUuid());
          });
  connect(conversationModel_, &ConversationListModel::renameFailed, this,
          [this](const QString& error) { QMessageBox::warning(this, tr("Rename conversation"), error); });
  renameConversationAction_ = new QAction(this);
  connect(renameConversationAction_, &QAction::triggered, this,
          [this] { conversationList_->edit(conversationList_->currentIndex()); });
  deleteConversationAction_ = new QAction(this);
  deleteConversationAction_->setShortcut(QKeySequence::Delete);
  deleteConversationAction_->setShortcutContext(Qt::WidgetShortcut);
  conversationList_->addAction(deleteConversationAction_);
  connect(deleteConversationAction_, &QAction::triggered, this, [this] {
    deleteConversation(conversationList_->currentIndex().data(ConversationListModel::IdRole).toUuid());
  });
  connect(&store_, &ConversationStore::conversationRemoved, this, [this](const QUuid& id) {
    if (chatViewConversation_ == id) showConversation({});
    updateConversationControls();
  });
  connect(&store_, &ConversationStore::conversationSaved, this, &MainWindow::updateConversationControls);
  sidebarLayout->addWidget(newChatButton_);
  sidebarLayout->addWidget(conversationSearch_);
  sidebarLayout->addWidget(conversationList_, 1);

  auto* chatArea = new QWidget(splitter);
  auto* chatLayout = new QVBoxLayout(chatArea);
  chatLayout->setContentsMargins(0, 6, 6, 6);
  chatView_ = new ChatView(chatArea);
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
  renameConversationAction_->setText(tr("&Rename"));
  deleteConversationAction_->setText(tr("&Delete…"));
  messageBox_->setPlaceholderText(tr("Type a message…"));
  attachButton_->setText(tr("Attach…"));
  sendButton_->setText(tr("Send"));

  modelStatus_->setText(tr("No model loaded"));
  const ComputeBackendChoice backend = choose_compute_backend();
  backendStatus_->setText(backend.backend == ComputeBackend::cuda ? tr("GPU (CUDA)") : tr("CPU"));
  backendStatus_->setToolTip(QString::fromStdString(backend.reason));
}

void MainWindow::showConversation(const QUuid& id) {
  const Conversation* conversation = store_.find(id);
  chatViewConversation_ = conversation ? id : QUuid();
  chatView_->setMessages(conversation ? conversation->messages : QList<ChatMessage>());
  if (conversation) {
    const QModelIndex sourceIndex = conversationModel_->indexOf(id);
    const QModelIndex index = conversationFilter_->mapFromSource(sourceIndex);
    if (index.isValid() && conversationList_->currentIndex() != index) conversationList_->setCurrentIndex(index);
  }
  updateConversationControls();
}

QUuid MainWindow::currentConversation() const { return chatViewConversation_; }

void MainWindow::showConversationMenu(const QPoint& position) {
  const QModelIndex index = conversationList_->indexAt(position);
  if (!index.isValid()) return;
  conversationList_->setCurrentIndex(index);
  QMenu menu(this);
  menu.addAction(renameConversationAction_);
  menu.addAction(deleteConversationAction_);
  menu.exec(conversationList_->viewport()->mapToGlobal(position));
}

void MainWindow::deleteConversation(const QUuid& id) {
  const Conversation* conversation = store_.find(id);
  if (!conversation) return;
  const auto answer = QMessageBox::question(
      this, tr("Delete conversation"),
      tr("Delete the conversation \"%1\"? This cannot be undone.").arg(conversation->title));
  if (answer != QMessageBox::Yes) return;
  QString error;
  if (!store_.remove(id, &error)) QMessageBox::warning(this, tr("Delete conversation"), error);
}

void MainWindow::updateConversationControls() {
  const bool any = store_.size() > 0;
  conversationSearch_->setEnabled(any || !conversationSearch_->text().isEmpty());
  const bool selected = store_.contains(chatViewConversation_);
  renameConversationAction_->setEnabled(selected);
  deleteConversationAction_->setEnabled(selected);
}

void MainWindow::showAbout() {
  AboutDialog dialog(this);
  dialog.exec();
}

}  // namespace linea::gui
