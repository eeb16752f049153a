// parse_json / read_json_file: positions of syntax errors, duplicate keys, UTF-8.
#include "engine/io/format_error.h"
#include "engine/io/json_file.h"
#include "tests/engine/io/io_test_files.h"

#include <QTemporaryDir>
#include <QTest>

#include <system_error>

using linea::io::FormatError;
using linea::io::parse_json;

Q_DECLARE_METATYPE(std::string)

class TestJsonFile : public QObject {
  Q_OBJECT

 private slots:
  void parsesAnObject() {
    const auto value = parse_json(R"({"a": [1, 2], "b": {"c": "ü"}}  )", "x.json");
    QCOMPARE(value["a"][1].get<int>(), 2);
    QCOMPARE(value["b"]["c"].get<std::string>(), std::string("ü"));
  }

  void rejectsBadInput_data() {
    QTest::addColumn<std::string>("text");
    QTest::addColumn<std::string>("expected");
    QTest::addColumn<qint64>("offset");
    QTest::newRow("syntax error on line 3") << std::string("{\n  \"a\": 1,\n  \"b\": x\n}")
                                            << std::string("invalid JSON at line 3, column 8") << qint64(19);
    QTest::newRow("trailing garbage") << std::string("{} x") << std::string("line 1, column 4") << qint64(3);
    QTest::newRow("NUL byte after the value") << std::string("{}\0x", 4) << std::string("a NUL byte") << qint64(2);
    QTest::newRow("number too large for a double")
        << std::string("{\"a\": [1, 1e640]}") << std::string("line 1, column 11: number overflow parsing '1e640'")
        << qint64(10);
    QTest::newRow("truncated") << std::string("{\"a\": [1, 2") << std::string("unexpected end of input") << qint64(-1);
    QTest::newRow("invalid UTF-8 in a string")
        << std::string("{\"a\": \"\xC3\x28\"}") << std::string("ill-formed UTF-8") << qint64(-1);
    QTest::newRow("duplicate top-level key") << std::string(R"({"a": 1, "b": 2, "a": 3})")
                                             << std::string("duplicate key 'a' in the top-level object") << qint64(-1);
    QTest::newRow("duplicate nested key") << std::string(R"({"t": {"dtype": "F32", "dtype": "F16"}})")
                                          << std::string("duplicate key 'dtype' in object 't'") << qint64(-1);
    QTest::newRow("same key in sibling objects is fine")
        << std::string(R"({"x": {"k": 1}, "y": {"k": 2}, "k": 0})") << std::string() << qint64(-1);
  }

  void rejectsBadInput() {
    QFETCH(std::string, text);
    QFETCH(std::string, expected);
    QFETCH(qint64, offset);
    if (expected.empty()) {
      QCOMPARE(parse_json(text, "in.json").size(), std::size_t{3});
      return;
    }
    try {
      parse_json(text, "in.json", 100);
      QFAIL("expected an error");
    } catch (const FormatError& error) {
      QVERIFY2(error.message().find(expected) != std::string::npos, error.what());
      QCOMPARE(error.file(), std::string("in.json"));
      if (offset >= 0) QCOMPARE(error.offset().value(), std::uint64_t(100 + offset));
    }
  }

  void readsAFileAndNamesIt() {
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("config.json").toStdString();
    linea::test::writeBytes(path, {std::byte{'['}, std::byte{'1'}, std::byte{']'}});
    QCOMPARE(linea::io::read_json_file(path)[0].get<int>(), 1);
    linea::test::writeBytes(path, {std::byte{'['}, std::byte{'1'}});
    try {
      linea::io::read_json_file(path);
      QFAIL("expected an error");
    } catch (const FormatError& error) {
      QCOMPARE(error.file(), path.string());
    }
    QVERIFY_THROWS_EXCEPTION(std::system_error, linea::io::read_json_file(dir.filePath("absent.json").toStdString()));
  }
};

QTEST_APPLESS_MAIN(TestJsonFile)
#include "test_json_file.moc"
