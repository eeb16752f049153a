// Tokenizers stored in GGUF files (llama.cpp's keys), written here with linea::io::GgufWriter and
// read back through linea::io::GgufFile: gpt2 (byte-level BPE with token types and a named
// pre-tokenizer) and rwkv (tokens as Python repr text), and the errors for what we cannot read.
#include "engine/io/format_error.h"
#include "engine/io/gguf.h"
#include "engine/io/gguf_writer.h"
#include "engine/tokenizer/byte_level.h"
#include "engine/tokenizer/gguf_tokenizer.h"
#include "engine/tokenizer/python_literal.h"
#include "engine/tokenizer/tokenizer_loader.h"
#include "tests/engine/tokenizer/golden_cases.h"
#include "tests/engine/tokenizer/python_bytes_repr.h"

#include <QTemporaryDir>
#include <QTest>

using namespace linea::tokenizer;
using linea::io::GgufValue;
using linea::io::GgufWriter;
using Ids = std::vector<TokenId>;

namespace {

constexpr std::int32_t kNormal = 1, kControl = 3, kUserDefined = 4, kUnused = 5;

// A byte-level vocabulary: ids 0..255 the bytes, 256 "ab", 257 <|im_end|> (control),
// 258 <think> (user-defined), 259 [PAD259] (unused), 260 "12", 261 "123", 262 " 1", 263 " 123".
GgufWriter tiny_gpt2(const std::string& pre) {
  std::vector<std::string> tokens;
  std::vector<std::int32_t> types;
  for (int byte = 0; byte < 256; ++byte) {
    tokens.push_back(byte_level_spell(std::string(1, static_cast<char>(byte))));
    types.push_back(kNormal);
  }
  for (const auto& [text, type] : std::vector<std::pair<std::string, std::int32_t>>{{"ab", kNormal},
                                                                                    {"<|im_end|>", kControl},
                                                                                    {"<think>", kUserDefined},
                                                                                    {"[PAD259]", kUnused},
                                                                                    {"12", kNormal},
                                                                                    {"123", kNormal},
                                                                                    {"\xc4\xa0"
                                                                                     "1",
                                                                                     kNormal},
                                                                                    {"\xc4\xa0"
                                                                                     "123",
                                                                                     kNormal}}) {
    tokens.push_back(text);
    types.push_back(type);
  }
  GgufWriter writer;
  writer.add_metadata("general.architecture", "qwen2");
  writer.add_metadata("tokenizer.ggml.model", "gpt2");
  if (!pre.empty()) writer.add_metadata("tokenizer.ggml.pre", pre);  // "" leaves the key out
  writer.add_metadata("tokenizer.ggml.tokens", tokens);
  writer.add_metadata("tokenizer.ggml.token_type", types);
  writer.add_metadata("tokenizer.ggml.merges",
                      std::vector<std::string>{"a b", "1 2", "12 3", "\xc4\xa0 1", "\xc4\xa0 123"});
  writer.add_metadata("tokenizer.ggml.eos_token_id", std::uint32_t{257});
  writer.add_metadata("tokenizer.ggml.bos_token_id", std::uint32_t{257});
  writer.add_metadata("tokenizer.chat_template", "{{ '<|im_start|>' + m }}");
  return writer;
}

GgufWriter tiny_rwkv() {
  GgufWriter writer;
  writer.add_metadata("general.architecture", "rwkv7");
  writer.add_metadata("tokenizer.ggml.model", "rwkv");
  writer.add_metadata("tokenizer.ggml.tokens",
                      std::vector<std::string>{"<s>", "a", "b", "ab", "\\xe4\\xb8\\x80", "it's", "\\\\", "[PAD7]"});
  writer.add_metadata("tokenizer.ggml.token_type", std::vector<std::int32_t>{kControl, 1, 1, 1, 1, 1, 1, kUnused});
  writer.add_metadata("tokenizer.ggml.bos_token_id", std::uint32_t{0});
  writer.add_metadata("tokenizer.ggml.eos_token_id", std::uint32_t{0});
  return writer;
}

LoadedTokenizer load(const GgufWriter& writer) {
  QTemporaryDir dir;
  const std::string path = dir.filePath(QStringLiteral("model.gguf")).toStdString();
  writer.write(path);
  return load_tokenizer(path);
}

std::string error_loading(const GgufWriter& writer) {
  try {
    load(writer);
  } catch (const linea::io::FormatError& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

class TestGgufTokenizer : public QObject {
  Q_OBJECT

 private slots:
  void gpt2TokenTypes() {
    const LoadedTokenizer loaded = load(tiny_gpt2("qwen2"));
    const Tokenizer& tokenizer = *loaded.tokenizer;
    QCOMPARE(tokenizer.kind(), std::string_view("byte-level BPE"));
    // Control tokens only when allowed; user-defined ones always; unused ones never.
    QCOMPARE(tokenizer.encode("ab<|im_end|><think>[PAD259]", true),  // [PAD259] as plain text
             (Ids{256, 257, 258, '[', 'P', 'A', 'D', '2', '5', '9', ']'}));
    QCOMPARE(tokenizer.encode("ab<|im_end|>", false), (Ids{256, '<', '|', 'i', 'm', '_', 'e', 'n', 'd', '|', '>'}));
    QVERIFY(tokenizer.is_special(257));
    QVERIFY(!tokenizer.is_special(258));
    QCOMPARE(tokenizer.special_ids().eos, std::optional<TokenId>(257));
    QCOMPARE(tokenizer.special_ids().end_of_generation, (Ids{257}));
    QCOMPARE(tokenizer.decode(Ids{256, 257}), std::string("ab<|im_end|>"));
    QCOMPARE(loaded.chat_hints.model_type, std::string("qwen2"));
    QCOMPARE(loaded.chat_hints.tokenizer_model, std::string("gpt2"));
    QCOMPARE(detect_chat_family(loaded.chat_hints), std::optional<ChatFamily>(ChatFamily::chatml));
  }

  void preTokenizerNamesPickTheirRegex_data() {
    QTest::addColumn<QString>("pre");
    QTest::addColumn<Ids>("ids");
    // gpt-2 keeps the space with the number ("Ġ1234" -> "Ġ123" "4"); llama-bpe splits the space off
    // and cuts digits in threes ("123" "4"); qwen2 takes digits one at a time.
    QTest::newRow("gpt-2") << "gpt-2" << Ids{'a', 263, '4'};
    QTest::newRow("llama-bpe") << "llama-bpe" << Ids{'a', ' ', 261, '4'};
    QTest::newRow("qwen2") << "qwen2" << Ids{'a', ' ', '1', '2', '3', '4'};
  }
  void preTokenizerNamesPickTheirRegex() {
    QFETCH(QString, pre);
    QFETCH(Ids, ids);
    const LoadedTokenizer loaded = load(tiny_gpt2(pre.toStdString()));
    QCOMPARE(loaded.tokenizer->encode("a 1234", false), ids);
    QCOMPARE(loaded.tokenizer->decode(ids), std::string("a 1234"));
  }

  void unknownPreTokenizerHasNoPattern() { QVERIFY(!gguf_pre_tokenizer_pattern("deepseek-llm")); }

  void rwkvTokensAreReprText() {
    const LoadedTokenizer loaded = load(tiny_rwkv());
    const Tokenizer& tokenizer = *loaded.tokenizer;
    QCOMPARE(tokenizer.kind(), std::string_view("RWKV World"));
    QCOMPARE(tokenizer.encode("ab\xe4\xb8\x80it's\\a", true), (Ids{3, 4, 5, 6, 1}));
  }

  void rwkvUnusedAndControlTokensAreNeverMatched() {
    const LoadedTokenizer loaded = load(tiny_rwkv());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, loaded.tokenizer->encode("[PAD7]", true));
    QVERIFY(loaded.tokenizer->is_special(0));
    QCOMPARE(loaded.tokenizer->token_bytes(0), std::string_view("<s>"));
    QCOMPARE(loaded.tokenizer->decode(Ids{0, 3}, true), std::string("ab"));
    QCOMPARE(detect_chat_family(loaded.chat_hints), std::optional<ChatFamily>(ChatFamily::rwkv_g1));
  }

  void pythonReprOfWorldTokens_data() {
    QTest::addColumn<int>("id");
    QTest::addColumn<QString>("repr");
    QTest::addColumn<QByteArray>("bytes");
    const QJsonObject root = linea::test::read_json_object(
        linea::test::sourcePath(QStringLiteral("tests/data/tokenizer/rwkv_gguf_repr.json")));
    const QJsonArray cases = root[QStringLiteral("cases")].toArray();
    QVERIFY(cases.size() > 1000);
    for (const QJsonValue& value : cases) {
      const QJsonObject object = value.toObject();
      const int id = object[QStringLiteral("id")].toInt();
      QTest::addRow("%d", id) << id << object[QStringLiteral("repr")].toString()
                              << QByteArray::fromHex(object[QStringLiteral("hex")].toString().toLatin1());
    }
  }
  void pythonReprOfWorldTokens() {
    QFETCH(QString, repr);
    QFETCH(QByteArray, bytes);
    QCOMPARE(QByteArray::fromStdString(parse_python_bytes_body(repr.toStdString())), bytes);
    QCOMPARE(QString::fromStdString(linea::test::python_bytes_repr_body(bytes.toStdString())), repr);
  }

  void unreadableTokenizersAreNamed_data() {
    QTest::addColumn<int>("variant");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown model") << 0 << "tokenizer.ggml.model 'llama' is not supported (supported: gpt2, rwkv)";
    QTest::newRow("unknown pre")
        << 1 << "tokenizer.ggml.pre 'deepseek-llm' is not supported (supported: gpt-2, qwen2, llama-bpe)";
    QTest::newRow("missing pre") << 2 << "tokenizer.ggml.pre is missing (supported: gpt-2, qwen2, llama-bpe)";
    QTest::newRow("type count") << 3 << "tokenizer.ggml.token_type has 2 entries, expected 260 (one per token)";
    QTest::newRow("type value") << 4 << "tokenizer.ggml.token_type[1] is 9, expected 1..6";
    QTest::newRow("eos outside") << 5 << "tokenizer.ggml.eos_token_id is 999, outside the 260 tokens";
    QTest::newRow("bad merge") << 6 << "tokenizer.ggml.merges[0] 'ab' is not two tokens separated by one space";
    QTest::newRow("bad rwkv escape") << 7 << "tokenizer.ggml.tokens[1]: truncated \\x escape";
    QTest::newRow("missing model") << 8 << "metadata key 'tokenizer.ggml.model' is missing";
    QTest::newRow("tokens not strings") << 9 << "ARRAY[STRING]";
  }
  void unreadableTokenizersAreNamed() {
    QFETCH(int, variant);
    QFETCH(QString, message);
    GgufWriter writer = variant == 7 ? GgufWriter()
                                     : tiny_gpt2(variant == 1   ? "deepseek-llm"
                                                 : variant == 2 ? ""
                                                                : "qwen2");
    switch (variant) {
      case 0:
        writer = GgufWriter();
        writer.add_metadata("tokenizer.ggml.model", "llama");
        writer.add_metadata("tokenizer.ggml.tokens", std::vector<std::string>{"a"});
        break;
      case 3:
        writer = GgufWriter();
        writer.add_metadata("tokenizer.ggml.model", "gpt2");
        writer.add_metadata("tokenizer.ggml.pre", "qwen2");
        writer.add_metadata("tokenizer.ggml.tokens", std::vector<std::string>(260, "x"));
        writer.add_metadata("tokenizer.ggml.token_type", std::vector<std::int32_t>{1, 1});
        break;
      case 4:
        writer = GgufWriter();
        writer.add_metadata("tokenizer.ggml.model", "gpt2");
        writer.add_metadata("tokenizer.ggml.pre", "qwen2");
        writer.add_metadata("tokenizer.ggml.tokens", std::vector<std::string>{"a", "b"});
        writer.add_metadata("tokenizer.ggml.token_type", std::vector<std::int32_t>{1, 9});
        break;
      case 5:
        writer = GgufWriter();
        writer.add_metadata("tokenizer.ggml.model", "gpt2");
        writer.add_metadata("tokenizer.ggml.pre", "qwen2");
        writer.add_metadata("tokenizer.ggml.tokens", std::vector<std::string>(260, "x"));
        writer.add_metadata("tokenizer.ggml.eos_token_id", std::uint32_t{999});
        break;
      case 6:
        writer = GgufWriter();
        writer.add_metadata("tokenizer.ggml.model", "gpt2");
        writer.add_metadata("tokenizer.ggml.pre", "qwen2");
        writer.add_metadata("tokenizer.ggml.tokens", std::vector<std::string>{"a", "b", "ab"});
        writer.add_metadata("tokenizer.ggml.merges", std::vector<std::string>{"ab"});
        break;
      case 7:
        writer.add_metadata("tokenizer.ggml.model", "rwkv");
        writer.add_metadata("tokenizer.ggml.tokens", std::vector<std::string>{"<s>", "\\x4"});
        writer.add_metadata("tokenizer.ggml.token_type", std::vector<std::int32_t>{kControl, 1});
        break;
      case 8:
        writer = GgufWriter();
        writer.add_metadata("general.architecture", "rwkv7");
        break;
      case 9:
        writer = GgufWriter();
        writer.add_metadata("tokenizer.ggml.model", "gpt2");
        writer.add_metadata("tokenizer.ggml.tokens", std::vector<std::int32_t>{1, 2});
        break;
      default: break;
    }
    const std::string error = error_loading(writer);
    QVERIFY2(error.find("model.gguf") != std::string::npos, error.c_str());  // the file is named
    QVERIFY2(error.find(message.toStdString()) != std::string::npos, error.c_str());
  }
};

QTEST_APPLESS_MAIN(TestGgufTokenizer)
#include "test_gguf_tokenizer.moc"
