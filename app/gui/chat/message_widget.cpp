#include "app/gui/chat/message_widget.h"

#include "app/gui/chat/markdown_renderer.h"
#include "app/gui/images/image_files.h"

#include <QAbstractTextDocumentLayout>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace linea::gui {

MessageWidget::MessageWidget(ChatMessage::Role role, const QString& text, QWidget* parent)
    : QFrame(parent), role_(role) {
  setObjectName(QStringLiteral("message"));
  setFrameShape(QFrame::NoFrame);
  setAutoFillBackground(role == ChatMessage::Role::user);
  if (role == ChatMessage::Role::user) setBackgroundRole(QPalette::AlternateBase);

  author_ = new QLabel(this);
  author_->setObjectName(QStringLiteral("messageAuthor"));
  QFont bold = author_->font();
  bold.setBold(true);
  author_->setFont(bold);

  copyButton_ = new QToolButton(this);
  copyButton_->setObjectName(QStringLiteral("copyButton"));
  copyButton_->setAutoRaise(true);
  connect(copyButton_, &QToolButton::clicked, this, &MessageWidget::copyRequested);
  editButton_ = new QToolButton(this);
  editButton_->setObjectName(QStringLiteral("editButton"));
  editButton_->setAutoRaise(true);
  editButton_->setVisible(role == ChatMessage::Role::user);
  connect(editButton_, &QToolButton::clicked, this, &MessageWidget::editRequested);
  regenerateButton_ = new QToolButton(this);
  regenerateButton_->setObjectName(QStringLiteral("regenerateButton"));
  regenerateButton_->setAutoRaise(true);
  regenerateButton_->setVisible(false);
  connect(regenerateButton_, &QToolButton::clicked, this, &MessageWidget::regenerateRequested);
  speakButton_ = new QToolButton(this);
  speakButton_->setObjectName(QStringLiteral("speakButton"));
  speakButton_->setAutoRaise(true);
  connect(speakButton_, &QToolButton::clicked, this, &MessageWidget::speakRequested);
  exportAudioButton_ = new QToolButton(this);
  exportAudioButton_->setObjectName(QStringLiteral("exportAudioButton"));
  exportAudioButton_->setAutoRaise(true);
  connect(exportAudioButton_, &QToolButton::clicked, this, &MessageWidget::exportAudioRequested);

  auto* header = new QHBoxLayout;
  header->addWidget(author_);
  header->addStretch(1);
  header->addWidget(copyButton_);
  header->addWidget(speakButton_);
  header->addWidget(exportAudioButton_);
  header->addWidget(editButton_);
  header->addWidget(regenerateButton_);

  browser_ = new QTextBrowser(this);
  browser_->setObjectName(QStringLiteral("messageText"));
  browser_->setFrameShape(QFrame::NoFrame);
  browser_->setOpenExternalLinks(true);
  browser_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  browser_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  browser_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  browser_->viewport()->setAutoFillBackground(false);
  connect(browser_->document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged, this,
          &MessageWidget::fitHeight);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(10, 6, 10, 6);
  layout->setSpacing(2);
  layout->addLayout(header);
  layout->addWidget(browser_);
  imageRow_ = new QHBoxLayout;
  imageRow_->addStretch(1);
  layout->addLayout(imageRow_);

  retranslate();
  setText(text);
}

void MessageWidget::setText(const QString& markdown) {
  text_ = markdown;
  renderMarkdown(*browser_->document(), markdown);
  fitHeight();
}

void MessageWidget::setImages(const QStringList& images, const QString& shown) {
  images_ = images;
  shownImage_ = shown;
  while (imageRow_->count() > 1) {  // all but the stretch
    QLayoutItem* item = imageRow_->takeAt(0);
    delete item->widget();
    delete item;
  }
  constexpr int kSide = 128;
  for (const QString& path : images) {
    auto* label = new QLabel(this);
    label->setObjectName(QStringLiteral("messageImage"));
    label->setProperty("path", path);
    label->setFrameShape(QFrame::StyledPanel);
    const QPixmap thumbnail = imageThumbnail(path, kSide);
    if (thumbnail.isNull())
      label->setText(QFileInfo(path).fileName());  // moved or deleted since
    else
      label->setPixmap(thumbnail);
    imageRow_->insertWidget(imageRow_->count() - 1, label);
  }
  retranslate();
}

void MessageWidget::setRegenerateVisible(bool visible) { regenerateButton_->setVisible(visible); }

void MessageWidget::setActionsEnabled(bool enabled) {
  for (QToolButton* button : {copyButton_, speakButton_, exportAudioButton_, editButton_, regenerateButton_})
    button->setEnabled(enabled);
}

void MessageWidget::fitHeight() {
  browser_->document()->setTextWidth(browser_->viewport()->width());
  const int height = static_cast<int>(std::ceil(browser_->document()->size().height())) +
                     browser_->contentsMargins().top() + browser_->contentsMargins().bottom();
  if (browser_->height() != height) browser_->setFixedHeight(height);
}

void MessageWidget::resizeEvent(QResizeEvent* event) {
  QFrame::resizeEvent(event);
  fitHeight();
}

void MessageWidget::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QFrame::changeEvent(event);
}

void MessageWidget::retranslate() {
  switch (role_) {
    case ChatMessage::Role::user: author_->setText(tr("You")); break;
    case ChatMessage::Role::assistant: author_->setText(tr("Linea")); break;
    case ChatMessage::Role::system: author_->setText(tr("System")); break;
  }
  copyButton_->setText(tr("Copy"));
  copyButton_->setToolTip(tr("Copy this message as Markdown"));
  speakButton_->setText(tr("Speak"));
  speakButton_->setToolTip(tr("Read this message aloud"));
  exportAudioButton_->setText(tr("Export Audio…"));
  exportAudioButton_->setToolTip(tr("Save this message as speech in a WAV, Opus or MP3 file"));
  editButton_->setText(tr("Edit"));
  editButton_->setToolTip(tr("Edit this message and send it again"));
  regenerateButton_->setText(tr("Regenerate"));
  regenerateButton_->setToolTip(tr("Write this reply again"));
  for (int i = 0; i < imageRow_->count(); ++i) {
    QWidget* image = imageRow_->itemAt(i)->widget();
    if (!image) continue;
    const QString path = image->property("path").toString();
    image->setToolTip(path == shownImage_ ? tr("%1\nShown to the model").arg(path)
                                          : tr("%1\nIts text was read into the message").arg(path));
  }
}

}  // namespace linea::gui
