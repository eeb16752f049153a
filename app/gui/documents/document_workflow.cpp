#include "app/gui/documents/document_workflow.h"

#include "app/documents/document_text.h"
#include "app/gui/chat/conversation.h"
#include "app/gui/chat/conversation_store.h"
#include "app/gui/documents/ingestion_panel.h"
#include "app/gui/engine/engine_controller.h"

#include <QAction>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QUrl>

namespace linea::gui {
namespace {

// Plain-text files are recognised by name; anything else without a known document format is left
// alone (an image dropped here is not a document).
bool isPlainTextName(const QFileInfo& info) {
  static const QStringList suffixes = {"txt", "text", "log", "csv", "tsv", "rst", "org", "adoc", "asciidoc", "srt"};
  return info.suffix().isEmpty() || suffixes.contains(info.suffix().toLower());
}

QStringList localFiles(const QMimeData* mime) {
  QStringList files;
  if (!mime || !mime->hasUrls()) return files;
  for (const QUrl& url : mime->urls())
    if (url.isLocalFile()) files << url.toLocalFile();
  return files;
}

QString samePath(const QString& path) { return QDir::cleanPath(QFileInfo(path).absoluteFilePath()); }

}  // namespace

DocumentWorkflow::DocumentWorkflow(ConversationStore& store, EngineController& engine, QWidget* window,
                                   std::function<QUuid()> shownConversation)
    : QObject(window),
      store_(store),
      engine_(engine),
      window_(window),
      shownConversation_(std::move(shownConversation)),
      library_(store.folder()) {
  panel_ = new IngestionPanel(window);
  connect(panel_, &IngestionPanel::cancelRequested, this, &DocumentWorkflow::cancelIngestion);
  connect(panel_, &IngestionPanel::resumeRequested, this,
          [this] { resumeIngestion(pendingJobFor(shownConversation_())); });
  connect(panel_, &IngestionPanel::discardRequested, this,
          [this] { discardIngestion(pendingJobFor(shownConversation_())); });
  connect(panel_, &IngestionPanel::branchRequested, this, [this] { branchConversation(shownConversation_()); });

  openAction_ = new QAction(this);
  openAction_->setObjectName(QStringLiteral("openDocumentAction"));
  connect(openAction_, &QAction::triggered, this, &DocumentWorkflow::chooseDocuments);
  branchAction_ = new QAction(this);
  branchAction_->setObjectName(QStringLiteral("branchDocumentAction"));
  connect(branchAction_, &QAction::triggered, this, [this] { branchConversation(shownConversation_()); });

  connect(&engine_, &EngineController::modelLoaded, this, &DocumentWorkflow::onModelLoaded);
  connect(&engine_, &EngineController::ingestionProgress, this, &DocumentWorkflow::onProgress);
  connect(&engine_, &EngineController::ingestionFinished, this, &DocumentWorkflow::onFinished);
  connect(&engine_, &EngineController::ingestionFailed, this, &DocumentWorkflow::onFailed);
  connect(&engine_, &EngineController::busyChanged, this, [this](bool busy) {
    if (!busy) startNext();
  });
  connect(&store_, &ConversationStore::conversationRemoved, this, &DocumentWorkflow::onConversationRemoved);
  connect(&store_, &ConversationStore::conversationSaved, this, [this](const QUuid& id) {
    if (id == shownConversation_()) conversationShown(id);
  });
  window_->installEventFilter(this);
  retranslate();
  conversationShown(shownConversation_());
}

void DocumentWorkflow::addTo(QMenu* menu, QAction* before) {
  menu->insertAction(before, openAction_);
  menu->insertAction(before, branchAction_);
}

void DocumentWorkflow::acceptDrops(QWidget* target) {
  target->setAcceptDrops(true);
  target->installEventFilter(this);
}

QStringList DocumentWorkflow::readableDocuments(const QStringList& paths) {
  QStringList readable;
  for (const QString& path : paths) {
    const QFileInfo info(path);
    if (!info.isFile()) continue;
    if (documents::detectFormat(path) != documents::DocumentFormat::plainText || isPlainTextName(info))
      readable << info.absoluteFilePath();
  }
  return readable;
}

bool DocumentWorkflow::eventFilter(QObject* watched, QEvent* event) {
  switch (event->type()) {
    case QEvent::LanguageChange:
      if (watched == window_) retranslate();
      break;
    case QEvent::DragEnter:
    case QEvent::DragMove: {
      auto* drag = static_cast<QDragMoveEvent*>(event);
      // Taken without a model too: the drop then says that a model is needed first.
      if (!readableDocuments(localFiles(drag->mimeData())).isEmpty()) {
        drag->acceptProposedAction();
        return true;
      }
      break;
    }
    case QEvent::Drop: {
      auto* drop = static_cast<QDropEvent*>(event);
      const QStringList files = readableDocuments(localFiles(drop->mimeData()));
      if (files.isEmpty()) break;
      drop->acceptProposedAction();
      openDocuments(files);
      return true;
    }
    default: break;
  }
  return QObject::eventFilter(watched, event);
}

void DocumentWorkflow::retranslate() {
  openAction_->setText(tr("Open &Document…"));
  openAction_->setToolTip(tr("Read PDF, text, Markdown, HTML or source files into a conversation"));
  branchAction_->setText(tr("New &Chat From This Document"));
}

void DocumentWorkflow::warn(const QString& title, const QString& text, const char* objectName) {
  auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, window_);
  box->setObjectName(QString::fromLatin1(objectName));
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();  // window-modal; the event loop keeps running
}

void DocumentWorkflow::chooseDocuments() {
  const QStringList paths = QFileDialog::getOpenFileNames(
      window_, tr("Open Document"), QString(),
      tr("Documents (*.pdf *.txt *.md *.markdown *.html *.htm *.xhtml *.c *.h *.cpp *.hpp *.py *.rs *.go *.java "
         "*.js *.ts *.json *.yaml *.yml *.toml *.xml *.csv *.log *.tex);;All files (*)"));
  if (!paths.isEmpty()) openDocuments(paths);
}

QUuid DocumentWorkflow::openDocuments(const QStringList& paths) {
  const QStringList readable = readableDocuments(paths);
  if (readable.isEmpty()) {
    warn(tr("Open Document"), tr("None of these files is a document Linea can read:\n%1").arg(paths.join('\n')),
         "documentErrorDialog");
    return {};
  }
  if (!engine_.hasModel()) {
    warn(tr("Open Document"), tr("Open a model first: documents are read into the model's state."),
         "documentErrorDialog");
    return {};
  }
  Conversation conversation;
  const Conversation* shown = store_.find(shownConversation_());
  if (shown && shown->messages.isEmpty() && shown->document.sourceFiles.isEmpty()) {
    conversation = *shown;
  } else {
    conversation = Conversation::createNew(IngestionPanel::sourcesText(readable));
  }
  conversation.document = DocumentState{QString(), readable, 0};
  conversation.modelPath = engine_.model().path;
  conversation.updated = QDateTime::currentDateTimeUtc();

  PendingIngestion pending;
  pending.job = DocumentLibrary::newJobId();
  pending.conversation = conversation.id;
  pending.sources = readable;
  pending.modelPath = engine_.model().path;
  pending.created = QDateTime::currentDateTimeUtc();
  QString error;
  if (!library_.savePending(pending, &error) || !store_.save(conversation, &error)) {
    library_.discard(pending.job);
    warn(tr("Open Document"), error, "documentErrorDialog");
    return {};
  }
  emit showConversationRequested(conversation.id);
  queue(pending.job);
  return conversation.id;
}

QUuid DocumentWorkflow::branchConversation(const QUuid& from) {
  const Conversation* source = store_.find(from);
  if (!source || source->document.stateFile.isEmpty()) return {};
  Conversation branch =
      Conversation::createNew(tr("Chat about %1").arg(IngestionPanel::sourcesText(source->document.sourceFiles)));
  branch.systemPrompt = source->systemPrompt;
  branch.sampling = source->sampling;
  branch.modelPath = source->modelPath;
  // The state file is never changed once written, so branches share it; each conversation's
  // session forks from it in memory when it is loaded.
  branch.document = source->document;
  QString error;
  if (!store_.save(branch, &error)) {
    warn(tr("New Chat From This Document"), error, "documentErrorDialog");
    return {};
  }
  emit showConversationRequested(branch.id);
  return branch.id;
}

void DocumentWorkflow::queue(const QString& job) {
  if (job != running_ && !queue_.contains(job)) queue_.append(job);
  startNext();
  refreshPanel();
}

void DocumentWorkflow::startNext() {
  if (!running_.isEmpty() || engine_.isBusy() || !engine_.hasModel()) return;
  while (!queue_.isEmpty()) {
    const QString job = queue_.takeFirst();
    const std::optional<PendingIngestion> pending = library_.findPending(job);
    if (!pending || pending->paused || !store_.contains(pending->conversation)) continue;
    if (samePath(pending->modelPath) != samePath(engine_.model().path)) continue;  // waits for its model
    const IngestionRequest request = library_.requestFor(*pending);
    running_ = job;
    runningSources_ = pending->sources;
    panel_->showStarting(pending->sources,
                         QFileInfo::exists(request.checkpointFile) || QFileInfo::exists(request.textFile));
    engine_.ingestDocuments(request);
    return;
  }
}

void DocumentWorkflow::onModelLoaded(const ModelSummary& summary) {
  // Jobs cut off by quitting the app resume with the model they were started with.
  for (const PendingIngestion& pending : library_.pending())
    if (!pending.paused && samePath(pending.modelPath) == samePath(summary.path)) queue(pending.job);
  refreshPanel();
}

void DocumentWorkflow::onProgress(const IngestionUpdate& update) {
  if (update.job == running_) panel_->showProgress(runningSources_, update);
}

void DocumentWorkflow::onFinished(const IngestionOutcome& outcome) {
  if (outcome.job == running_) running_.clear();
  std::optional<PendingIngestion> pending = library_.findPending(outcome.job);
  const Conversation* existing = store_.find(outcome.conversation);
  if (!pending || !existing) {
    // Discarded, or its conversation deleted, while it ran: what the engine wrote goes too.
    library_.discard(outcome.job);
  } else if (outcome.completed) {
    Conversation conversation = *existing;
    conversation.document.stateFile = library_.storedStatePath(outcome.job);
    conversation.document.tokenCount = outcome.total;
    conversation.updated = QDateTime::currentDateTimeUtc();
    QString error;
    if (store_.save(conversation, &error)) {
      library_.finish(outcome.job);
      if (!outcome.warnings.isEmpty())
        warn(tr("Document read with warnings"), outcome.warnings.join('\n'), "documentWarningsDialog");
      emit documentReady(conversation.id);
    } else {
      warn(tr("Open Document"), error, "documentErrorDialog");
    }
  } else {
    pending->paused = true;
    pending->doneTokens = outcome.done;
    pending->totalTokens = outcome.total;
    QString error;
    if (!library_.savePending(*pending, &error)) warn(tr("Open Document"), error, "documentErrorDialog");
    emit ingestionStopped(outcome.conversation);
  }
  refreshPanel();
  startNext();
}

void DocumentWorkflow::onFailed(const QString& job, const QUuid& conversationId, const QString& error) {
  if (job == running_) running_.clear();
  library_.discard(job);
  if (const Conversation* existing = store_.find(conversationId); existing && existing->document.stateFile.isEmpty()) {
    Conversation conversation = *existing;
    conversation.document = DocumentState();
    store_.save(conversation);
  }
  warn(tr("The document could not be read"), error, "documentErrorDialog");
  emit ingestionFailed(conversationId, error);
  refreshPanel();
  startNext();
}

void DocumentWorkflow::cancelIngestion() {
  if (!running_.isEmpty()) engine_.cancelIngestion();
}

void DocumentWorkflow::resumeIngestion(const QString& job) {
  std::optional<PendingIngestion> pending = library_.findPending(job);
  if (!pending) return;
  if (engine_.hasModel() && samePath(pending->modelPath) != samePath(engine_.model().path)) {
    warn(tr("Resume"),
         tr("This document was being read with the model %1. Open that model to resume, or discard it.")
             .arg(QDir::toNativeSeparators(pending->modelPath)),
         "documentErrorDialog");
    return;
  }
  pending->paused = false;
  QString error;
  if (!library_.savePending(*pending, &error)) {
    warn(tr("Resume"), error, "documentErrorDialog");
    return;
  }
  queue(job);
}

void DocumentWorkflow::discardIngestion(const QString& job) {
  if (job.isEmpty()) return;
  // A running job is stopped first; its outcome then finds no record and removes what it wrote.
  if (job == running_) engine_.cancelIngestion();
  const std::optional<PendingIngestion> pending = library_.findPending(job);
  queue_.removeAll(job);
  library_.discard(job);
  if (pending) {
    if (const Conversation* existing = store_.find(pending->conversation);
        existing && existing->document.stateFile.isEmpty()) {
      Conversation conversation = *existing;
      conversation.document = DocumentState();
      store_.save(conversation);
    }
  }
  refreshPanel();
}

QString DocumentWorkflow::pendingJobFor(const QUuid& conversation) const {
  if (conversation.isNull()) return {};
  for (const PendingIngestion& pending : library_.pending())
    if (pending.conversation == conversation) return pending.job;
  return {};
}

QString DocumentWorkflow::stateFileFor(const Conversation& conversation) const {
  return library_.resolveStoredPath(conversation.document.stateFile);
}

void DocumentWorkflow::conversationShown(const QUuid& conversation) {
  const Conversation* shown = store_.find(conversation);
  branchAction_->setEnabled(shown && !shown->document.stateFile.isEmpty());
  openAction_->setEnabled(engine_.hasModel());
  refreshPanel();
}

void DocumentWorkflow::refreshPanel() {
  openAction_->setEnabled(engine_.hasModel());
  if (!running_.isEmpty()) {
    if (panel_->mode() != IngestionPanel::Mode::running) panel_->showStarting(runningSources_, false);
    return;
  }
  const QUuid shownId = shownConversation_();
  const Conversation* shown = store_.find(shownId);
  if (!shown) {
    panel_->showNothing();
    return;
  }
  if (const QString job = pendingJobFor(shownId); !job.isEmpty()) {
    const std::optional<PendingIngestion> pending = library_.findPending(job);
    panel_->showPaused(pending->sources, pending->doneTokens, pending->totalTokens);
  } else if (!shown->document.stateFile.isEmpty()) {
    panel_->showDocument(shown->document.sourceFiles, shown->document.tokenCount);
  } else {
    panel_->showNothing();
  }
}

void DocumentWorkflow::onConversationRemoved(const QUuid& conversation) {
  for (const PendingIngestion& pending : library_.pending())
    if (pending.conversation == conversation) discardIngestion(pending.job);
  QSet<QString> referenced;
  for (const QUuid& id : store_.ids())
    if (const QString file = stateFileFor(*store_.find(id)); !file.isEmpty()) referenced.insert(file);
  library_.removeUnreferencedStates(referenced);
}

}  // namespace linea::gui
