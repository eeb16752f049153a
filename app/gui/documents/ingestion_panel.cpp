#include "app/gui/documents/ingestion_panel.h"

#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace linea::gui {
namespace {

constexpr int kProgressSteps = 1000;  // QProgressBar counts in int; token counts may not fit

}  // namespace

IngestionPanel::IngestionPanel(QWidget* parent) : QFrame(parent) {
  setObjectName(QStringLiteral("ingestionPanel"));
  setFrameShape(QFrame::StyledPanel);
  auto* layout = new QHBoxLayout(this);
  auto* text = new QVBoxLayout;
  title_ = new QLabel(this);
  title_->setObjectName(QStringLiteral("ingestionTitle"));
  QFont bold = title_->font();
  bold.setBold(true);
  title_->setFont(bold);
  title_->setTextFormat(Qt::PlainText);
  details_ = new QLabel(this);
  details_->setObjectName(QStringLiteral("ingestionDetails"));
  details_->setTextFormat(Qt::PlainText);
  details_->setWordWrap(true);
  progress_ = new QProgressBar(this);
  progress_->setObjectName(QStringLiteral("ingestionProgress"));
  progress_->setRange(0, kProgressSteps);
  progress_->setTextVisible(true);
  text->addWidget(title_);
  text->addWidget(progress_);
  text->addWidget(details_);
  layout->addLayout(text, 1);

  cancel_ = new QPushButton(this);
  cancel_->setObjectName(QStringLiteral("cancelIngestionButton"));
  resume_ = new QPushButton(this);
  resume_->setObjectName(QStringLiteral("resumeIngestionButton"));
  discard_ = new QPushButton(this);
  discard_->setObjectName(QStringLiteral("discardIngestionButton"));
  branch_ = new QPushButton(this);
  branch_->setObjectName(QStringLiteral("branchDocumentButton"));
  connect(cancel_, &QPushButton::clicked, this, &IngestionPanel::cancelRequested);
  connect(resume_, &QPushButton::clicked, this, &IngestionPanel::resumeRequested);
  connect(discard_, &QPushButton::clicked, this, &IngestionPanel::discardRequested);
  connect(branch_, &QPushButton::clicked, this, &IngestionPanel::branchRequested);
  auto* buttons = new QVBoxLayout;
  for (QPushButton* button : {cancel_, resume_, discard_, branch_}) buttons->addWidget(button);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  render();
}

void IngestionPanel::showStarting(const QStringList& sources, bool resuming) {
  mode_ = Mode::running;
  sources_ = sources;
  resuming_ = resuming;
  hasUpdate_ = false;
  render();
}

void IngestionPanel::showProgress(const QStringList& sources, const IngestionUpdate& update) {
  mode_ = Mode::running;
  sources_ = sources;
  update_ = update;
  hasUpdate_ = true;
  render();
}

void IngestionPanel::showPaused(const QStringList& sources, qint64 done, qint64 total) {
  mode_ = Mode::paused;
  sources_ = sources;
  done_ = done;
  total_ = total;
  render();
}

void IngestionPanel::showDocument(const QStringList& sources, qint64 tokens) {
  mode_ = Mode::document;
  sources_ = sources;
  done_ = total_ = tokens;
  render();
}

void IngestionPanel::showNothing() {
  mode_ = Mode::hidden;
  render();
}

QString IngestionPanel::title() const { return title_->text(); }
QString IngestionPanel::details() const { return details_->text(); }

QString IngestionPanel::durationText(double seconds) {
  const qint64 total = std::max<qint64>(0, std::llround(seconds));
  const qint64 hours = total / 3600, minutes = (total / 60) % 60, secs = total % 60;
  if (hours > 0)
    return QStringLiteral("%1:%2:%3")
        .arg(hours)
        .arg(minutes, 2, 10, QLatin1Char('0'))
        .arg(secs, 2, 10, QLatin1Char('0'));
  return QStringLiteral("%1:%2").arg(minutes).arg(secs, 2, 10, QLatin1Char('0'));
}

QString IngestionPanel::sourcesText(const QStringList& sources) {
  QStringList names;
  for (const QString& source : sources) names << QFileInfo(source).fileName();
  if (names.size() <= 2) return names.join(QStringLiteral(", "));
  return tr("%1, %2 and %3 more").arg(names[0], names[1]).arg(names.size() - 2);
}

void IngestionPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) render();
  QFrame::changeEvent(event);
}

void IngestionPanel::render() {
  setVisible(mode_ != Mode::hidden);
  cancel_->setVisible(mode_ == Mode::running);
  resume_->setVisible(mode_ == Mode::paused);
  discard_->setVisible(mode_ == Mode::paused);
  branch_->setVisible(mode_ == Mode::document);
  progress_->setVisible(mode_ == Mode::running || mode_ == Mode::paused);
  cancel_->setText(tr("Cancel"));
  resume_->setText(tr("Resume"));
  discard_->setText(tr("Discard"));
  branch_->setText(tr("New Chat From This Document"));
  cancel_->setToolTip(tr("Stop reading; what was read so far is kept and can be resumed"));
  branch_->setToolTip(tr("Start another conversation that continues from this document's saved state"));

  const QLocale locale;
  const QString names = sourcesText(sources_);
  auto setFraction = [&](qint64 done, qint64 total) {
    progress_->setValue(total > 0 ? int(done * kProgressSteps / total) : 0);
  };
  switch (mode_) {
    case Mode::hidden: break;
    case Mode::running:
      if (!hasUpdate_) {
        title_->setText(resuming_ ? tr("Resuming %1…").arg(names) : tr("Opening %1…").arg(names));
        details_->setText(tr("Waiting for the engine"));
        progress_->setValue(0);
      } else if (update_.phase == IngestionUpdate::Phase::reading) {
        title_->setText(tr("Extracting the text of %1").arg(QFileInfo(update_.currentFile).fileName()));
        details_->setText(tr("Page %1 of %2 · memory %3 MiB")
                              .arg(update_.pagesDone)
                              .arg(update_.pagesTotal)
                              .arg(update_.memoryMiB, 0, 'f', 0));
        setFraction(update_.pagesDone, update_.pagesTotal);
      } else {
        title_->setText(tr("Reading %1 into the model").arg(names));
        QStringList parts;
        parts << tr("%1 / %2 tokens").arg(locale.toString(update_.done), locale.toString(update_.total));
        parts << tr("%1 tokens/s").arg(update_.tokensPerSecond, 0, 'f', 0);
        parts << (update_.secondsLeft >= 0 ? tr("%1 left").arg(durationText(update_.secondsLeft))
                                           : tr("time left unknown"));
        parts << tr("memory %1 MiB").arg(update_.memoryMiB, 0, 'f', 0);
        if (update_.resumedFrom > 0) parts << tr("resumed at %1 tokens").arg(locale.toString(update_.resumedFrom));
        details_->setText(parts.join(QStringLiteral(" · ")));
        setFraction(update_.done, update_.total);
      }
      break;
    case Mode::paused:
      title_->setText(tr("Reading %1 was stopped").arg(names));
      details_->setText(total_ > 0 ? tr("%1 of %2 tokens are read; Resume continues from there.")
                                         .arg(locale.toString(done_), locale.toString(total_))
                                   : tr("Resume continues from the last checkpoint."));
      setFraction(done_, total_);
      break;
    case Mode::document:
      title_->setText(tr("Document: %1").arg(names));
      details_->setText(
          tr("%1 tokens read into the model. Replies continue from its saved state.").arg(locale.toString(total_)));
      break;
  }
}

}  // namespace linea::gui
