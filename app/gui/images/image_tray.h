// The pictures attached to the message being written, as thumbnails above the message box. Per
// picture the user chooses "Show to the model" (at most one per message; off, with a tooltip saying
// why, when the model cannot see) or "Read the text" (OCR; the text goes into the message), or
// removes it.
#pragma once

#include <QFrame>
#include <QList>
#include <QStringList>

class QLabel;
class QPushButton;
class QToolButton;

namespace linea::gui {

class ImageTray : public QFrame {
  Q_OBJECT

 public:
  static constexpr int kThumbnailSide = 96;

  explicit ImageTray(QWidget* parent = nullptr);

  // Ignored when the picture is already attached; `shown` chooses "Show to the model" when it can be.
  void addImage(const QString& path, bool shown = false);
  void clear();
  QStringList images() const;
  QString shownImage() const;  // the picture the model will see; empty: none
  // Whether "Show to the model" can be chosen; `whyNot` becomes its tooltip when it cannot.
  void setShowAvailable(bool available, const QString& whyNot);
  // While the text of `path` is being read its "Read the text" button is off.
  void setReading(const QString& path, bool reading);

 signals:
  void readTextRequested(const QString& path);
  void imagesChanged();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  struct Entry {
    QString path;
    QFrame* frame = nullptr;
    QLabel* thumbnail = nullptr;
    QLabel* name = nullptr;
    QPushButton* show = nullptr;
    QPushButton* read = nullptr;
    QToolButton* remove = nullptr;
    bool reading = false;
  };
  void remove(const QString& path);
  void showChosen(const QString& path, bool shown);
  void retranslate();
  void updateButtons();

  QList<Entry> entries_;
  bool showAvailable_ = false;
  QString whyNot_;
};

}  // namespace linea::gui
