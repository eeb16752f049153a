// Model Details: what the loaded model is (architecture, size, context, weight types, file), read
// from the summary the engine thread made when the model opened; nothing is computed here.
#pragma once

#include "app/gui/models/model_summary.h"

#include <QDialog>

class QFormLayout;
class QLabel;

namespace linea::gui {

class ModelDetailsDialog : public QDialog {
  Q_OBJECT

 public:
  explicit ModelDetailsDialog(const ModelSummary& summary, QWidget* parent = nullptr);

  // The value shown for a row, by its object name ("architecture", "size", "context", "weightTypes",
  // "file", ...): for tests and accessibility tools.
  QString value(const QString& row) const;

  // "1.2 GiB", "834 KiB": bytes for people.
  static QString sizeText(quint64 bytes);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();
  QLabel* addRow(const char* name);

  ModelSummary summary_;
  QFormLayout* form_ = nullptr;
};

}  // namespace linea::gui
