// Voice settings as the user sets them: remembered in QSettings (bad stored values fall back to
// defaults), the settings dialog's language and voice lists built from the real voice backends, and
// the "Speak Replies" toggle remembered across a restart.
#include "app/gui/voice/speech_controller.h"
#include "app/gui/voice/voice_menu.h"
#include "app/gui/voice/voice_settings.h"
#include "app/gui/voice/voice_settings_dialog.h"
#include "audio/voices/speech_synthesizer.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace linea::gui;

class TestVoiceSettings : public QObject {
  Q_OBJECT

  QTemporaryDir home_;
  std::unique_ptr<linea::audio::SpeechSynthesizer> synthesizer_;

  static QStringList itemData(const QComboBox* box) {
    QStringList data;
    for (int i = 0; i < box->count(); ++i) data << box->itemData(i).toString();
    return data;
  }

 private slots:
  void initTestCase() {
    // QSettings writes under a temporary config folder, never the user's.
    QVERIFY(home_.isValid());
    qputenv("HOME", home_.path().toLocal8Bit());
    qputenv("XDG_CONFIG_HOME", home_.path().toLocal8Bit());
    QCoreApplication::setOrganizationName(QStringLiteral("LineaTest"));
    QCoreApplication::setApplicationName(QStringLiteral("test_voice_settings"));
    synthesizer_ = std::make_unique<linea::audio::SpeechSynthesizer>();
  }

  void init() { QSettings().clear(); }

  void defaultsWhenNothingIsStored() {
    const VoiceSettings loaded = VoiceSettings::load();
    QCOMPARE(loaded, VoiceSettings());
    QVERIFY(!loaded.speakReplies);
    QCOMPARE(loaded.voice, QStringLiteral("auto"));
    QCOMPARE(loaded.rate, 1.0);
  }

  void savedSettingsComeBack() {
    VoiceSettings settings;
    settings.speakReplies = true;
    settings.language = QStringLiteral("de");
    settings.voice = QStringLiteral("espeak-ng:de");
    settings.rate = 1.35;
    settings.save();
    QCOMPARE(VoiceSettings::load(), settings);
  }

  void badStoredRateFallsBack_data() {
    QTest::addColumn<QVariant>("stored");
    QTest::addColumn<double>("expected");
    QTest::newRow("in range") << QVariant(QStringLiteral("0.5")) << 0.5;
    QTest::newRow("too fast") << QVariant(7.0) << 1.0;
    QTest::newRow("too slow") << QVariant(0.1) << 1.0;
    QTest::newRow("not a number") << QVariant(QStringLiteral("fast")) << 1.0;
  }
  void badStoredRateFallsBack() {
    QFETCH(QVariant, stored);
    QFETCH(double, expected);
    QSettings().setValue(QStringLiteral("voice/rate"), stored);
    QCOMPARE(VoiceSettings::load().rate, expected);
  }

  void dialogListsLanguagesAndTheirVoices() {
    VoiceSettings settings;
    VoiceSettingsDialog dialog(settings, synthesizer_->voices());
    auto* language = dialog.findChild<QComboBox*>(QStringLiteral("voiceLanguage"));
    auto* voice = dialog.findChild<QComboBox*>(QStringLiteral("voiceChoice"));
    QVERIFY(language && voice);
    const QStringList languages = itemData(language);
    QCOMPARE(languages.first(), QStringLiteral("auto"));
    for (const char* code : {"en", "de", "cmn", "fr", "ja"}) QVERIFY2(languages.contains(code), code);
    QCOMPARE(languages.size(), QSet<QString>(languages.begin(), languages.end()).size());  // each once
    // espeak-ng's whole list: far more languages than the few Linea prepares text for.
    QVERIFY2(languages.size() > 80, qPrintable(QString::number(languages.size())));
    QCOMPARE(language->itemText(language->findData(QStringLiteral("de"))), QStringLiteral("German (de)"));

    // Automatic: one automatic voice.
    QCOMPARE(itemData(voice), QStringList{QStringLiteral("auto")});
    QVERIFY(!voice->isEnabled());

    // English: flite's voices first (slt, the default, at the top), then espeak-ng's English ones.
    language->setCurrentIndex(language->findData(QStringLiteral("en")));
    const QStringList english = itemData(voice);
    QCOMPARE(english.first(), QStringLiteral("flite:slt"));
    for (const char* id : {"flite:kal", "flite:slt", "flite:awb", "flite:rms", "espeak-ng:en-gb", "espeak-ng:en-us"})
      QVERIFY2(english.contains(id), id);
    QVERIFY(!english.contains(QStringLiteral("espeak-ng:de")));
    voice->setCurrentIndex(voice->findData(QStringLiteral("flite:awb")));
    dialog.findChild<QDoubleSpinBox*>(QStringLiteral("voiceRate"))->setValue(1.5);
    VoiceSettings chosen = dialog.settings();
    QCOMPARE(chosen.language, QStringLiteral("en"));
    QCOMPARE(chosen.voice, QStringLiteral("flite:awb"));
    QCOMPARE(chosen.rate, 1.5);

    // Another language offers its own voices and picks the first.
    language->setCurrentIndex(language->findData(QStringLiteral("de")));
    QCOMPARE(itemData(voice), QStringList{QStringLiteral("espeak-ng:de")});
    QCOMPARE(dialog.settings().voice, QStringLiteral("espeak-ng:de"));
  }

  void dialogShowsTheCurrentSettings() {
    VoiceSettings settings;
    settings.language = QStringLiteral("cmn");
    settings.voice = QStringLiteral("espeak-ng:cmn-latn-pinyin");
    settings.rate = 0.75;
    VoiceSettingsDialog dialog(settings, synthesizer_->voices());
    QCOMPARE(dialog.findChild<QComboBox*>(QStringLiteral("voiceLanguage"))->currentData().toString(),
             QStringLiteral("cmn"));
    QCOMPARE(dialog.findChild<QComboBox*>(QStringLiteral("voiceChoice"))->currentData().toString(),
             QStringLiteral("espeak-ng:cmn-latn-pinyin"));
    QCOMPARE(dialog.findChild<QDoubleSpinBox*>(QStringLiteral("voiceRate"))->value(), 0.75);
    QCOMPARE(dialog.settings(), settings);
    // The rate cannot leave the range the voices accept.
    dialog.findChild<QDoubleSpinBox*>(QStringLiteral("voiceRate"))->setValue(9);
    QCOMPARE(dialog.settings().rate, linea::audio::kMaximumRate);
  }

  void speakRepliesToggleIsRemembered() {
    {
      SpeechController speech;
      VoiceMenu menu(speech);
      QAction* toggle = menu.speakRepliesAction();
      QCOMPARE(toggle->objectName(), QStringLiteral("speakRepliesAction"));
      QVERIFY(toggle->isCheckable());
      QVERIFY(!toggle->isChecked());
      QSignalSpy changed(&speech, &SpeechController::settingsChanged);
      toggle->trigger();
      QVERIFY(speech.settings().speakReplies);
      QCOMPARE(changed.count(), 1);
    }
    QVERIFY(QSettings().value(QStringLiteral("voice/speakReplies")).toBool());
    // "A restart": a new controller and menu start with it on.
    SpeechController speech;
    VoiceMenu menu(speech);
    QVERIFY(speech.settings().speakReplies);
    QVERIFY(menu.speakRepliesAction()->isChecked());
    // Settings changed elsewhere (the dialog) show in the menu.
    speech.setSpeakReplies(false);
    QVERIFY(!menu.speakRepliesAction()->isChecked());
    QVERIFY(!VoiceSettings::load().speakReplies);
  }
};

QTEST_MAIN(TestVoiceSettings)
#include "test_voice_settings.moc"
