// Documents in the window: File → Open Document and drag and drop (one or many files), reading them
// into a conversation's state on the engine thread with the progress panel, Cancel / Resume /
// Discard, resuming by itself after the app was quit mid-way, the finished state tied to the
// conversation (reopening it continues from the state file instead of reading the document again),
// and "New Chat From This Document", which branches as many conversations from one state as wanted.
//
// Which conversation a document goes into: the one shown when it is still empty (no messages, no
// document), otherwise a new one named after the document.
#pragma once

#include "app/gui/documents/document_library.h"

#include <QObject>
#include <QStringList>
#include <QUuid>

#include <functional>

class QAction;
class QMenu;
class QWidget;

namespace linea::gui {

class ConversationStore;
class EngineController;
class IngestionPanel;
struct Conversation;
struct ModelSummary;

class DocumentWorkflow : public QObject {
  Q_OBJECT

 public:
  // `window` parents the panel and dialogs and is watched for language changes; `shownConversation`
  // says which conversation the window shows.
  DocumentWorkflow(ConversationStore& store, EngineController& engine, QWidget* window,
                   std::function<QUuid()> shownConversation);

  // Inserts "Open Document…" and "New Chat From This Document" into `menu` before `before`.
  void addTo(QMenu* menu, QAction* before = nullptr);
  // Lets files be dropped onto `target` (and its children that do not take drops themselves).
  void acceptDrops(QWidget* target);
  IngestionPanel* panel() const { return panel_; }
  QAction* openAction() const { return openAction_; }
  QAction* branchAction() const { return branchAction_; }
  const DocumentLibrary& library() const { return library_; }

  // The files among `paths` this can read (PDF, text, Markdown, HTML, source code).
  static QStringList readableDocuments(const QStringList& paths);

  // Reads `paths` into the shown conversation if it is empty, else into a new one; returns that
  // conversation (invalid, with a message box, when nothing can be read or no model is loaded).
  QUuid openDocuments(const QStringList& paths);
  void chooseDocuments();
  // A new conversation that continues from `from`'s document state; returns it (invalid if none).
  QUuid branchConversation(const QUuid& from);

  void cancelIngestion();
  void resumeIngestion(const QString& job);
  void discardIngestion(const QString& job);
  // The job still reading into `conversation`, if any.
  QString pendingJobFor(const QUuid& conversation) const;
  QString runningJob() const { return running_; }

  // The absolute path of the conversation's document state; empty when it has none (yet).
  QString stateFileFor(const Conversation& conversation) const;

 public slots:
  // The window shows `conversation`: the panel and the branch action follow it.
  void conversationShown(const QUuid& conversation);

 signals:
  void showConversationRequested(const QUuid& conversation);
  // The conversation's state is written and saved with it.
  void documentReady(const QUuid& conversation);
  // An ingestion stopped before the end (cancelled); it can be resumed.
  void ingestionStopped(const QUuid& conversation);
  void ingestionFailed(const QUuid& conversation, const QString& error);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void retranslate();
  void startNext();
  void queue(const QString& job);
  void onModelLoaded(const ModelSummary& summary);
  void onProgress(const IngestionUpdate& update);
  void onFinished(const IngestionOutcome& outcome);
  void onFailed(const QString& job, const QUuid& conversation, const QString& error);
  void onConversationRemoved(const QUuid& conversation);
  void refreshPanel();
  void warn(const QString& title, const QString& text, const char* objectName);

  ConversationStore& store_;
  EngineController& engine_;
  QWidget* window_;
  std::function<QUuid()> shownConversation_;
  DocumentLibrary library_;
  IngestionPanel* panel_ = nullptr;
  QAction* openAction_ = nullptr;
  QAction* branchAction_ = nullptr;
  QStringList queue_;  // jobs waiting for the engine, oldest first
  QString running_;    // the job on the engine now
  QStringList runningSources_;
};

}  // namespace linea::gui
