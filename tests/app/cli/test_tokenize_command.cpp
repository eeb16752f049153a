// linea-cli tokenize, run in-process through the command table, on the reference vocabularies.
#include "app/cli/cli_commands.h"
#include "tests/support/testdata.h"

#include <QTest>

#include <sstream>

namespace {

struct Run {
  int status;
  std::string out;
  std::string err;
};

Run tokenize(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), "tokenize");
  std::ostringstream out, err;
  const int status = linea::cli::run_cli(arguments, out, err);
  return {status, out.str(), err.str()};
}

std::string testdata(const char* relative) {
  return linea::test::testdataPath(QString::fromLatin1(relative)).toStdString();
}

}  // namespace

class TestTokenizeCommand : public QObject {
  Q_OBJECT

 private slots:
  void printsIdsAsJson_data() {
    QTest::addColumn<QString>("tokenizer");
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("qwen3 special as text") << "qwen3-tokenizer" << QStringList{} << "Hello <|im_end|> world"
                                           << "[9707,82639,318,6213,91,29,1879]\n";
    QTest::newRow("qwen3 special allowed")
        << "qwen3-tokenizer/tokenizer.json" << QStringList{"--allow-special"} << "Hello <|im_end|> world"
        << "[9707,220,151645,1879]\n";
    QTest::newRow("gpt2 vocab.json") << "gpt2-bpe/vocab.json" << QStringList{} << "Hello, World! How are you today? 🌍"
                                     << "[15496,11,2159,0,1374,389,345,1909,30,12520,234,235]\n";
    QTest::newRow("rwkv world") << "rwkv-world/rwkv_vocab_v20230424.txt" << QStringList{}
                                << "The Eiffel tower is in the city of"
                                << "[6699,304,25740,109,39990,4600,4596,22590,30449,4706]\n";
    QTest::newRow("empty text") << "gpt2-bpe" << QStringList{} << ""
                                << "[]\n";
  }
  void printsIdsAsJson() {
    QFETCH(QString, tokenizer);
    QFETCH(QStringList, flags);
    QFETCH(QString, text);
    QFETCH(QString, expected);
    LINEA_REQUIRE_TESTDATA(tokenizer);
    std::vector<std::string> arguments{"--tokenizer", linea::test::testdataPath(tokenizer).toStdString()};
    for (const QString& flag : flags) arguments.push_back(flag.toStdString());
    arguments.push_back(text.toStdString());
    const Run run = tokenize(arguments);
    QCOMPARE(run.status, 0);
    QCOMPARE(QString::fromStdString(run.out), expected);
    QCOMPARE(run.err, std::string());
  }

  void decodesIds() {
    LINEA_REQUIRE_TESTDATA(QStringLiteral("qwen3-tokenizer/tokenizer.json"));
    const Run run = tokenize({"--model", testdata("qwen3-tokenizer"), "--decode", "9707, 220,151645,1879"});
    QCOMPARE(run.status, 0);
    QCOMPARE(run.out, std::string("Hello <|im_end|> world\n"));
  }

  void usageErrors_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("no tokenizer") << QStringList{"hello"} << "give exactly one of --model and --tokenizer";
    QTest::newRow("both sources") << QStringList{"--model", "a", "--tokenizer", "b", "x"}
                                  << "give exactly one of --model and --tokenizer";
    QTest::newRow("text and decode") << QStringList{"--tokenizer", "t.json", "--decode", "1", "x"}
                                     << "give either TEXT to tokenize or --decode IDS";
    QTest::newRow("bad id") << QStringList{"--tokenizer", "t.json", "--decode", "1,,2"}
                            << "--decode: '' is not a token id";
    QTest::newRow("negative id") << QStringList{"--tokenizer", "t.json", "--decode", "-3"}
                                 << "--decode: '-3' is not a token id";
  }
  void usageErrors() {
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    std::vector<std::string> args;
    for (const QString& argument : arguments) args.push_back(argument.toStdString());
    const Run run = tokenize(args);
    QCOMPARE(run.status, 2);
    QVERIFY2(run.err.find(message.toStdString()) != std::string::npos, run.err.c_str());
  }

  void badFilesAndIdsFailWithTheReason() {
    const Run missing = tokenize({"--tokenizer", "/nonexistent/tokenizer.json", "x"});
    QCOMPARE(missing.status, 1);
    QCOMPARE(missing.err,
             std::string("linea-cli tokenize: error: /nonexistent/tokenizer.json: no such file or folder\n"));
    LINEA_REQUIRE_TESTDATA(QStringLiteral("gpt2-bpe/vocab.json"));
    const Run outside = tokenize({"--tokenizer", testdata("gpt2-bpe"), "--decode", "50257"});
    QCOMPARE(outside.status, 1);
    QVERIFY2(outside.err.find("token id 50257 is outside the vocabulary of 50257 tokens") != std::string::npos,
             outside.err.c_str());
  }
};

QTEST_APPLESS_MAIN(TestTokenizeCommand)
#include "test_tokenize_command.moc"
