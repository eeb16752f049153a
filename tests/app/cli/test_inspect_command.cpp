// `linea-cli inspect` on the committed io goldens and on folders built here: text and JSON output,
// the tensor list, Hugging Face folders, and invalid input (status 1, the reason on stderr).
#include "app/cli/cli_commands.h"
#include "engine/io/gguf_writer.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

struct Run {
  int status;
  std::string out;
  std::string err;
};

Run run(std::vector<std::string> arguments) {
  std::ostringstream out, err;
  const int status = linea::cli::run_cli(arguments, out, err);
  return {status, out.str(), err.str()};
}

std::string golden(const char* name) { return std::string(LINEA_SOURCE_DIR) + "/tests/data/io/" + name; }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

void writeText(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

class TestInspectCommand : public QObject {
  Q_OBJECT

 private slots:
  void describesAGgufFile() {
    const Run result = run({"inspect", golden("python_metadata.gguf")});
    QCOMPARE(result.status, 0);
    QVERIFY2(result.err.empty(), result.err.c_str());
    for (const char* expected :
         {"format:       GGUF v3 (alignment 64)\n", "architecture: linea-test\n", "tensors:      3 (",
          "parameters:   16 (16)\n", "  F16: 1 tensor, 8 bytes\n", "  F32: 1 tensor, 24 bytes\n",
          "  I32: 1 tensor, 24 bytes\n", "metadata:     21 keys\n", "  test.u64 = 9223372036854775813\n",
          "  test.array.nested = \"[2 arrays]\"\n", "  test.array.i32 = [1,-2,3]\n", "tokenizer:    none in the file\n",
          "validation:   valid\n"})
      QVERIFY2(contains(result.out, expected), expected);
    QVERIFY(!contains(result.out, "tensor list:"));
  }

  void listsTensors() {
    const Run result = run({"inspect", "--tensors", golden("dequant_goldens.gguf")});
    QCOMPARE(result.status, 0);
    QVERIFY(contains(result.out, "tensor list:\n  q8_0.blocks  Q8_0  [2, 512]  offset "));
    QVERIFY(contains(result.out, "  q6_k.expected  F32  [2, 512]  offset "));
    QVERIFY(contains(result.out, "  Q4_K: 1 tensor, 576 bytes\n"));
    QVERIFY(contains(result.out, "  F32: 10 tensors, 40.00 KiB\n"));
  }

  void summarisesTheTokenizerAndLongArrays() {
    QTemporaryDir dir;
    const std::filesystem::path path = std::filesystem::path(dir.path().toStdString()) / "tok.gguf";
    linea::io::GgufWriter writer;
    writer.add_metadata("general.architecture", "rwkv7");
    writer.add_metadata("tokenizer.ggml.model", "gpt2");
    std::vector<std::string> tokens;
    for (int i = 0; i < 100; ++i) tokens.push_back("t" + std::to_string(i));
    writer.add_metadata("tokenizer.ggml.tokens", tokens);
    writer.add_metadata("tokenizer.ggml.scores", std::vector<float>(100, 0.5f));
    writer.add_tensor("w", linea::DType::f32, {1000, 1000}, std::vector<std::byte>(4'000'000));
    writer.write(path);
    const Run result = run({"inspect", path.string()});
    QCOMPARE(result.status, 0);
    for (const char* expected : {"tokenizer:    gpt2, 100 tokens\n", "  tokenizer.ggml.tokens = \"[100 strings]\"\n",
                                 "  tokenizer.ggml.scores = \"[100 FLOAT32]\"\n", "parameters:   1,000,000 (1.00 M)\n",
                                 "tensors:      1 (3.81 MiB)\n"})
      QVERIFY2(contains(result.out, expected), expected);
    const auto report = nlohmann::json::parse(run({"inspect", "--json", path.string()}).out);
    QVERIFY(report["tokenizer"] == nlohmann::json({{"model", "gpt2"}, {"tokens", 100}}));
  }

  void printsJson() {
    const Run result = run({"inspect", "--json", "--tensors", golden("python_metadata.gguf")});
    QCOMPARE(result.status, 0);
    const auto report = nlohmann::json::parse(result.out);
    QCOMPARE(report["format"].get<std::string>(), std::string("GGUF v3 (alignment 64)"));
    QCOMPARE(report["architecture"].get<std::string>(), std::string("linea-test"));
    QCOMPARE(report["parameter_count"].get<int>(), 16);
    QCOMPARE(report["tensor_count"].get<int>(), 3);
    QCOMPARE(report["dtypes"]["F32"]["bytes"].get<int>(), 24);
    QCOMPARE(report["metadata"]["test.string"].get<std::string>(), std::string("grüße, 世界 🙂"));
    QCOMPARE(report["metadata"]["test.array.string"].size(), std::size_t{3});
    QCOMPARE(report["validation"].get<std::string>(), std::string("valid"));
    QCOMPARE(report["tensors"][2]["name"].get<std::string>(), std::string("tensor.i32"));
    QVERIFY(report["tensors"][2]["shape"] == nlohmann::json({3, 1, 2}));
    QCOMPARE(report["tensors"][2]["dtype"].get<std::string>(), std::string("I32"));
  }

  void describesAHuggingFaceFolder() {
    QTemporaryDir dir;
    const std::filesystem::path folder = dir.path().toStdString();
    std::filesystem::copy_file(golden("python_small.safetensors"), folder / "model.safetensors");
    writeText(folder / "config.json", R"({"architectures": ["RWKV7ForCausalLM"], "model_type": "rwkv7"})");
    writeText(folder / "tokenizer.json", "{}");
    writeText(folder / "tokenizer_config.json", "{}");
    const Run result = run({"inspect", folder.string()});
    QCOMPARE(result.status, 0);
    for (const char* expected : {"format:       safetensors\n", "architecture: RWKV7ForCausalLM (model_type rwkv7)\n",
                                 "parameters:   14 (14)\n", "  BOOL: 1 tensor, 3 bytes\n", "  note = \"grüße\"\n",
                                 "tokenizer:    tokenizer.json, tokenizer_config.json\n", "validation:   valid\n"})
      QVERIFY2(contains(result.out, expected), expected);
  }

  void invalidFileFailsWithTheReason() {
    QTemporaryDir dir;
    const std::filesystem::path path = std::filesystem::path(dir.path().toStdString()) / "bad.gguf";
    std::ofstream(path, std::ios::binary) << std::string("GGUF\x02\0\0\0", 8) << std::string(16, '\0');
    const Run result = run({"inspect", path.string()});
    QCOMPARE(result.status, 1);
    QVERIFY(result.out.empty());
    QCOMPARE(result.err, "linea-cli inspect: error: " + path.string() +
                             ": at byte 4: GGUF version 2 is not supported, re-convert with a current llama.cpp "
                             "(Linea reads version 3)\n");
  }

  void usageErrors() {
    QCOMPARE(run({"inspect"}).status, 2);
    QVERIFY(contains(run({"inspect"}).err, "missing argument FILE_OR_DIR"));
    QCOMPARE(run({"inspect", "--frobnicate", "x"}).status, 2);
    const Run help = run({"inspect", "--help"});
    QCOMPARE(help.status, 0);
    QVERIFY(contains(help.out, "usage: linea-cli inspect"));
  }
};

QTEST_APPLESS_MAIN(TestInspectCommand)
#include "test_inspect_command.moc"
