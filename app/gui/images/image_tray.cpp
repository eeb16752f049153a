#include "app/gui/images/image_tray.h"

#include "app/gui/images/image_files.h"

#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace linea::gui {

ImageTray::ImageTray(QWidget* parent) : QFrame(parent) {
  setObjectName(QStringLiteral("imageTray"));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addStretch(1);
  setVisible(false);
}

void ImageTray::addImage(const QString& path, bool shown) {
  if (images().contains(path)) return;
  Entry entry;
  entry.path = path;
  entry.frame = new QFrame(this);
  entry.frame->setObjectName(QStringLiteral("imageAttachment"));
  entry.frame->setProperty("path", path);
  entry.frame->setFrameShape(QFrame::StyledPanel);
  entry.thumbnail = new QLabel(entry.frame);
  entry.thumbnail->setObjectName(QStringLiteral("imageThumbnail"));
  entry.thumbnail->setFixedSize(kThumbnailSide, kThumbnailSide);
  entry.thumbnail->setAlignment(Qt::AlignCenter);
  entry.thumbnail->setPixmap(imageThumbnail(path, kThumbnailSide));
  entry.name = new QLabel(QFileInfo(path).fileName(), entry.frame);
  entry.name->setToolTip(path);
  entry.show = new QPushButton(entry.frame);
  entry.show->setObjectName(QStringLiteral("showToModelButton"));
  entry.show->setCheckable(true);
  entry.read = new QPushButton(entry.frame);
  entry.read->setObjectName(QStringLiteral("readTextButton"));
  entry.remove = new QToolButton(entry.frame);
  entry.remove->setObjectName(QStringLiteral("removeImageButton"));
  entry.remove->setAutoRaise(true);
  connect(entry.show, &QPushButton::toggled, this, [this, path](bool checked) { showChosen(path, checked); });
  connect(entry.read, &QPushButton::clicked, this, [this, path] { emit readTextRequested(path); });
  connect(entry.remove, &QToolButton::clicked, this, [this, path] { remove(path); });

  auto* top = new QHBoxLayout;
  top->addWidget(entry.thumbnail);
  top->addWidget(entry.remove, 0, Qt::AlignTop);
  auto* column = new QVBoxLayout(entry.frame);
  column->setContentsMargins(4, 4, 4, 4);
  column->addLayout(top);
  column->addWidget(entry.name);
  column->addWidget(entry.show);
  column->addWidget(entry.read);
  auto* row = static_cast<QHBoxLayout*>(layout());
  row->insertWidget(row->count() - 1, entry.frame);  // before the stretch
  entries_.append(entry);
  setVisible(true);
  retranslate();
  if (shown && showAvailable_) entry.show->setChecked(true);
  emit imagesChanged();
}

void ImageTray::clear() {
  for (const Entry& entry : entries_) delete entry.frame;
  entries_.clear();
  setVisible(false);
  emit imagesChanged();
}

void ImageTray::remove(const QString& path) {
  const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.path == path; });
  if (it == entries_.end()) return;
  it->frame->deleteLater();
  entries_.erase(it);
  setVisible(!entries_.isEmpty());
  emit imagesChanged();
}

QStringList ImageTray::images() const {
  QStringList paths;
  for (const Entry& entry : entries_) paths << entry.path;
  return paths;
}

QString ImageTray::shownImage() const {
  for (const Entry& entry : entries_)
    if (entry.show->isChecked() && entry.show->isEnabled()) return entry.path;
  return {};
}

void ImageTray::showChosen(const QString& path, bool shown) {
  // One picture per message: the model's turn has one <image> place.
  if (shown) {
    for (Entry& entry : entries_)
      if (entry.path != path && entry.show->isChecked()) entry.show->setChecked(false);
  }
  emit imagesChanged();
}

void ImageTray::setShowAvailable(bool available, const QString& whyNot) {
  showAvailable_ = available;
  whyNot_ = whyNot;
  updateButtons();
}

void ImageTray::setReading(const QString& path, bool reading) {
  for (Entry& entry : entries_)
    if (entry.path == path) entry.reading = reading;
  updateButtons();
}

void ImageTray::updateButtons() {
  for (Entry& entry : entries_) {
    entry.show->setEnabled(showAvailable_);
    if (!showAvailable_) entry.show->setChecked(false);
    entry.show->setToolTip(showAvailable_ ? tr("The model sees this picture with the message") : whyNot_);
    entry.read->setEnabled(!entry.reading);
  }
}

void ImageTray::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QFrame::changeEvent(event);
}

void ImageTray::retranslate() {
  for (Entry& entry : entries_) {
    entry.show->setText(tr("Show to the model"));
    entry.read->setText(tr("Read the text"));
    entry.read->setToolTip(tr("Recognise the picture's text (OCR) and put it into the message"));
    entry.remove->setText(tr("Remove"));
    entry.remove->setToolTip(tr("Remove this picture from the message"));
  }
  updateButtons();
}

}  // namespace linea::gui
