// load_tokenizer on the real vocabularies of ../shared/testdata: each folder and file form, the same
// vocabularies converted to GGUF the way llama.cpp's converter stores them, the Qwen3 chat prompts
// encoded to the ids transformers gives, and the errors for paths that hold no tokenizer.
#include "engine/io/format_error.h"
#include "engine/io/gguf_writer.h"
#include "engine/tokenizer/chat_template.h"
#include "engine/tokenizer/rwkv_world_tokenizer.h"
#include "engine/tokenizer/tokenizer_loader.h"
#include "tests/engine/tokenizer/golden_cases.h"
#include "tests/engine/tokenizer/python_bytes_repr.h"
#include "tests/support/testdata.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>

using namespace linea::tokenizer;
using linea::io::GgufWriter;
using linea::test::EncodeGolden;

namespace {

std::string testdata(const char* relative) {
  return linea::test::testdataPath(QString::fromLatin1(relative)).toStdString();
}

std::string error_of(const std::filesystem::path& path) {
  try {
    load_tokenizer(path);
  } catch (const linea::io::FormatError& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

class TestTokenizerLoader : public QObject {
  Q_OBJECT

 private slots:
  void qwen3FolderGivesTokenizerAndChatFamily() {
    LINEA_REQUIRE_TESTDATA(QStringLiteral("qwen3-tokenizer/tokenizer.json"));
    const LoadedTokenizer loaded = load_tokenizer(testdata("qwen3-tokenizer"));
    QCOMPARE(loaded.source.filename().string(), std::string("tokenizer.json"));
    QCOMPARE(detect_chat_family(loaded.chat_hints), std::optional<ChatFamily>(ChatFamily::qwen3));
  }

  void qwen3ChatPromptsEncodeLikeTransformers() {
    LINEA_REQUIRE_TESTDATA(QStringLiteral("qwen3-tokenizer/tokenizer.json"));
    const LoadedTokenizer loaded = load_tokenizer(testdata("qwen3-tokenizer"));
    const QJsonObject root = linea::test::read_json_object(
        linea::test::sourcePath(QStringLiteral("tests/data/tokenizer/chat_templates.json")));
    int checked = 0;
    for (const QJsonValue& value : root[QStringLiteral("cases")].toArray()) {
      const QJsonObject object = value.toObject();
      if (!object.contains(QStringLiteral("ids"))) continue;
      const std::string prompt = object[QStringLiteral("expected")].toString().toStdString();
      QCOMPARE(loaded.tokenizer->encode(prompt, true), linea::test::to_ids(object[QStringLiteral("ids")].toArray()));
      ++checked;
    }
    QVERIFY(checked >= 20);
  }

  void minimaxConfigNamesItsFamily() {
    LINEA_REQUIRE_TESTDATA(QStringLiteral("minimax-m1/tokenizer_config.json"));
    const QJsonObject config =
        linea::test::read_json_object(linea::test::testdataPath(QStringLiteral("minimax-m1/tokenizer_config.json")));
    ChatTemplateHints hints;
    hints.template_text = config[QStringLiteral("chat_template")].toString().toStdString();
    QCOMPARE(detect_chat_family(hints), std::optional<ChatFamily>(ChatFamily::minimax));
    const QJsonObject model =
        linea::test::read_json_object(linea::test::testdataPath(QStringLiteral("minimax-m1/config.json")));
    ChatTemplateHints from_config;
    from_config.model_type = model[QStringLiteral("model_type")].toString().toStdString();
    QCOMPARE(detect_chat_family(from_config), std::optional<ChatFamily>(ChatFamily::minimax));
  }

  // GPT-2's vocabulary as convert_hf_to_gguf writes it (tokens by id, <|endoftext|> a control token,
  // merges as "a b", pre "gpt-2") must encode the r50k vectors exactly like vocab.json does.
  void gpt2VocabularyAsGguf() {
    LINEA_REQUIRE_TESTDATA(QStringLiteral("gpt2-bpe/vocab.json"));
    const QJsonObject vocab =
        linea::test::read_json_object(linea::test::testdataPath(QStringLiteral("gpt2-bpe/vocab.json")));
    std::vector<std::string> tokens(static_cast<std::size_t>(vocab.size()));
    for (auto it = vocab.begin(); it != vocab.end(); ++it)
      tokens[static_cast<std::size_t>(it.value().toInt())] = it.key().toStdString();
    std::vector<std::int32_t> types(tokens.size(), 1);
    types[50256] = 3;
    std::vector<std::string> merges;
    std::ifstream merges_file(testdata("gpt2-bpe/merges.txt"));
    for (std::string line; std::getline(merges_file, line);)
      if (!line.empty() && !line.starts_with("#version")) merges.push_back(line);
    GgufWriter writer;
    writer.add_metadata("general.architecture", "gpt2");
    writer.add_metadata("tokenizer.ggml.model", "gpt2");
    writer.add_metadata("tokenizer.ggml.pre", "gpt-2");
    writer.add_metadata("tokenizer.ggml.tokens", tokens);
    writer.add_metadata("tokenizer.ggml.token_type", types);
    writer.add_metadata("tokenizer.ggml.merges", merges);
    writer.add_metadata("tokenizer.ggml.eos_token_id", std::uint32_t{50256});
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("gpt2.gguf")).toStdString();
    writer.write(path);

    const LoadedTokenizer from_gguf = load_tokenizer(path);
    const LoadedTokenizer from_json = load_tokenizer(testdata("gpt2-bpe/vocab.json"));
    const auto goldens = linea::test::read_encode_goldens(QStringLiteral("gpt2_encode.json"));
    for (const EncodeGolden& golden : goldens) {
      QCOMPARE(from_gguf.tokenizer->encode(golden.text, true), golden.ids);
      QCOMPARE(from_gguf.tokenizer->encode(golden.text, false), golden.ids_special_as_text);
    }
    QCOMPARE(from_gguf.tokenizer->vocab_size(), from_json.tokenizer->vocab_size());
    QCOMPARE(from_gguf.tokenizer->special_ids().eos, std::optional<TokenId>(50256));
  }

  // The World vocabulary as llama.cpp stores it: "<s>" control token 0, then repr(bytes)[2:-1] text,
  // padded with unused tokens to the model's 65536 rows.
  void worldVocabularyAsGguf() {
    LINEA_REQUIRE_TESTDATA(QStringLiteral("rwkv-world/rwkv_vocab_v20230424.txt"));
    const auto reference = RwkvWorldTokenizer::from_vocab_file(testdata("rwkv-world/rwkv_vocab_v20230424.txt"));
    std::vector<std::string> tokens{"<s>"};
    std::vector<std::int32_t> types{3};
    for (TokenId id = 1; id < static_cast<TokenId>(reference->vocab_size()); ++id) {
      tokens.push_back(linea::test::python_bytes_repr_body(reference->token_bytes(id)));
      types.push_back(1);
    }
    while (tokens.size() < 65536) {
      tokens.push_back("[PAD" + std::to_string(tokens.size()) + "]");
      types.push_back(5);
    }
    GgufWriter writer;
    writer.add_metadata("general.architecture", "rwkv7");
    writer.add_metadata("tokenizer.ggml.model", "rwkv");
    writer.add_metadata("tokenizer.ggml.tokens", tokens);
    writer.add_metadata("tokenizer.ggml.token_type", types);
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("rwkv7.gguf")).toStdString();
    writer.write(path);

    const LoadedTokenizer loaded = load_tokenizer(path);
    QCOMPARE(loaded.tokenizer->vocab_size(), std::size_t(65536));
    for (const EncodeGolden& golden : linea::test::read_encode_goldens(QStringLiteral("world_encode.json")))
      QCOMPARE(loaded.tokenizer->encode(golden.text, true), golden.ids);
    QCOMPARE(detect_chat_family(loaded.chat_hints), std::optional<ChatFamily>(ChatFamily::rwkv_g1));
  }

  void pathsWithoutATokenizerAreExplained() {
    QTemporaryDir dir;
    const std::filesystem::path folder = dir.path().toStdString();
    QVERIFY2(error_of(folder / "missing.json").ends_with("missing.json: no such file or folder"),
             error_of(folder / "missing.json").c_str());
    QVERIFY2(error_of(folder).find("no tokenizer found (looked for tokenizer.json, vocab.json + merges.txt") !=
                 std::string::npos,
             error_of(folder).c_str());
    std::ofstream(folder / "weights.bin") << "x";
    QVERIFY(error_of(folder / "weights.bin").find("not a tokenizer file this reader knows") != std::string::npos);
    std::ofstream(folder / "vocab.json") << "{\"a\": 0}";
    QVERIFY2(error_of(folder / "vocab.json").ends_with("vocab.json: merges.txt must be beside vocab.json"),
             error_of(folder / "vocab.json").c_str());
    std::ofstream(folder / "tokenizer.json") << "{\"model\": ";
    const std::string truncated = error_of(folder);
    QVERIFY2(truncated.find("tokenizer.json: at byte") != std::string::npos, truncated.c_str());
  }
};

QTEST_APPLESS_MAIN(TestTokenizerLoader)
#include "test_tokenizer_loader.moc"
