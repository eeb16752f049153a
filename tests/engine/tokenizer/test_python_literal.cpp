#include "engine/tokenizer/python_literal.h"

#include <QTest>

#include <stdexcept>

using namespace linea::tokenizer;

class TestPythonLiteral : public QObject {
  Q_OBJECT

 private slots:
  void literals_data() {
    QTest::addColumn<QByteArray>("literal");
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("plain") << QByteArray("'abc'") << QByteArray("abc");
    QTest::newRow("double quotes") << QByteArray("\"it's\"") << QByteArray("it's");
    QTest::newRow("escaped quotes") << QByteArray("'\\'\\\"'") << QByteArray("'\"");
    QTest::newRow("backslash") << QByteArray("'\\\\'") << QByteArray("\\");
    QTest::newRow("controls") << QByteArray("'\\t\\n\\r\\a\\b\\f\\v'") << QByteArray("\t\n\r\a\b\f\v");
    QTest::newRow("str \\x is a code point") << QByteArray("'\\xe9'") << QByteArray("\xc3\xa9");
    QTest::newRow("bytes \\x is a byte") << QByteArray("b'\\xe9'") << QByteArray("\xe9");
    QTest::newRow("\\u") << QByteArray("'\\u4e00'") << QByteArray("\xe4\xb8\x80");
    QTest::newRow("\\U") << QByteArray("'\\U0001F600'") << QByteArray("\xf0\x9f\x98\x80");
    QTest::newRow("\\u kept in bytes") << QByteArray("b'\\u12'") << QByteArray("\\u12");
    QTest::newRow("octal") << QByteArray("b'\\0\\101\\7'") << QByteArray("\0A\7", 3);
    QTest::newRow("unknown escape kept") << QByteArray("'\\q'") << QByteArray("\\q");
    QTest::newRow("utf-8 text") << QByteArray("'\xe4\xbb\xa5'") << QByteArray("\xe4\xbb\xa5");
    QTest::newRow("capital B") << QByteArray("B\"x\"") << QByteArray("x");
    QTest::newRow("empty") << QByteArray("''") << QByteArray();
  }
  void literals() {
    QFETCH(QByteArray, literal);
    QFETCH(QByteArray, bytes);
    QCOMPARE(QByteArray::fromStdString(parse_python_literal(literal.toStdString())), bytes);
  }

  void malformed_data() {
    QTest::addColumn<QByteArray>("literal");
    QTest::addColumn<QString>("message");
    QTest::newRow("no quote") << QByteArray("abc") << "expected a quote at character 0";
    QTest::newRow("unterminated") << QByteArray("'abc") << "missing closing quote";
    QTest::newRow("mixed quotes") << QByteArray("'abc\"") << "missing closing quote";
    QTest::newRow("inner quote") << QByteArray("'a'b'") << "unescaped quote inside the literal at character 2";
    QTest::newRow("bad hex") << QByteArray("'\\xg0'") << "bad hex digit in \\x escape";
    QTest::newRow("short hex") << QByteArray("'\\x4'") << "truncated \\x escape";
    QTest::newRow("trailing backslash") << QByteArray("'\\'") << "backslash at the end";
    QTest::newRow("non-ascii bytes") << QByteArray("b'\xc3\xa9'") << "non-ASCII character in a bytes literal";
    QTest::newRow("too big") << QByteArray("'\\U00110000'") << "code point above U+10FFFF";
    QTest::newRow("bad utf-8") << QByteArray("'\xff'") << "str literal is not valid UTF-8";
  }
  void malformed() {
    QFETCH(QByteArray, literal);
    QFETCH(QString, message);
    try {
      parse_python_literal(literal.toStdString());
      QFAIL("expected std::invalid_argument");
    } catch (const std::invalid_argument& error) {
      QVERIFY2(std::string(error.what()).find(message.toStdString()) != std::string::npos, error.what());
    }
  }

  // GGUF rwkv tokens hold repr(bytes)[2:-1].
  void bytesBody() {
    QCOMPARE(parse_python_bytes_body("\\xe4\\xb8\\x80"), std::string("\xe4\xb8\x80"));
    QCOMPARE(parse_python_bytes_body("it's \\\\ \\n"), std::string("it's \\ \n"));
    QCOMPARE(parse_python_bytes_body("\\'"), std::string("'"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parse_python_bytes_body("\\x1"));
  }
};

QTEST_APPLESS_MAIN(TestPythonLiteral)
#include "test_python_literal.moc"
