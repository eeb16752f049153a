// Pictures in the window: dropped onto it (or chosen with "Image…"), checked from their headers,
// shown as thumbnails in the ImageTray above the message box; "Read the text" runs OCR on the engine
// thread and puts the text into the message; "Show to the model" is offered only when the loaded
// model has a vision tower. MainWindow takes the tray's pictures into the message it sends.
#pragma once

#include <QObject>
#include <QStringList>

class QPlainTextEdit;
class QWidget;

namespace linea::gui {

class EngineController;
class ImageTray;

class ImageWorkflow : public QObject {
  Q_OBJECT

 public:
  // `window` parents the tray and dialogs; recognised text goes into `messageBox`.
  ImageWorkflow(EngineController& engine, QWidget* window, QPlainTextEdit* messageBox);

  ImageTray* tray() const { return tray_; }
  // Lets pictures be dropped onto `target` (and its children that do not take drops themselves)
  // once a model is loaded.
  void acceptDrops(QWidget* target);
  // Attaches the readable pictures among `paths`; a message box names each one that is not.
  // Returns how many were attached.
  int attachImages(const QStringList& paths);
  void chooseImages();

 signals:
  // A picture could not be attached or read; `error` names the file.
  void imageFailed(const QString& error);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void updateShowAvailable();
  void onTextRead(const QString& path, const QString& text);
  void onTextFailed(const QString& path, const QString& error);
  void warn(const QString& text);

  EngineController& engine_;
  QWidget* window_;
  QPlainTextEdit* messageBox_;
  ImageTray* tray_ = nullptr;
};

}  // namespace linea::gui
