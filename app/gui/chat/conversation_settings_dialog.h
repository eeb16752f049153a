// Per-conversation settings: the system prompt and how replies are sampled.
#pragma once

#include "app/gui/chat/conversation.h"

#include <QDialog>

class QDoubleSpinBox;
class QPlainTextEdit;
class QSpinBox;

namespace linea::gui {

class ConversationSettingsDialog : public QDialog {
  Q_OBJECT

 public:
  ConversationSettingsDialog(const QString& systemPrompt, const SamplingSettings& sampling, QWidget* parent = nullptr);

  QString systemPrompt() const;
  SamplingSettings sampling() const;

 private:
  void resetToDefaults();
  void load(const QString& systemPrompt, const SamplingSettings& sampling);

  QPlainTextEdit* systemPrompt_ = nullptr;
  QDoubleSpinBox* temperature_ = nullptr;
  QSpinBox* topK_ = nullptr;
  QDoubleSpinBox* topP_ = nullptr;
  QDoubleSpinBox* minP_ = nullptr;
  QDoubleSpinBox* repetitionPenalty_ = nullptr;
  QSpinBox* maxNewTokens_ = nullptr;
  QSpinBox* seed_ = nullptr;
};

}  // namespace linea::gui
