#include "app/gui/images/image_workflow.h"

#include "app/gui/engine/engine_controller.h"
#include "app/gui/images/image_files.h"
#include "app/gui/images/image_tray.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QUrl>

namespace linea::gui {
namespace {

QStringList droppedImages(const QMimeData* mime) {
  QStringList files;
  if (!mime || !mime->hasUrls()) return files;
  for (const QUrl& url : mime->urls())
    if (url.isLocalFile()) files << url.toLocalFile();
  return imageFilesAmong(files);
}

}  // namespace

ImageWorkflow::ImageWorkflow(EngineController& engine, QWidget* window, QPlainTextEdit* messageBox)
    : QObject(window), engine_(engine), window_(window), messageBox_(messageBox) {
  tray_ = new ImageTray(window);
  connect(tray_, &ImageTray::readTextRequested, this, [this](const QString& path) {
    tray_->setReading(path, true);
    engine_.readImageText(path);
  });
  connect(&engine_, &EngineController::imageTextRead, this, &ImageWorkflow::onTextRead);
  connect(&engine_, &EngineController::imageTextFailed, this, &ImageWorkflow::onTextFailed);
  connect(&engine_, &EngineController::modelLoaded, this, &ImageWorkflow::updateShowAvailable);
  connect(&engine_, &EngineController::modelLoadFailed, this, &ImageWorkflow::updateShowAvailable);
  updateShowAvailable();
}

void ImageWorkflow::acceptDrops(QWidget* target) {
  target->setAcceptDrops(true);
  target->installEventFilter(this);
}

void ImageWorkflow::updateShowAvailable() {
  if (!engine_.hasModel())
    tray_->setShowAvailable(false, tr("Open a model that can see pictures first."));
  else
    tray_->setShowAvailable(engine_.visionAvailable(), engine_.visionUnavailableReason());
}

int ImageWorkflow::attachImages(const QStringList& paths) {
  QStringList problems;
  int attached = 0;
  for (const QString& path : imageFilesAmong(paths)) {
    if (const QString problem = imageFileProblem(path); !problem.isEmpty()) {
      problems << problem;
      continue;
    }
    tray_->addImage(path);
    ++attached;
  }
  if (!problems.isEmpty()) warn(problems.join(QStringLiteral("\n\n")));
  return attached;
}

void ImageWorkflow::chooseImages() {
  const QStringList paths = QFileDialog::getOpenFileNames(window_, tr("Attach Images"), QString(),
                                                          tr("Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff)"));
  if (!paths.isEmpty()) attachImages(paths);
}

bool ImageWorkflow::eventFilter(QObject* watched, QEvent* event) {
  // Like the message box and the Image… button, pictures wait for a model.
  if (!engine_.hasModel()) return QObject::eventFilter(watched, event);
  switch (event->type()) {
    case QEvent::DragEnter:
    case QEvent::DragMove: {
      auto* drag = static_cast<QDragMoveEvent*>(event);
      if (!droppedImages(drag->mimeData()).isEmpty()) {
        drag->acceptProposedAction();
        return true;
      }
      break;
    }
    case QEvent::Drop: {
      auto* drop = static_cast<QDropEvent*>(event);
      const QStringList images = droppedImages(drop->mimeData());
      if (images.isEmpty()) break;
      drop->acceptProposedAction();
      attachImages(images);
      return true;
    }
    default: break;
  }
  return QObject::eventFilter(watched, event);
}

void ImageWorkflow::onTextRead(const QString& path, const QString& text) {
  tray_->setReading(path, false);
  // The text joins what is already written, as its own paragraph.
  if (messageBox_->toPlainText().trimmed().isEmpty())
    messageBox_->setPlainText(text);
  else
    messageBox_->setPlainText(messageBox_->toPlainText().trimmed() + QStringLiteral("\n\n") + text);
}

void ImageWorkflow::onTextFailed(const QString& path, const QString& error) {
  tray_->setReading(path, false);
  warn(tr("The text of the picture could not be read: %1").arg(error));
}

void ImageWorkflow::warn(const QString& text) {
  emit imageFailed(text);
  auto* box = new QMessageBox(QMessageBox::Warning, tr("Images"), text, QMessageBox::Ok, window_);
  box->setObjectName(QStringLiteral("imageErrorDialog"));
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();  // window-modal, does not block the event loop
}

}  // namespace linea::gui
