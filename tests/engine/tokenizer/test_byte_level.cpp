#include "engine/tokenizer/byte_level.h"

#include <QTest>

#include <set>

using namespace linea::tokenizer;

class TestByteLevel : public QObject {
  Q_OBJECT

 private slots:
  void everyByteHasItsOwnPrintableCodePoint() {
    std::set<char32_t> seen;
    for (int byte = 0; byte < 256; ++byte) {
      const char32_t cp = byte_level_code_point(static_cast<std::uint8_t>(byte));
      QVERIFY(seen.insert(cp).second);
      QCOMPARE(byte_level_byte(cp), std::optional<std::uint8_t>(static_cast<std::uint8_t>(byte)));
    }
    QCOMPARE(seen.size(), std::size_t(256));
  }

  void knownSpellings_data() {
    QTest::addColumn<int>("byte");
    QTest::addColumn<uint>("codePoint");
    QTest::newRow("space is Ġ") << 0x20 << 0x120u;
    QTest::newRow("newline is Ċ") << 0x0A << 0x10Au;
    QTest::newRow("NUL is Ā") << 0x00 << 0x100u;
    QTest::newRow("tab is ĉ") << 0x09 << 0x109u;
    QTest::newRow("DEL") << 0x7F << 0x121u;
    QTest::newRow("NBSP") << 0xA0 << 0x142u;
    QTest::newRow("soft hyphen is the last") << 0xAD << 0x143u;
    QTest::newRow("letters stand for themselves") << int('a') << uint('a');
    QTest::newRow("Latin-1 stands for itself") << 0xE9 << 0xE9u;
  }
  void knownSpellings() {
    QFETCH(int, byte);
    QFETCH(uint, codePoint);
    QCOMPARE(uint(byte_level_code_point(static_cast<std::uint8_t>(byte))), codePoint);
  }

  void spellAndUnspellRoundTrip() {
    std::string all;
    for (int byte = 0; byte < 256; ++byte) all += static_cast<char>(byte);
    QCOMPARE(byte_level_unspell(byte_level_spell(all)), std::optional<std::string>(all));
    QCOMPARE(byte_level_spell(" hello"), std::string("\xc4\xa0hello"));  // "Ġhello"
  }

  void characterOutsideTheMapIsNotUnspelled() {
    QVERIFY(!byte_level_unspell("\xe4\xb8\x80").has_value());      // 一 is not a byte-level character
    QVERIFY(!byte_level_unspell("\xc4\xa0\xc5\x84").has_value());  // U+0144 is past the map
    QVERIFY(!byte_level_unspell("\xc0\xa1").has_value());          // overlong
  }
};

QTEST_APPLESS_MAIN(TestByteLevel)
#include "test_byte_level.moc"
