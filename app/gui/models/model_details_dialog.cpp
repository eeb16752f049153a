#include "app/gui/models/model_details_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace linea::gui {

ModelDetailsDialog::ModelDetailsDialog(const ModelSummary& summary, QWidget* parent)
    : QDialog(parent), summary_(summary) {
  setObjectName(QStringLiteral("modelDetailsDialog"));
  auto* layout = new QVBoxLayout(this);
  form_ = new QFormLayout;
  form_->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
  for (const char* name : {"architecture", "description", "parameters", "size", "context", "state", "weightTypes",
                           "format", "tokenizer", "chatFormat", "file"})
    addRow(name);
  layout->addLayout(form_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
  retranslate();
  layout->setSizeConstraint(QLayout::SetMinimumSize);
}

QLabel* ModelDetailsDialog::addRow(const char* name) {
  auto* label = new QLabel(this);
  auto* field = new QLabel(this);
  field->setObjectName(QString::fromLatin1(name));
  field->setTextInteractionFlags(Qt::TextSelectableByMouse);
  label->setBuddy(field);
  form_->addRow(label, field);
  return field;
}

QString ModelDetailsDialog::value(const QString& row) const {
  const auto* field = findChild<QLabel*>(row);
  return field ? field->text() : QString();
}

QString ModelDetailsDialog::sizeText(quint64 bytes) {
  return QLocale().formattedDataSize(static_cast<qint64>(bytes), 1, QLocale::DataSizeIecFormat);
}

void ModelDetailsDialog::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QDialog::changeEvent(event);
}

void ModelDetailsDialog::retranslate() {
  setWindowTitle(tr("Model Details"));
  const QLocale locale;
  const struct {
    const char* name;
    QString label;
    QString value;
  } rows[] = {
      {"architecture", tr("Architecture:"), summary_.architecture},
      {"description", tr("Description:"), summary_.description},
      {"parameters", tr("Parameters:"),
       tr("%1 (%2 layers, width %3, vocabulary %4)")
           .arg(locale.toString(summary_.parameters))
           .arg(summary_.layers)
           .arg(summary_.embedding)
           .arg(locale.toString(summary_.vocabulary))},
      {"size", tr("Size:"),
       tr("%1 of weights, %2 on disk").arg(sizeText(summary_.weightBytes), sizeText(summary_.fileBytes))},
      {"context", tr("Context:"),
       summary_.contextLength > 0 ? tr("%1 tokens (declared by the model files)").arg(locale.toString(summary_.contextLength))
       : summary_.stateBytesPerToken > 0
           ? tr("no fixed limit: the softmax layers' memory grows with the text")
           : tr("no fixed limit: the model keeps a fixed-size state however long the text")},
      {"state", tr("State per conversation:"),
       summary_.stateBytesPerToken > 0
           ? tr("%1 + %2 per token").arg(sizeText(summary_.stateBytes), sizeText(summary_.stateBytesPerToken))
           : sizeText(summary_.stateBytes)},
      {"weightTypes", tr("Quantization / data types:"), summary_.weightTypes},
      {"format", tr("Format:"), summary_.format},
      {"tokenizer", tr("Tokenizer:"), summary_.tokenizer},
      {"chatFormat", tr("Chat format:"), summary_.chatFormat},
      {"file", tr("File:"), QDir::toNativeSeparators(QDir::cleanPath(QFileInfo(summary_.path).absoluteFilePath()))},
  };
  for (const auto& row : rows) {
    auto* field = findChild<QLabel*>(QString::fromLatin1(row.name));
    field->setText(row.value);
    if (auto* label = qobject_cast<QLabel*>(form_->labelForField(field))) label->setText(row.label);
  }
}

}  // namespace linea::gui
