// read_json_file on real model files published by others (../shared/testdata; skips when absent).
#include "engine/io/json_file.h"
#include "tests/support/testdata.h"

#include <QTest>

class TestJsonTestdata : public QObject {
  Q_OBJECT

 private slots:
  void readsMiniMaxConfig() {
    LINEA_REQUIRE_TESTDATA("minimax-m1/config.json");
    const auto config = linea::io::read_json_file(linea::test::testdataPath("minimax-m1/config.json").toStdString());
    QCOMPARE(config["architectures"][0].get<std::string>(), std::string("MiniMaxM1ForCausalLM"));
    QVERIFY(config["num_hidden_layers"].get<int>() > 0);
  }

  void readsQwen3Tokenizer() {
    LINEA_REQUIRE_TESTDATA("qwen3-tokenizer/tokenizer.json");
    const auto tokenizer =
        linea::io::read_json_file(linea::test::testdataPath("qwen3-tokenizer/tokenizer.json").toStdString());
    QCOMPARE(tokenizer["model"]["type"].get<std::string>(), std::string("BPE"));
    QVERIFY(tokenizer["model"]["vocab"].size() > 100000);
  }
};

QTEST_APPLESS_MAIN(TestJsonTestdata)
#include "test_json_testdata.moc"
