#include "app/gui/main_window.h"

#include "app/gui/about_dialog.h"
#include "app/gui/chat/chat_view.h"
#include "app/gui/chat/conversation_list_model.h"
#include "app/gui/chat/conversation_settings_dialog.h"
#include "app/gui/chat/conversation_store.h"
#include "app/gui/documents/document_workflow.h"
#include "app/gui/documents/ingestion_panel.h"
#include "app/gui/engine/engine_controller.h"
#include "app/gui/images/image_tray.h"
#include "app/gui/images/image_workflow.h"
#include "app/gui/language_switcher.h"
#include "app/gui/models/model_menu.h"
#include "app/gui/voice/speaking_indicator.h"
#include "app/gui/voice/speech_controller.h"
#include "app/gui/voice/voice_menu.h"
#include "engine/runtime/compute_backend.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
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

MainWindow::MainWindow(LanguageSwitcher& languages, ConversationStore& conversations, EngineController& engine,
                       QWidget* parent)
    : QMainWindow(parent), languages_(languages), store_(conversations), engine_(engine) {
  setObjectName(QStringLiteral("mainWindow"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/linea.png")));
  resize(1100, 720);
  buildMenus();
  buildCentralArea();

  modelStatus_ = new QLabel(this);
  modelStatus_->setObjectName(QStringLiteral("modelStatus"));
  backendStatus_ = new QLabel(this);
  backendStatus_->setObjectName(QStringLiteral("backendStatus"));
  // Probed once: asking the CUDA driver can take a while and must not repeat on the GUI thread.
  const ComputeBackendChoice backend = choose_compute_backend();
  usesCuda_ = backend.backend == ComputeBackend::cuda;
  backendStatus_->setToolTip(QString::fromStdString(backend.reason));
  statusBar()->addWidget(modelStatus_, 1);
  statusBar()->addPermanentWidget(backendStatus_);

  // Voice: replies spoken while they are written, speech and audio export per message (app/gui/voice).
  speech_ = new SpeechController(this);
  voiceMenu_ = new VoiceMenu(*speech_, this);
  menuBar()->insertMenu(helpMenu_->menuAction(), voiceMenu_);
  speakingIndicator_ = new SpeakingIndicator(*speech_, this);
  statusBar()->addPermanentWidget(speakingIndicator_);
  connect(chatView_, &ChatView::speakRequested, speech_, &SpeechController::speak);
  connect(chatView_, &ChatView::exportAudioRequested, this, [this](const QString& text) {
    const Conversation* conversation = store_.find(chatViewConversation_);
    voiceMenu_->exportAudio({text}, conversation ? conversation->title : QString());
  });
  connect(voiceMenu_, &VoiceMenu::exportConversationRequested, this, [this] {
    if (const Conversation* conversation = store_.find(chatViewConversation_))
      voiceMenu_->exportConversation(*conversation);
  });

  connect(&languages_, &LanguageSwitcher::languageChanged, this, [this](const QString& code) {
    for (QAction* action : languageGroup_->actions()) action->setChecked(action->data().toString() == code);
  });
  connect(&engine_, &EngineController::modelLoaded, this, &MainWindow::onModelLoaded);
  connect(&engine_, &EngineController::modelLoadFailed, this, &MainWindow::onModelLoadFailed);
  connect(&engine_, &EngineController::replyText, this, &MainWindow::onReplyText);
  connect(&engine_, &EngineController::replyFinished, this, &MainWindow::onReplyFinished);
  connect(&engine_, &EngineController::replyFailed, this, &MainWindow::onReplyFailed);
  connect(&engine_, &EngineController::busyChanged, this, &MainWindow::updateChatControls);

  retranslate();
  updateConversationControls();
  updateChatControls();
}

void MainWindow::buildMenus() {
  fileMenu_ = menuBar()->addMenu(QString());
  openModelAction_ = fileMenu_->addAction(QString());
  openModelAction_->setObjectName(QStringLiteral("openModelAction"));
  openModelAction_->setShortcut(QKeySequence::Open);
  connect(openModelAction_, &QAction::triggered, this, &MainWindow::chooseModelFile);
  openModelFolderAction_ = fileMenu_->addAction(QString());
  connect(openModelFolderAction_, &QAction::triggered, this, &MainWindow::chooseModelFolder);
  modelMenu_ = new ModelMenu(engine_, this);
  modelMenu_->addTo(fileMenu_);
  connect(modelMenu_, &ModelMenu::openRequested, this, &MainWindow::openModel);
  fileMenu_->addSeparator();
  documents_ = new DocumentWorkflow(store_, engine_, this, [this] { return chatViewConversation_; });
  documents_->addTo(fileMenu_);
  connect(documents_, &DocumentWorkflow::showConversationRequested, this, &MainWindow::showConversation);
  conversationSettingsAction_ = fileMenu_->addAction(QString());
  conversationSettingsAction_->setObjectName(QStringLiteral("conversationSettingsAction"));
  connect(conversationSettingsAction_, &QAction::triggered, this, [this] {
    const Conversation* conversation = store_.find(chatViewConversation_);
    if (!conversation) return;
    ConversationSettingsDialog dialog(conversation->systemPrompt, conversation->sampling, this);
    if (dialog.exec() != QDialog::Accepted) return;
    Conversation changed = *conversation;
    changed.systemPrompt = dialog.systemPrompt();
    changed.sampling = dialog.sampling();
    QString error;
    if (!store_.save(changed, &error)) QMessageBox::warning(this, tr("Conversation Settings"), error);
  });
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
  connect(newChatButton_, &QPushButton::clicked, this, &MainWindow::startNewChat);
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
  connect(chatView_, &ChatView::regenerateRequested, this, &MainWindow::regenerateLastReply);
  connect(chatView_, &ChatView::editRequested, this, &MainWindow::editMessage);
  messageBox_ = new QPlainTextEdit(chatArea);
  messageBox_->setObjectName(QStringLiteral("messageBox"));
  messageBox_->setMaximumHeight(120);
  attachButton_ = new QPushButton(chatArea);
  attachButton_->setObjectName(QStringLiteral("attachButton"));
  attachButton_->setEnabled(false);
  sendButton_ = new QPushButton(chatArea);
  sendButton_->setObjectName(QStringLiteral("sendButton"));
  sendButton_->setDefault(true);
  connect(sendButton_, &QPushButton::clicked, this, &MainWindow::sendOrStop);
  attachButton_->setToolTip(QString());
  attachImageButton_ = new QPushButton(chatArea);
  attachImageButton_->setObjectName(QStringLiteral("attachImageButton"));
  attachImageButton_->setEnabled(false);
  images_ = new ImageWorkflow(engine_, this, messageBox_);
  connect(attachImageButton_, &QPushButton::clicked, images_, &ImageWorkflow::chooseImages);
  auto* inputRow = new QHBoxLayout;
  inputRow->addWidget(messageBox_, 1);
  auto* buttonColumn = new QVBoxLayout;
  buttonColumn->addWidget(attachButton_);
  buttonColumn->addWidget(attachImageButton_);
  buttonColumn->addWidget(sendButton_);
  buttonColumn->addStretch(1);
  inputRow->addLayout(buttonColumn);
  chatLayout->addWidget(chatView_, 1);
  chatLayout->addWidget(documents_->panel());
  documents_->acceptDrops(this);
  images_->acceptDrops(this);
  connect(attachButton_, &QPushButton::clicked, documents_, &DocumentWorkflow::chooseDocuments);
  chatLayout->addWidget(images_->tray());
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
  openModelFolderAction_->setText(tr("Open Model &Folder…"));
  conversationSettingsAction_->setText(tr("Conversation &Settings…"));
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
  attachImageButton_->setText(tr("Image…"));
  attachImageButton_->setToolTip(tr("Attach pictures: show them to the model or read their text"));
  sendButton_->setText(engine_.isBusy() && !modelLoading_ ? tr("Stop") : tr("Send"));

  updateModelStatus();
  backendStatus_->setText(usesCuda_ ? tr("GPU (CUDA)") : tr("CPU"));
}

void MainWindow::updateModelStatus() {
  if (modelLoading_) modelStatus_->setText(tr("Loading model…"));
  else if (engine_.hasModel())
    modelStatus_->setText(tr("Model: %1 (%2)").arg(QFileInfo(engine_.model().path).fileName(), engine_.model().description));
  else modelStatus_->setText(tr("No model loaded"));
}

void MainWindow::chooseModelFile() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open Model"), QString(),
      tr("Models (*.gguf *.safetensors *.bin config.json);;All files (*)"));
  if (path.isEmpty()) return;
  // A Hugging Face model is a folder: picking its config.json or a weights file means the folder.
  const QFileInfo info(path);
  openModel(info.suffix() == QLatin1String("json") || info.suffix() == QLatin1String("safetensors")
                ? info.absolutePath()
                : path);
}

void MainWindow::chooseModelFolder() {
  const QString path = QFileDialog::getExistingDirectory(this, tr("Open Model Folder"));
  if (!path.isEmpty()) openModel(path);
}

void MainWindow::openModel(const QString& path) {
  modelLoading_ = true;
  engine_.loadModel(path);
  updateModelStatus();
  updateChatControls();
}

void MainWindow::onModelLoaded(const ModelSummary& summary) {
  modelLoading_ = false;
  QSettings().setValue(QStringLiteral("model/last"), summary.path);
  updateModelStatus();
  updateChatControls();
}

void MainWindow::onModelLoadFailed(const QString& path, const QString& error) {
  modelLoading_ = false;
  updateModelStatus();
  updateChatControls();
  auto* box = new QMessageBox(QMessageBox::Critical, tr("The model could not be opened"),
                              QStringLiteral("%1\n\n%2").arg(QDir::toNativeSeparators(path), error), QMessageBox::Ok, this);
  box->setObjectName(QStringLiteral("modelErrorDialog"));
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();  // window-modal, does not block the event loop
}

void MainWindow::updateChatControls() {
  const bool ready = engine_.hasModel() && !modelLoading_;
  const bool ingesting = engine_.isIngesting();  // the document panel has its own Cancel
  const bool replying = engine_.isBusy() && !modelLoading_ && !ingesting;
  messageBox_->setEnabled(ready);
  sendButton_->setEnabled(ready && !ingesting);
  attachButton_->setEnabled(ready);
  attachImageButton_->setEnabled(ready);
  newChatButton_->setEnabled(ready && !replying);
  openModelAction_->setEnabled(!engine_.isBusy());
  openModelFolderAction_->setEnabled(!engine_.isBusy());
  conversationSettingsAction_->setEnabled(store_.contains(chatViewConversation_));
  conversationList_->setEnabled(!replying);
  sendButton_->setText(replying ? tr("Stop") : tr("Send"));
}

void MainWindow::startNewChat() {
  editingIndex_ = -1;
  conversationList_->clearSelection();
  showConversation({});
  messageBox_->setFocus();
}

void MainWindow::sendOrStop() {
  if (engine_.isBusy()) {
    engine_.stopReply();
    return;
  }
  const QString text = messageBox_->toPlainText().trimmed();
  const QStringList images = images_->tray()->images();
  const QString shownImage = images_->tray()->shownImage();
  if ((text.isEmpty() && shownImage.isEmpty()) || !engine_.hasModel()) return;

  Conversation conversation;
  if (const Conversation* existing = store_.find(chatViewConversation_)) {
    conversation = *existing;
  } else {
    conversation = Conversation::createNew(
        text.isEmpty() ? QFileInfo(shownImage).fileName() : text.left(60).simplified());
  }
  if (editingIndex_ >= 0 && editingIndex_ < conversation.messages.size()) {
    conversation.messages.erase(conversation.messages.begin() + editingIndex_, conversation.messages.end());
  }
  editingIndex_ = -1;
  conversation.messages.append({ChatMessage::Role::user, text, QDateTime::currentDateTimeUtc(), images, shownImage});
  conversation.modelPath = engine_.model().path;
  conversation.updated = QDateTime::currentDateTimeUtc();
  QString error;
  if (!store_.save(conversation, &error)) {
    QMessageBox::warning(this, tr("Send"), error);
    return;
  }
  messageBox_->clear();
  images_->tray()->clear();
  showConversation(conversation.id);
  startReply(conversation);
}

void MainWindow::startReply(const Conversation& conversation) {
  replyConversation_ = conversation.id;
  chatView_->beginReply();
  speech_->beginReply();
  ReplyRequest request;
  request.conversation = conversation.id;
  request.systemPrompt = conversation.systemPrompt;
  request.messages = conversation.messages;
  request.sampling = conversation.sampling;
  request.documentState = documents_->stateFileFor(conversation);
  engine_.generateReply(request);
  updateChatControls();
}

void MainWindow::onReplyText(const QUuid& conversation, const QString& piece, double tokensPerSecond,
                             qint64 contextTokens) {
  if (conversation == chatViewConversation_) chatView_->appendToReply(piece);
  if (conversation == replyConversation_) speech_->addReplyText(piece);
  modelStatus_->setText(tr("Writing… %1 tokens/s, %2 tokens in context")
                            .arg(tokensPerSecond, 0, 'f', 1)
                            .arg(contextTokens));
}

void MainWindow::onReplyFinished(const QUuid& conversationId, const QString& text, const ReplyStats& stats) {
  if (conversationId == chatViewConversation_) chatView_->finishReply();
  speech_->finishReply();
  replyConversation_ = QUuid();
  if (const Conversation* existing = store_.find(conversationId)) {
    Conversation conversation = *existing;
    conversation.messages.append({ChatMessage::Role::assistant, text, QDateTime::currentDateTimeUtc()});
    conversation.updated = QDateTime::currentDateTimeUtc();
    QString error;
    if (!store_.save(conversation, &error)) QMessageBox::warning(this, tr("Save conversation"), error);
    if (conversationId == chatViewConversation_) showConversation(conversationId);
  }
  updateModelStatus();
  modelStatus_->setText(tr("%1 tokens at %2 tokens/s (%3), %4 tokens in context")
                            .arg(stats.replyTokens)
                            .arg(stats.tokensPerSecond, 0, 'f', 1)
                            .arg(stats.stopReason)
                            .arg(stats.contextTokens));
  updateChatControls();
}

void MainWindow::onReplyFailed(const QUuid& conversation, const QString& error) {
  if (conversation == chatViewConversation_) chatView_->finishReply();
  speech_->finishReply();
  replyConversation_ = QUuid();
  updateChatControls();
  modelStatus_->setText(tr("The reply failed: %1").arg(error));
}

void MainWindow::regenerateLastReply() {
  const Conversation* existing = store_.find(chatViewConversation_);
  if (!existing || engine_.isBusy() || existing->messages.isEmpty() ||
      existing->messages.last().role != ChatMessage::Role::assistant)
    return;
  Conversation conversation = *existing;
  conversation.messages.removeLast();
  QString error;
  if (!store_.save(conversation, &error)) return;
  showConversation(conversation.id);
  startReply(conversation);
}

void MainWindow::editMessage(int index) {
  const Conversation* conversation = store_.find(chatViewConversation_);
  if (!conversation || engine_.isBusy()) return;
  // The view omits system messages; map the view's index to the conversation's.
  int seen = -1;
  for (int i = 0; i < conversation->messages.size(); ++i) {
    if (conversation->messages[i].role == ChatMessage::Role::system) continue;
    if (++seen == index) {
      editingIndex_ = i;
      messageBox_->setPlainText(conversation->messages[i].text);
      // Its pictures come back into the tray, the shown one chosen again.
      images_->tray()->clear();
      for (const QString& image : conversation->messages[i].images)
        images_->tray()->addImage(image, image == conversation->messages[i].shownImage);
      messageBox_->setFocus();
      return;
    }
  }
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
  if (conversationSettingsAction_) conversationSettingsAction_->setEnabled(conversation != nullptr);
  documents_->conversationShown(chatViewConversation_);
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
  if (voiceMenu_) voiceMenu_->exportConversationAction()->setEnabled(selected);
}

void MainWindow::showAbout() {
  AboutDialog dialog(this);
  dialog.exec();
}

}  // namespace linea::gui
