#include "app/gui/chat/conversation_settings_dialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

namespace linea::gui {

ConversationSettingsDialog::ConversationSettingsDialog(const QString& systemPrompt, const SamplingSettings& sampling,
                                                       QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(tr("Conversation Settings"));
  systemPrompt_ = new QPlainTextEdit(this);
  systemPrompt_->setObjectName(QStringLiteral("systemPrompt"));
  systemPrompt_->setPlaceholderText(tr("Optional instructions the model sees before every message."));

  auto spin = [this](const char* name, double min, double max, double step, int decimals) {
    auto* box = new QDoubleSpinBox(this);
    box->setObjectName(QString::fromLatin1(name));
    box->setRange(min, max);
    box->setSingleStep(step);
    box->setDecimals(decimals);
    return box;
  };
  temperature_ = spin("temperature", 0.0, 5.0, 0.05, 2);
  temperature_->setSpecialValueText(tr("0 (always the most likely token)"));
  topP_ = spin("topP", 0.0, 1.0, 0.01, 2);
  minP_ = spin("minP", 0.0, 1.0, 0.01, 2);
  repetitionPenalty_ = spin("repetitionPenalty", 1.0, 3.0, 0.05, 2);
  topK_ = new QSpinBox(this);
  topK_->setObjectName(QStringLiteral("topK"));
  topK_->setRange(0, 100000);
  topK_->setSpecialValueText(tr("off"));
  maxNewTokens_ = new QSpinBox(this);
  maxNewTokens_->setObjectName(QStringLiteral("maxNewTokens"));
  maxNewTokens_->setRange(1, 1 << 20);
  seed_ = new QSpinBox(this);
  seed_->setObjectName(QStringLiteral("seed"));
  seed_->setRange(-1, std::numeric_limits<int>::max());
  seed_->setSpecialValueText(tr("random for every reply"));

  auto* form = new QFormLayout;
  form->addRow(tr("System prompt:"), systemPrompt_);
  form->addRow(tr("Temperature:"), temperature_);
  form->addRow(tr("Top-k:"), topK_);
  form->addRow(tr("Top-p:"), topP_);
  form->addRow(tr("Min-p:"), minP_);
  form->addRow(tr("Repetition penalty:"), repetitionPenalty_);
  form->addRow(tr("Longest reply (tokens):"), maxNewTokens_);
  form->addRow(tr("Seed:"), seed_);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel |
                                       QDialogButtonBox::RestoreDefaults, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
          &ConversationSettingsDialog::resetToDefaults);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(buttons);
  load(systemPrompt, sampling);
}

void ConversationSettingsDialog::load(const QString& systemPrompt, const SamplingSettings& sampling) {
  systemPrompt_->setPlainText(systemPrompt);
  temperature_->setValue(sampling.temperature);
  topK_->setValue(sampling.topK);
  topP_->setValue(sampling.topP);
  minP_->setValue(sampling.minP);
  repetitionPenalty_->setValue(sampling.repetitionPenalty);
  maxNewTokens_->setValue(sampling.maxNewTokens);
  seed_->setValue(static_cast<int>(std::clamp<qint64>(sampling.seed, -1, std::numeric_limits<int>::max())));
}

void ConversationSettingsDialog::resetToDefaults() { load(systemPrompt_->toPlainText(), SamplingSettings{}); }

QString ConversationSettingsDialog::systemPrompt() const { return systemPrompt_->toPlainText().trimmed(); }

SamplingSettings ConversationSettingsDialog::sampling() const {
  SamplingSettings settings;
  settings.temperature = temperature_->value();
  settings.topK = topK_->value();
  settings.topP = topP_->value();
  settings.minP = minP_->value();
  settings.repetitionPenalty = repetitionPenalty_->value();
  settings.maxNewTokens = maxNewTokens_->value();
  settings.seed = seed_->value();
  return settings;
}

}  // namespace linea::gui
