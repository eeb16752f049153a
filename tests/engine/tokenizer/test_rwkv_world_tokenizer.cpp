// RWKV World: the published vectors (world_vectors.json, model-spec §3.10), 330 goldens from the
// reference TRIE_TOKENIZER of the `rwkv` package (world_encode.json), and the vocabulary parser's
// handling of Python literals and bad lines.
#include "engine/io/format_error.h"
#include "engine/tokenizer/rwkv_world_tokenizer.h"
#include "engine/tokenizer/tokenizer_loader.h"
#include "tests/engine/tokenizer/golden_cases.h"
#include "tests/support/testdata.h"

#include <QTest>

using namespace linea::tokenizer;
using linea::test::EncodeGolden;

namespace {

const QString kVocab = QStringLiteral("rwkv-world/rwkv_vocab_v20230424.txt");

std::vector<EncodeGolden> read_world_vectors() {
  std::vector<EncodeGolden> vectors;
  QFile file(linea::test::testdataPath(QStringLiteral("rwkv-world/world_vectors.json")));
  if (!file.open(QIODevice::ReadOnly)) return vectors;
  for (const QJsonValue& value : QJsonDocument::fromJson(file.readAll()).array()) {
    EncodeGolden golden;
    golden.text = value[QStringLiteral("text")].toString().toStdString();
    golden.ids = linea::test::to_ids(value[QStringLiteral("ids")].toArray());
    vectors.push_back(std::move(golden));
  }
  return vectors;
}

std::string format_error_of(std::string_view text) {
  try {
    RwkvWorldTokenizer::from_vocab_text(text, "vocab.txt");
  } catch (const linea::io::FormatError& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

class TestRwkvWorldTokenizer : public QObject {
  Q_OBJECT

  std::vector<EncodeGolden> vectors_ = read_world_vectors();
  std::vector<EncodeGolden> goldens_ = linea::test::read_encode_goldens(QStringLiteral("world_encode.json"));
  std::unique_ptr<RwkvWorldTokenizer> tokenizer_;

 private slots:
  void initTestCase() {
    if (QFileInfo::exists(linea::test::testdataPath(kVocab)))
      tokenizer_ = RwkvWorldTokenizer::from_vocab_file(linea::test::testdataPath(kVocab).toStdString());
  }

  void publishedVectors() {
    LINEA_REQUIRE_TESTDATA(QStringLiteral("rwkv-world/world_vectors.json"));
    QCOMPARE(vectors_.size(), std::size_t(2));
    for (const EncodeGolden& vector : vectors_) {
      // Special-looking text such as <|endoftext|> is never special in World.
      QCOMPARE(tokenizer_->encode(vector.text, true), vector.ids);
      QCOMPARE(tokenizer_->encode(vector.text, false), vector.ids);
      QCOMPARE(tokenizer_->decode(vector.ids), vector.text);
    }
  }

  void goldens_data() {
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < goldens_.size(); ++i) QTest::addRow("%zu", i) << static_cast<int>(i);
  }
  void goldens() {
    LINEA_REQUIRE_TESTDATA(kVocab);
    QFETCH(int, index);
    const EncodeGolden& golden = goldens_[static_cast<std::size_t>(index)];
    QCOMPARE(tokenizer_->encode(golden.text, true), golden.ids);
    QCOMPARE(tokenizer_->decode(tokenizer_->encode(golden.text, true)), golden.text);
  }

  void vocabularyShape() {
    LINEA_REQUIRE_TESTDATA(kVocab);
    QCOMPARE(tokenizer_->vocab_size(), std::size_t(65530));
    QVERIFY(tokenizer_->is_special(0));
    QCOMPARE(tokenizer_->token_bytes(0), std::string_view());  // end-of-document has no text
    QCOMPARE(tokenizer_->special_ids().eos, std::optional<TokenId>(0));
    QVERIFY(tokenizer_->special_ids().ends_generation(0));
    QCOMPARE(tokenizer_->token_bytes(1), std::string_view("\0", 1));  // id = byte + 1
    QCOMPARE(tokenizer_->token_bytes(256), std::string_view("\xff", 1));
    QCOMPARE(tokenizer_->token_bytes(65529), std::string_view(std::string(128, ' ')));
    const std::vector<TokenId> spaces = tokenizer_->encode(std::string(300, ' '), false);  // 128 + 128 + 44
    QVERIFY(spaces.size() >= 3);
    QCOMPARE(spaces[0], 65529);
    QCOMPARE(spaces[1], 65529);
    QCOMPARE(tokenizer_->decode(spaces), std::string(300, ' '));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, tokenizer_->token_bytes(65530));
  }

  void anyBytesEncodeEvenInvalidUtf8() {
    LINEA_REQUIRE_TESTDATA(kVocab);
    const std::string bytes("\xff\xfe\x80 ok \xe4\xb8", 9);
    QCOMPARE(tokenizer_->decode(tokenizer_->encode(bytes, false)), bytes);
  }

  void loaderFindsTheVocabularyInAFolder() {
    LINEA_REQUIRE_TESTDATA(kVocab);
    const LoadedTokenizer loaded =
        load_tokenizer(linea::test::testdataPath(QStringLiteral("rwkv-world")).toStdString());
    QCOMPARE(loaded.tokenizer->kind(), std::string_view("RWKV World"));
    QCOMPARE(loaded.chat_hints.tokenizer_model, std::string("rwkv"));
  }

  void literalsOfEveryForm() {
    const auto tokenizer = RwkvWorldTokenizer::from_vocab_text(
        "1 'a' 1\n"
        "2 b'\\xe4\\xb8' 2\n"
        "3 '\\u4e00' 3\n"
        "4 \"it's\" 4\n"
        "5 '\\'\\\"\\\\' 3\n"
        "6 '\\t\\n\\r' 3\n"
        "7 '\\U0001f600' 4\n"
        "8 'a b' 3\r\n"
        "9 '\\xe9' 2\n",
        "inline");
    QCOMPARE(tokenizer->token_bytes(2), std::string_view("\xe4\xb8"));
    QCOMPARE(tokenizer->token_bytes(3), std::string_view("\xe4\xb8\x80"));
    QCOMPARE(tokenizer->token_bytes(4), std::string_view("it's"));
    QCOMPARE(tokenizer->token_bytes(5), std::string_view("'\"\\"));
    QCOMPARE(tokenizer->token_bytes(6), std::string_view("\t\n\r"));
    QCOMPARE(tokenizer->token_bytes(7), std::string_view("\xf0\x9f\x98\x80"));
    QCOMPARE(tokenizer->token_bytes(8), std::string_view("a b"));
    QCOMPARE(tokenizer->token_bytes(9), std::string_view("\xc3\xa9"));  // \xe9 in a str literal is U+00E9
    // Greedy longest match: "a b" wins over "a".
    QCOMPARE(tokenizer->encode("a ba", false), (std::vector<TokenId>{8, 1}));
  }

  void badLinesAreNamed_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("length mismatch") << QByteArray("1 'a' 1\n2 'abc' 2\n")
                                     << "vocab.txt: at byte 8: line 2: the literal is 3 bytes but the line says 2";
    QTest::newRow("bad id") << QByteArray("x 'a' 1\n") << "vocab.txt: at byte 0: line 1: bad token id 'x'";
    QTest::newRow("no quote") << QByteArray("1 a 1\n") << "line 1: expected a quote";
    QTest::newRow("unterminated") << QByteArray("1 'a 1\n") << "line 1: missing closing quote";
    QTest::newRow("bad escape") << QByteArray("1 '\\xZZ' 1\n") << "bad hex digit";
    QTest::newRow("duplicate id") << QByteArray("1 'a' 1\n1 'b' 1\n") << "line 2: token id 1 appears twice";
    QTest::newRow("same bytes twice") << QByteArray("1 'a' 1\n2 b'a' 1\n") << "tokens 1 and 2 stand for the same bytes";
    QTest::newRow("missing length") << QByteArray("1 'a'\n") << "expected '<id> <literal> <byte length>'";
    QTest::newRow("empty") << QByteArray("\n\n") << "has no tokens";
  }
  void badLinesAreNamed() {
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    const std::string message = format_error_of(std::string_view(text.constData(), text.size()));
    QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
  }

  void aByteWithoutATokenIsAnError() {
    const auto tokenizer = RwkvWorldTokenizer::from_vocab_text("1 'a' 1\n", "inline");
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tokenizer->encode("ab", false));
  }
};

QTEST_APPLESS_MAIN(TestRwkvWorldTokenizer)
#include "test_rwkv_world_tokenizer.moc"
