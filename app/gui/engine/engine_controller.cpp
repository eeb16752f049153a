#include "app/gui/engine/engine_controller.h"

namespace linea::gui {

EngineController::EngineController(QObject* parent) : QObject(parent) {
  thread_.setObjectName(QStringLiteral("linea-engine"));
  worker_ = new EngineWorker(stop_);
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);

  connect(worker_, &EngineWorker::visionChecked, this, [this](bool available, const QString& whyNot) {
    visionAvailable_ = available;
    visionWhyNot_ = whyNot;
  });
  connect(worker_, &EngineWorker::imageTextRead, this, &EngineController::imageTextRead);
  connect(worker_, &EngineWorker::imageTextFailed, this, &EngineController::imageTextFailed);
  connect(worker_, &EngineWorker::modelLoaded, this, [this](const ModelSummary& summary) {
    model_ = summary;
    setBusy(false);
    emit modelLoaded(summary);
  });
  connect(worker_, &EngineWorker::modelLoadFailed, this, [this](const QString& path, const QString& error) {
    setBusy(false);
    emit modelLoadFailed(path, error);
  });
  connect(worker_, &EngineWorker::replyText, this, &EngineController::replyText);
  connect(worker_, &EngineWorker::replyFinished, this,
          [this](const QUuid& conversation, const QString& text, const ReplyStats& stats) {
            setBusy(false);
            emit replyFinished(conversation, text, stats);
          });
  connect(worker_, &EngineWorker::replyFailed, this, [this](const QUuid& conversation, const QString& error) {
    setBusy(false);
    emit replyFailed(conversation, error);
  });
  connect(worker_, &EngineWorker::ingestionProgress, this, &EngineController::ingestionProgress);
  connect(worker_, &EngineWorker::ingestionFinished, this, [this](const IngestionOutcome& outcome) {
    ingesting_ = false;
    setBusy(false);
    emit ingestionFinished(outcome);
  });
  connect(worker_, &EngineWorker::ingestionFailed, this,
          [this](const QString& job, const QUuid& conversation, const QString& error) {
            ingesting_ = false;
            setBusy(false);
            emit ingestionFailed(job, conversation, error);
          });
  thread_.start();
}

EngineController::~EngineController() {
  stop_ = true;
  thread_.quit();
  thread_.wait();
}

void EngineController::setBusy(bool busy) {
  if (busy_ == busy) return;
  busy_ = busy;
  emit busyChanged(busy);
}

void EngineController::loadModel(const QString& path) {
  setBusy(true);
  QMetaObject::invokeMethod(
      worker_, [worker = worker_, path] { worker->loadModel(path); }, Qt::QueuedConnection);
}

void EngineController::generateReply(const ReplyRequest& request) {
  setBusy(true);
  stop_ = false;
  QMetaObject::invokeMethod(
      worker_, [worker = worker_, request] { worker->generateReply(request); }, Qt::QueuedConnection);
}

void EngineController::readImageText(const QString& path) {
  QMetaObject::invokeMethod(
      worker_, [worker = worker_, path] { worker->readImageText(path); }, Qt::QueuedConnection);
}

void EngineController::ingestDocuments(const IngestionRequest& request) {
  ingesting_ = true;
  setBusy(true);
  stop_ = false;
  QMetaObject::invokeMethod(
      worker_, [worker = worker_, request] { worker->ingestDocuments(request); }, Qt::QueuedConnection);
}

}  // namespace linea::gui
