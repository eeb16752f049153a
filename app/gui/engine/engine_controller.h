// Owns the engine thread and its worker (Qt's documented pattern: a parentless worker moved into a
// QThread, deleted on finished, the thread stopped and joined in the destructor). GUI code calls
// these methods; they return at once and the answers arrive as signals on the GUI thread.
#pragma once

#include "app/gui/engine/engine_worker.h"

#include <QObject>
#include <QThread>

#include <atomic>

namespace linea::gui {

class EngineController : public QObject {
  Q_OBJECT

 public:
  explicit EngineController(QObject* parent = nullptr);
  ~EngineController() override;

  void loadModel(const QString& path);
  void generateReply(const ReplyRequest& request);
  // Asks the running reply to stop; safe from any thread. The worker checks between tokens.
  void stopReply() { stop_ = true; }
  // Reads documents into a conversation's state on the engine thread (progress and the outcome come
  // as signals). Call it only while the engine is not busy.
  void ingestDocuments(const IngestionRequest& request);
  // Stops the running ingestion after its current chunk; what was read is kept in its checkpoint.
  void cancelIngestion() { stop_ = true; }

  // Recognises a picture's text on the engine thread (after whatever it is doing); the answer comes
  // as imageTextRead or imageTextFailed. Does not make the engine busy.
  void readImageText(const QString& path);

  // Whether the loaded model can be shown pictures, and if not, why (set when a model loads).
  bool visionAvailable() const { return visionAvailable_; }
  const QString& visionUnavailableReason() const { return visionWhyNot_; }

  bool isBusy() const { return busy_; }
  bool isIngesting() const { return ingesting_; }
  bool hasModel() const { return !model_.path.isEmpty(); }
  const ModelSummary& model() const { return model_; }

 signals:
  void modelLoaded(const linea::gui::ModelSummary& summary);
  void modelLoadFailed(const QString& path, const QString& error);
  void replyText(const QUuid& conversation, const QString& piece, double tokensPerSecond, qint64 contextTokens);
  void replyFinished(const QUuid& conversation, const QString& text, const linea::gui::ReplyStats& stats);
  void replyFailed(const QUuid& conversation, const QString& error);
  void ingestionProgress(const linea::gui::IngestionUpdate& update);
  void ingestionFinished(const linea::gui::IngestionOutcome& outcome);
  void ingestionFailed(const QString& job, const QUuid& conversation, const QString& error);
  void busyChanged(bool busy);
  void imageTextRead(const QString& path, const QString& text);
  void imageTextFailed(const QString& path, const QString& error);

 private:
  void setBusy(bool busy);

  QThread thread_;
  EngineWorker* worker_ = nullptr;  // lives in thread_, deleted there when it finishes
  std::atomic_bool stop_ = false;
  bool busy_ = false;
  bool ingesting_ = false;
  ModelSummary model_;
  bool visionAvailable_ = false;
  QString visionWhyNot_;
};

}  // namespace linea::gui
