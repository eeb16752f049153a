// valid_utf8_prefix (what the file readers use to find the first ill-formed byte) against the
// well-formed byte sequences of Unicode's Table 3-7.
#include "engine/core/utf8.h"

#include <QTest>

#include <optional>
#include <string>

Q_DECLARE_METATYPE(std::string)

class TestUtf8Validation : public QObject {
  Q_OBJECT

 private slots:
  void classifies_data() {
    QTest::addColumn<std::string>("text");
    QTest::addColumn<int>("firstInvalid");  // -1: valid
    QTest::newRow("empty") << std::string() << -1;
    QTest::newRow("ascii") << std::string("hello") << -1;
    QTest::newRow("two-byte") << std::string(
                                     "gr\xC3\xBC\xC3\x9F"
                                     "e")
                              << -1;
    QTest::newRow("three-byte") << std::string("\xE4\xB8\x96\xE7\x95\x8C") << -1;
    QTest::newRow("four-byte emoji") << std::string("\xF0\x9F\x99\x82") << -1;
    QTest::newRow("U+10FFFF") << std::string("\xF4\x8F\xBF\xBF") << -1;
    QTest::newRow("stray continuation") << std::string("a\x80") << 1;
    QTest::newRow("overlong two-byte") << std::string("\xC0\xAF") << 0;
    QTest::newRow("overlong three-byte") << std::string("ab\xE0\x80\xAF") << 2;
    QTest::newRow("surrogate") << std::string("\xED\xA0\x80") << 0;
    QTest::newRow("above U+10FFFF") << std::string("\xF4\x90\x80\x80") << 0;
    QTest::newRow("F5 lead") << std::string("\xF5\x80\x80\x80") << 0;
    QTest::newRow("truncated sequence") << std::string("ok\xE4\xB8") << 2;
    QTest::newRow("bad third byte") << std::string("\xE4\xB8\x41") << 0;
  }

  void classifies() {
    QFETCH(std::string, text);
    QFETCH(int, firstInvalid);
    const std::size_t prefix = linea::valid_utf8_prefix(text);
    const std::optional<std::size_t> result =
        prefix == text.size() ? std::nullopt : std::optional<std::size_t>(prefix);
    if (firstInvalid < 0) {
      QVERIFY(!result.has_value());
    } else {
      QVERIFY(result.has_value());
      QCOMPARE(static_cast<int>(*result), firstInvalid);
    }
  }
};

QTEST_APPLESS_MAIN(TestUtf8Validation)
#include "test_utf8_validation.moc"
