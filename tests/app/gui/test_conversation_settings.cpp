#include "app/gui/chat/conversation_settings_dialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>

using namespace linea::gui;

class TestConversationSettings : public QObject {
  Q_OBJECT

 private slots:
  void showsAndReturnsWhatTheUserSet() {
    SamplingSettings start;
    start.temperature = 0.2;
    start.topK = 7;
    start.seed = 99;
    ConversationSettingsDialog dialog(QStringLiteral("Be brief."), start);
    QCOMPARE(dialog.systemPrompt(), QStringLiteral("Be brief."));
    QCOMPARE(dialog.sampling(), start);

    dialog.findChild<QPlainTextEdit*>(QStringLiteral("systemPrompt"))->setPlainText(QStringLiteral("  Answer in German. "));
    dialog.findChild<QDoubleSpinBox*>(QStringLiteral("temperature"))->setValue(0.0);
    dialog.findChild<QSpinBox*>(QStringLiteral("topK"))->setValue(0);
    dialog.findChild<QDoubleSpinBox*>(QStringLiteral("minP"))->setValue(0.1);
    dialog.findChild<QSpinBox*>(QStringLiteral("seed"))->setValue(-1);
    QCOMPARE(dialog.systemPrompt(), QStringLiteral("Answer in German."));
    const SamplingSettings edited = dialog.sampling();
    QCOMPARE(edited.temperature, 0.0);
    QCOMPARE(edited.topK, 0);
    QCOMPARE(edited.minP, 0.1);
    QCOMPARE(edited.seed, qint64(-1));
    QCOMPARE(edited.maxNewTokens, start.maxNewTokens);
  }

  void restoreDefaultsKeepsThePrompt() {
    SamplingSettings start;
    start.temperature = 1.7;
    start.repetitionPenalty = 2.0;
    ConversationSettingsDialog dialog(QStringLiteral("Prompt"), start);
    dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::RestoreDefaults)->click();
    QCOMPARE(dialog.sampling(), SamplingSettings{});
    QCOMPARE(dialog.systemPrompt(), QStringLiteral("Prompt"));
  }

  void outOfRangeValuesAreClamped() {
    SamplingSettings start;
    start.temperature = 50.0;
    start.seed = qint64(1) << 40;
    ConversationSettingsDialog dialog(QString(), start);
    QCOMPARE(dialog.sampling().temperature, 5.0);
    QCOMPARE(dialog.sampling().seed, qint64(std::numeric_limits<int>::max()));
  }
};

QTEST_MAIN(TestConversationSettings)
#include "test_conversation_settings.moc"
