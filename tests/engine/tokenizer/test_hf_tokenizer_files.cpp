// tokenizer.json features that Qwen3's file does not use, each in a small tokenizer trained and
// encoded by `tokenizers` (tests/data/tokenizer/features/), and the errors for files we cannot read.
#include "engine/io/format_error.h"
#include "engine/tokenizer/bpe_tokenizer.h"
#include "engine/tokenizer/hf_tokenizer_files.h"
#include "tests/engine/tokenizer/golden_cases.h"

#include <QTest>

using namespace linea::tokenizer;
using linea::test::EncodeGolden;

namespace {

const char* const kVariants[] = {"prefix_space_legacy_merges", "split_behaviours_nfkc_lowercase",
                                 "ignore_merges_invert_nfd"};

std::string feature_path(const char* variant) {
  return linea::test::sourcePath(
             QStringLiteral("tests/data/tokenizer/features/%1.tokenizer.json").arg(QLatin1String(variant)))
      .toStdString();
}

std::string error_of(std::string_view json) {
  try {
    BpeTokenizer tokenizer(parse_tokenizer_json(json, "t.json"));
  } catch (const linea::io::FormatError& error) {
    return error.what();
  }
  return "no error";
}

// A minimal valid byte-level tokenizer.json with `patch` spliced into the top-level object.
std::string minimal_json(const std::string& patch, const std::string& model_extra = "") {
  return R"({"version":"1.0",)" + patch + R"("model":{"type":"BPE",)" + model_extra +
         R"("vocab":{"a":0,"b":1,"ab":2},"merges":["a b"]},)"
         R"("added_tokens":[]})";
}

}  // namespace

class TestHfTokenizerFiles : public QObject {
  Q_OBJECT

 private slots:
  void featureGoldens_data() {
    QTest::addColumn<QString>("variant");
    QTest::addColumn<int>("index");
    for (const char* variant : kVariants) {
      const auto goldens =
          linea::test::read_encode_goldens(QStringLiteral("features/%1.goldens.json").arg(QLatin1String(variant)));
      QVERIFY(goldens.size() >= 60);
      for (std::size_t i = 0; i < goldens.size(); ++i)
        QTest::addRow("%s %zu", variant, i) << QString::fromLatin1(variant) << static_cast<int>(i);
    }
  }
  void featureGoldens() {
    QFETCH(QString, variant);
    QFETCH(int, index);
    static std::map<QString, std::pair<std::unique_ptr<BpeTokenizer>, std::vector<EncodeGolden>>> loaded;
    auto& [tokenizer, goldens] = loaded[variant];
    if (!tokenizer) {
      const std::string path = feature_path(variant.toLatin1().constData());
      tokenizer = std::make_unique<BpeTokenizer>(parse_tokenizer_json(read_text_file(path), path));
      goldens = linea::test::read_encode_goldens(QStringLiteral("features/%1.goldens.json").arg(variant));
    }
    const EncodeGolden& golden = goldens[static_cast<std::size_t>(index)];
    QCOMPARE(tokenizer->encode(golden.text, true), golden.ids);
    QCOMPARE(tokenizer->encode(golden.text, false), golden.ids_special_as_text);
    QCOMPARE(tokenizer->decode(golden.ids), golden.decoded);
  }

  void unsupportedPartsAreNamed_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("expected");
    const std::string byte_level = R"("pre_tokenizer":{"type":"ByteLevel","add_prefix_space":false},)";
    QTest::newRow("no ByteLevel") << QString::fromStdString(minimal_json(""))
                                  << "t.json: pre_tokenizer has no ByteLevel step: only byte-level BPE is supported";
    QTest::newRow("normalizer")
        << QString::fromStdString(minimal_json(byte_level + R"("normalizer":{"type":"BertNormalizer"},)"))
        << "normalizer 'BertNormalizer' is not supported (supported: NFC, NFD, NFKC, NFKD, Lowercase, Sequence)";
    QTest::newRow("pre-tokenizer") << QString::fromStdString(minimal_json(R"("pre_tokenizer":{"type":"Metaspace"},)"))
                                   << "pre_tokenizer 'Metaspace' is not supported";
    QTest::newRow("decoder") << QString::fromStdString(minimal_json(byte_level + R"("decoder":{"type":"WordPiece"},)"))
                             << "decoder 'WordPiece' is not supported";
    QTest::newRow("model") << QString::fromStdString(
                                  R"({"pre_tokenizer":{"type":"ByteLevel"},"model":{"type":"WordPiece","vocab":{}}})")
                           << "model type 'WordPiece' is not supported (only BPE)";
    QTest::newRow("byte fallback") << QString::fromStdString(minimal_json(byte_level, R"("byte_fallback":true,)"))
                                   << "BPE byte_fallback is not supported";
    QTest::newRow("behaviour")
        << QString::fromStdString(minimal_json(
               R"("pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":"a"},"behavior":"Sideways"},{"type":"ByteLevel"}]},)"))
        << "Split behavior 'Sideways' is unknown";
    QTest::newRow("split after byte level")
        << QString::fromStdString(minimal_json(
               R"("pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"ByteLevel"},{"type":"Digits"}]},)"))
        << "a Split or Digits step after ByteLevel is not supported";
    // (An ordinary string literal here: moc misreads a raw string holding an unbalanced parenthesis.)
    QTest::newRow("bad regex")
        << QString::fromStdString(
               minimal_json("\"pre_tokenizer\":{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\","
                            "\"pattern\":{\"Regex\":\"(a\"},\"behavior\":\"Isolated\"},{\"type\":\"ByteLevel\"}]},"))
        << "pre_tokenizer: regular expression /(a/ does not compile at offset 2";
    QTest::newRow("merge of unknown token")
        << QString::fromStdString(
               R"({"pre_tokenizer":{"type":"ByteLevel"},"model":{"type":"BPE","vocab":{"a":0,"b":1},"merges":["a b"]}})")
        << "merge #0 ('a' 'b') needs 'ab', which is not in the vocabulary";
    QTest::newRow("merge with two spaces")
        << QString::fromStdString(
               R"({"pre_tokenizer":{"type":"ByteLevel"},"model":{"type":"BPE","vocab":{"a":0},"merges":["a b c"]}})")
        << "merge #0 'a b c' is not two tokens separated by one space";
    QTest::newRow("repeated id")
        << QString::fromStdString(
               R"({"pre_tokenizer":{"type":"ByteLevel"},"model":{"type":"BPE","vocab":{"a":0,"b":0},"merges":[]}})")
        << "id 0 is given to both";
    QTest::newRow("not json") << QStringLiteral("{\"model\": [1, 2,]}") << "t.json: at byte 16";
    QTest::newRow("wrong type")
        << QString::fromStdString(
               R"({"pre_tokenizer":{"type":"ByteLevel"},"model":{"type":"BPE","vocab":{"a":"zero"},"merges":[]}})")
        << "t.json: unexpected structure";
  }
  void unsupportedPartsAreNamed() {
    QFETCH(QString, json);
    QFETCH(QString, expected);
    const std::string message = error_of(json.toStdString());
    QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
  }

  void configSetsRolesAndAddedTokens() {
    const std::string json =
        R"({"pre_tokenizer":{"type":"ByteLevel","add_prefix_space":false},"model":{"type":"BPE","vocab":{"a":0,"b":1,"ab":2,"<s>":3},"merges":["a b"]}})";
    BpeTokenizerSpec spec = parse_tokenizer_json(json, "t.json");
    apply_tokenizer_config(spec, R"({"bos_token":{"content":"<s>"},"eos_token":"<s>","pad_token":null})", "c.json",
                           true);
    BpeTokenizer tokenizer(spec);
    QCOMPARE(tokenizer.special_ids().bos, std::optional<TokenId>(3));
    QCOMPARE(tokenizer.special_ids().eos, std::optional<TokenId>(3));
    QVERIFY(!tokenizer.special_ids().pad);
    QVERIFY(tokenizer.is_special(3));
    QCOMPARE(tokenizer.encode("ab<s>", true), (std::vector<TokenId>{2, 3}));
    // As text, "<", "s" and ">" have no byte tokens here and no unk_token: they vanish, as in `tokenizers`.
    QCOMPARE(tokenizer.encode("ab<s>", false), (std::vector<TokenId>{2}));
  }

  void configNamingAnUnknownTokenIsAnError() {
    const std::string json =
        R"({"pre_tokenizer":{"type":"ByteLevel"},"model":{"type":"BPE","vocab":{"a":0},"merges":[]}})";
    BpeTokenizerSpec spec = parse_tokenizer_json(json, "t.json");
    try {
      apply_tokenizer_config(spec, R"({"eos_token":"</s>"})", "c.json", false);
      QFAIL("expected FormatError");
    } catch (const linea::io::FormatError& error) {
      QCOMPARE(std::string(error.what()), std::string("c.json: eos_token '</s>' is not in the vocabulary"));
    }
  }

  void generationConfigAddsStopIds() {
    SpecialTokenIds ids;
    ids.add_end_of_generation(5);
    apply_generation_config(ids, R"({"eos_token_id":[5,7]})", "g.json");
    QCOMPARE(ids.end_of_generation, (std::vector<TokenId>{5, 7}));
    apply_generation_config(ids, R"({"eos_token_id":9})", "g.json");
    QCOMPARE(ids.end_of_generation, (std::vector<TokenId>{5, 7, 9}));
  }
};

QTEST_APPLESS_MAIN(TestHfTokenizerFiles)
#include "test_hf_tokenizer_files.moc"
