#include "engine/core/utf8.h"

#include <QTest>

using namespace linea;

class TestUtf8 : public QObject {
  Q_OBJECT

 private slots:
  void validity_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::newRow("ascii") << QByteArray("hello") << true;
    QTest::newRow("cjk") << QByteArray("\xe4\xbb\xa5\xe4\xb8\x8b") << true;
    QTest::newRow("emoji") << QByteArray("\xf0\x9f\x98\x80") << true;
    QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << false;
    QTest::newRow("overlong 3-byte") << QByteArray("\xe0\x80\xaf") << false;
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
    QTest::newRow("above max") << QByteArray("\xf4\x90\x80\x80") << false;
    QTest::newRow("truncated") << QByteArray("\xe4\xbb") << false;
    QTest::newRow("lone continuation") << QByteArray("\x80") << false;
  }
  void validity() {
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QCOMPARE(is_valid_utf8(std::string_view(bytes.constData(), bytes.size())), valid);
  }

  void completePrefixHoldsBackAnUnfinishedCharacter_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("complete");
    QTest::newRow("whole") << QByteArray("ab\xe4\xbb\xa5") << 5;
    QTest::newRow("cut after 1 of 3") << QByteArray("ab\xe4") << 2;
    QTest::newRow("cut after 2 of 3") << QByteArray("ab\xe4\xbb") << 2;
    QTest::newRow("cut after 3 of 4") << QByteArray("\xf0\x9f\x98") << 0;
    QTest::newRow("garbage is released") << QByteArray("a\xff") << 2;
    QTest::newRow("lead then ascii") << QByteArray("\xe4" "a") << 2;
    QTest::newRow("empty") << QByteArray() << 0;
  }
  void completePrefixHoldsBackAnUnfinishedCharacter() {
    QFETCH(QByteArray, bytes);
    QFETCH(int, complete);
    QCOMPARE(complete_utf8_prefix(std::string_view(bytes.constData(), bytes.size())), std::size_t(complete));
  }

  void appendEncodesEveryRange() {
    std::string out;
    for (char32_t cp : {U'A', U'\u00e9', U'\u4ee5', U'\U0001F600'}) append_utf8(out, cp);
    QCOMPARE(QByteArray::fromStdString(out), QByteArray("A\xc3\xa9\xe4\xbb\xa5\xf0\x9f\x98\x80"));
    std::string bad;
    append_utf8(bad, 0xD800);
    QCOMPARE(QByteArray::fromStdString(bad), QByteArray("\xef\xbf\xbd"));
  }
};

QTEST_APPLESS_MAIN(TestUtf8)
#include "test_utf8.moc"
