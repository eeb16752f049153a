// Qwen3's tokenizer.json (a real `tokenizers` file: NFC, a Split regex, ByteLevel, 26 added tokens)
// against ids from the `tokenizers` package (tests/data/tokenizer/qwen3_encode.json).
#include "engine/tokenizer/tokenizer_loader.h"
#include "tests/engine/tokenizer/golden_cases.h"
#include "tests/support/testdata.h"

#include <QTest>

using namespace linea::tokenizer;
using linea::test::EncodeGolden;

class TestQwen3Tokenizer : public QObject {
  Q_OBJECT

  std::vector<EncodeGolden> goldens_ = linea::test::read_encode_goldens(QStringLiteral("qwen3_encode.json"));
  LoadedTokenizer loaded_;

  void add_rows() {
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < goldens_.size(); ++i) QTest::addRow("%zu", i) << static_cast<int>(i);
  }

 private slots:
  void initTestCase() {
    QVERIFY(goldens_.size() >= 300);
    const QString path = linea::test::testdataPath(QStringLiteral("qwen3-tokenizer/tokenizer.json"));
    if (!QFileInfo::exists(path)) return;  // each test skips with the message
    loaded_ = load_tokenizer(path.toStdString());
  }

  void encodeWithSpecialTokens_data() { add_rows(); }
  void encodeWithSpecialTokens() {
    LINEA_REQUIRE_TESTDATA(QStringLiteral("qwen3-tokenizer/tokenizer.json"));
    QFETCH(int, index);
    const EncodeGolden& golden = goldens_[static_cast<std::size_t>(index)];
    QCOMPARE(loaded_.tokenizer->encode(golden.text, true), golden.ids);
  }

  void encodeSpecialTokensAsText_data() { add_rows(); }
  void encodeSpecialTokensAsText() {
    LINEA_REQUIRE_TESTDATA(QStringLiteral("qwen3-tokenizer/tokenizer.json"));
    QFETCH(int, index);
    const EncodeGolden& golden = goldens_[static_cast<std::size_t>(index)];
    QCOMPARE(loaded_.tokenizer->encode(golden.text, false), golden.ids_special_as_text);
  }

  // decode(encode(x)) gives x back, except where NFC changed the text (then what `tokenizers` gives).
  void roundTrip_data() { add_rows(); }
  void roundTrip() {
    LINEA_REQUIRE_TESTDATA(QStringLiteral("qwen3-tokenizer/tokenizer.json"));
    QFETCH(int, index);
    const EncodeGolden& golden = goldens_[static_cast<std::size_t>(index)];
    QCOMPARE(loaded_.tokenizer->decode(loaded_.tokenizer->encode(golden.text, true)), golden.decoded);
    QCOMPARE(loaded_.tokenizer->decode(loaded_.tokenizer->encode(golden.text, false)), golden.decoded);
  }

  void goldensCoverSpecialTokensAndNormalization() {
    int special = 0;
    int normalized = 0;
    for (const EncodeGolden& golden : goldens_) {
      special += golden.ids != golden.ids_special_as_text;
      normalized += golden.decoded != golden.text;
    }
    QVERIFY(special >= 5);
    QVERIFY(normalized >= 3);
  }

  void rolesComeFromTokenizerConfig() {
    LINEA_REQUIRE_TESTDATA(QStringLiteral("qwen3-tokenizer/tokenizer_config.json"));
    const Tokenizer& tokenizer = *loaded_.tokenizer;
    QCOMPARE(tokenizer.vocab_size(), std::size_t(151669));
    QCOMPARE(tokenizer.special_ids().eos, std::optional<TokenId>(151645));  // <|im_end|>
    QCOMPARE(tokenizer.special_ids().pad, std::optional<TokenId>(151643));  // <|endoftext|>
    QVERIFY(!tokenizer.special_ids().bos.has_value());
    QVERIFY(tokenizer.special_ids().ends_generation(151645));
    QVERIFY(tokenizer.is_special(151644));   // <|im_start|>
    QVERIFY(!tokenizer.is_special(151667));  // <think>: an added token, not special
    QVERIFY(!tokenizer.is_special(9707));    // "Hello"
    QCOMPARE(tokenizer.find_piece("<|im_start|>"), std::optional<TokenId>(151644));
    QCOMPARE(tokenizer.token_piece(9707), std::string_view("Hello"));
    QCOMPARE(tokenizer.token_piece(1879), std::string_view("Ġworld"));
    QCOMPARE(tokenizer.token_bytes(1879), std::string_view(" world"));
    QCOMPARE(loaded_.chat_hints.tokenizer_class, std::string("Qwen2Tokenizer"));
    QVERIFY(loaded_.chat_hints.template_text.find("<|im_start|>") != std::string::npos);
  }

  void decodeCanSkipSpecialTokens() {
    LINEA_REQUIRE_TESTDATA(QStringLiteral("qwen3-tokenizer/tokenizer.json"));
    const std::vector<TokenId> ids = loaded_.tokenizer->encode("<|im_start|>user\nHi<|im_end|>", true);
    QCOMPARE(loaded_.tokenizer->decode(ids), std::string("<|im_start|>user\nHi<|im_end|>"));
    QCOMPARE(loaded_.tokenizer->decode(ids, true), std::string("user\nHi"));
  }

  void malformedUtf8IsRejectedWithItsOffset() {
    LINEA_REQUIRE_TESTDATA(QStringLiteral("qwen3-tokenizer/tokenizer.json"));
    try {
      loaded_.tokenizer->encode("ok\xff", true);
      QFAIL("expected std::invalid_argument");
    } catch (const std::invalid_argument& error) {
      QVERIFY2(std::string(error.what()).find("at byte 2") != std::string::npos, error.what());
    }
  }

  void longWhitespaceRunsEncodeLikeShortOnes() {
    LINEA_REQUIRE_TESTDATA(QStringLiteral("qwen3-tokenizer/tokenizer.json"));
    // A run far longer than any golden: the regex lookahead and the merge loop must cope.
    const std::string spaces(100000, ' ');
    const std::vector<TokenId> ids = loaded_.tokenizer->encode("a" + spaces + "b", true);
    QCOMPARE(loaded_.tokenizer->decode(ids), "a" + spaces + "b");
    QVERIFY(ids.size() < 2000);  // merged into long runs, not one token per space
  }
};

QTEST_APPLESS_MAIN(TestQwen3Tokenizer)
#include "test_qwen3_tokenizer.moc"
