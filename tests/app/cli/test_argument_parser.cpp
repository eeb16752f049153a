#include "app/cli/argument_parser.h"

#include <QTest>

#include <sstream>

using linea::cli::ArgumentParser;
using linea::cli::UsageError;

namespace {

ArgumentParser makeParser() {
  ArgumentParser parser("linea-cli generate", "Generate text.");
  parser.add_option({"-m", "--model"}, "M", "model file or folder");
  parser.add_option({"-n"}, "N", "tokens to generate", "128");
  parser.add_option({"--temp"}, "T", "temperature", "0.8");
  parser.add_flag({"--json"}, "print JSON");
  parser.add_positional("TEXT", "prompt", false);
  return parser;
}

std::vector<std::string> split(const QString& line) {
  std::vector<std::string> out;
  for (const QString& part : line.split(QLatin1Char(' '), Qt::SkipEmptyParts)) out.push_back(part.toStdString());
  return out;
}

}  // namespace

class TestArgumentParser : public QObject {
  Q_OBJECT

 private slots:
  void parsesOptionsFlagsAndPositionals() {
    ArgumentParser parser = makeParser();
    parser.parse(split("--model a.gguf -n 5 --json hello"));
    QCOMPARE(parser.value("--model"), std::string("a.gguf"));
    QCOMPARE(parser.value("-m"), std::string("a.gguf"));
    QCOMPARE(parser.integer("-n"), 5LL);
    QVERIFY(parser.has("--json"));
    QCOMPARE(parser.positional("TEXT").value(), std::string("hello"));
    QCOMPARE(parser.number("--temp"), 0.8);  // default
  }

  void inlineValueAndNegativeNumbers() {
    ArgumentParser parser = makeParser();
    parser.parse(split("--temp=-0.5 -n -3"));
    QCOMPARE(parser.number("--temp"), -0.5);
    QCOMPARE(parser.integer("-n"), -3LL);
    QVERIFY(!parser.has("--json"));
    QVERIFY(!parser.has("--model"));
  }

  void doubleDashEndsOptions() {
    ArgumentParser parser = makeParser();
    parser.parse(split("-- --json"));
    QVERIFY(!parser.has("--json"));
    QCOMPARE(parser.positional("TEXT").value(), std::string("--json"));
  }

  void usageErrors_data() {
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown option") << "--bogus" << "unknown option '--bogus'";
    QTest::newRow("missing value") << "--model" << "option '--model' needs a value M";
    QTest::newRow("repeated") << "-n 1 -n 2" << "option '-n' given more than once";
    QTest::newRow("flag with value") << "--json=1" << "option '--json' takes no value";
    QTest::newRow("extra positional") << "a b" << "unexpected argument 'b'";
  }
  void usageErrors() {
    QFETCH(QString, line);
    QFETCH(QString, message);
    ArgumentParser parser = makeParser();
    try {
      parser.parse(split(line));
      QFAIL("expected a usage error");
    } catch (const UsageError& error) {
      QVERIFY2(QString::fromUtf8(error.what()).startsWith(message), error.what());
    }
  }

  void badNumbersAreRejected_data() {
    QTest::addColumn<QString>("line");
    QTest::newRow("text") << "-n many";
    QTest::newRow("trailing junk") << "-n 12x";
    QTest::newRow("overflow") << "-n 99999999999999999999999";
  }
  void badNumbersAreRejected() {
    QFETCH(QString, line);
    ArgumentParser parser = makeParser();
    parser.parse(split(line));
    QVERIFY_THROWS_EXCEPTION(UsageError, parser.integer("-n"));
  }

  void requiredPositionalIsEnforced() {
    ArgumentParser parser("linea-cli inspect", "Inspect a model.");
    parser.add_positional("FILE", "model file");
    QVERIFY_THROWS_EXCEPTION(UsageError, parser.parse({}));
  }

  void helpIsShownWithoutRequiredArguments() {
    ArgumentParser parser("linea-cli inspect", "Inspect a model.");
    parser.add_flag({"-h", "--help"}, "show this help");
    parser.add_positional("FILE", "model file");
    std::ostringstream out;
    QVERIFY(!parser.parse_or_help({"--help"}, out));
    QVERIFY(out.str().starts_with("usage: linea-cli inspect"));
    std::ostringstream none;
    QVERIFY(parser.parse_or_help({"--", "-h"}, none));  // after "--" it is the file's name
    QVERIFY(none.str().empty());
    QCOMPARE(parser.positional("FILE").value(), std::string("-h"));
  }

  void helpListsEverything() {
    const std::string help = makeParser().help();
    for (const char* expected : {"usage: linea-cli generate", "-m, --model M", "(default: 128)", "--json", "[TEXT]"})
      QVERIFY2(help.find(expected) != std::string::npos, expected);
  }
};

QTEST_APPLESS_MAIN(TestArgumentParser)
#include "test_argument_parser.moc"
