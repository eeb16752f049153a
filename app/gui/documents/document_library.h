// Where a conversation's documents live on disk: in "documents/" inside the conversation folder,
// per ingestion job <id>: the finished state (<id>.lstate, shared by every conversation branched
// from it), and while it is being read the job record (<id>.ingestion), the extracted text
// (<id>.txt) and the engine's checkpoint (<id>.checkpoint.lstate). Every file is written atomically.
#pragma once

#include "app/gui/engine/ingestion_job.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <optional>

namespace linea::gui {

// An ingestion that has not finished: running, queued, stopped by the user, or cut off by quitting.
struct PendingIngestion {
  QString job;
  QUuid conversation;
  QStringList sources;
  QString modelPath;       // the model it is read with; its checkpoint only fits that model
  bool paused = false;     // the user stopped it: it waits for Resume instead of resuming on its own
  qint64 doneTokens = 0;   // when paused: document tokens in its checkpoint
  qint64 totalTokens = 0;  // when paused: document tokens in all
  QDateTime created;
};

class DocumentLibrary {
  Q_DECLARE_TR_FUNCTIONS(DocumentLibrary)

 public:
  explicit DocumentLibrary(QString conversationFolder);

  QString folder() const;  // <conversation folder>/documents
  static QString newJobId();

  QString stateFile(const QString& job) const;
  QString checkpointFile(const QString& job) const;
  QString textFile(const QString& job) const;
  QString recordFile(const QString& job) const;

  // A conversation stores its state file relative to the conversation folder, so the folder can move.
  QString storedStatePath(const QString& job) const;
  QString resolveStoredPath(const QString& stored) const;

  bool savePending(const PendingIngestion& pending, QString* error);
  std::optional<PendingIngestion> findPending(const QString& job) const;
  // Every job record, oldest first; unreadable ones are reported in `problems` and skipped.
  QList<PendingIngestion> pending(QStringList* problems = nullptr) const;
  IngestionRequest requestFor(const PendingIngestion& pending) const;

  // After the state is written: removes the record, the text and the checkpoint; keeps the state.
  void finish(const QString& job);
  // Removes every file of the job, the state included.
  void discard(const QString& job);
  // Deletes finished states that no conversation refers to any more (given as absolute paths) and
  // are not part of a pending job. Returns the files deleted.
  QStringList removeUnreferencedStates(const QSet<QString>& referenced) const;

 private:
  QString path(const QString& job, const char* suffix) const;

  QString conversationFolder_;
};

}  // namespace linea::gui
