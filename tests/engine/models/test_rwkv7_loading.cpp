// Loading RWKV-7 files that are wrong: every failure names the file, the tensor and what was expected
// (missing tensor, wrong shape, unusable dtype, metadata that contradicts the tensors, an unknown
// architecture, a damaged rwkv.cpp file), and random-weight models for benchmarks.
#include "engine/io/format_error.h"
#include "engine/io/gguf.h"
#include "engine/io/gguf_writer.h"
#include "engine/io/open_weights.h"
#include "engine/models/memory_tensor_source.h"
#include "engine/models/registry.h"
#include "engine/models/rwkv7.h"
#include "engine/models/rwkv_cpp_file.h"
#include "engine/runtime/session.h"
#include "tests/engine/models/golden_models.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>

namespace {

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& error) {
    return error.what();
  }
  return "(no error)";
}

// The golden HF model's tensors copied into memory, with `edit` applied to each (return false to drop).
std::shared_ptr<linea::MemoryTensorSource> edited_golden(
    const std::function<bool(linea::io::TensorInfo&, std::vector<std::byte>&)>& edit) {
  const auto original = linea::io::open_weights(linea::test::read_golden_models().at(0).hf_folder);
  auto copy = std::make_shared<linea::MemoryTensorSource>("edited.safetensors");
  for (linea::io::TensorInfo info : original->tensors()) {
    std::vector<std::byte> bytes(info.data, info.data + info.size_bytes);
    if (!edit(info, bytes)) continue;
    copy->add(info.name, info.dtype, info.shape, std::move(bytes));
  }
  return copy;
}

std::string load_error(std::shared_ptr<const linea::io::TensorSource> source) {
  linea::Rwkv7LoadOptions options;
  options.format = "test";
  return error_of([&] { linea::Rwkv7Model::load(std::move(source), options); });
}

void write_i32s(std::ofstream& out, std::initializer_list<std::int32_t> values) {
  for (std::int32_t v : values) out.write(reinterpret_cast<const char*>(&v), 4);
}

}  // namespace

class TestRwkv7Loading : public QObject {
  Q_OBJECT

 private slots:
  void missingTensorIsNamed() {
    const std::string message =
        load_error(edited_golden([](auto& info, auto&) { return info.name != "model.layers.1.attn.k_proj.weight"; }));
    QCOMPARE(message, std::string("edited.safetensors: tensor 'model.layers.1.attn.k_proj.weight' (RWKV-7 layer 1 key "
                                  "projection) is missing"));
  }

  void wrongShapeSaysExpectedAndFound() {
    const std::string message = load_error(edited_golden([](auto& info, auto& bytes) {
      if (info.name == "model.layers.2.ffn.value.weight") {  // [128, 128] -> [128, 64]
        info.shape = {128, 64};
        bytes.resize(bytes.size() / 2);
      }
      return true;
    }));
    QVERIFY2(
        message.starts_with("edited.safetensors: at byte 0: tensor 'model.layers.2.ffn.value.weight' (RWKV-7 layer 2 "
                            "channel-mix value) has shape [128, 64], expected [128, 128]"),
        message.c_str());
  }

  void wrongVectorLengthIsNamed() {
    const std::string message = load_error(edited_golden([](auto& info, auto& bytes) {
      if (info.name == "model.layers.0.attn.k_a") {
        info.shape = {100};
        bytes.resize(200);
      }
      return true;
    }));
    QVERIFY2(
        message.find("tensor 'model.layers.0.attn.k_a' (RWKV-7 layer 0 key learning-rate mix k_a) has shape [100], "
                     "expected [128]") != std::string::npos,
        message.c_str());
  }

  void unusableDtypeIsNamed() {
    const std::string message = load_error(edited_golden([](auto& info, auto&) {
      if (info.name == "model.layers.0.attn.r_proj.weight") info.dtype = linea::DType::i16;  // same byte size as BF16
      return true;
    }));
    QVERIFY2(message.find(
                 "tensor 'model.layers.0.attn.r_proj.weight' (RWKV-7 layer 0 receptance projection) has dtype I16") !=
                 std::string::npos,
             message.c_str());
  }

  void notAnRwkv7ModelSaysWhatWasLookedFor() {
    auto source = std::make_shared<linea::MemoryTensorSource>("llama.safetensors");
    const float one = 1;
    source->add_f32("model.embed_tokens.weight", linea::DType::f32, {1, 1}, std::span(&one, 1));
    const std::string message = load_error(source);
    QVERIFY2(message.starts_with("llama.safetensors: not an RWKV-7 model"), message.c_str());
  }

  void ggufMetadataMustMatchTheTensors() {
    const auto golden = linea::test::read_golden_models().at(0);
    const auto original = linea::io::GgufFile::open(golden.gguf);
    QTemporaryDir dir;
    const std::string path = dir.filePath("wrong.gguf").toStdString();
    linea::io::GgufWriter writer;
    for (const auto& entry : original->metadata()) {
      if (entry.key == "rwkv7.embedding_length")
        writer.add_metadata(entry.key, std::uint32_t{256});
      else
        writer.add_metadata(entry.key, entry.value);
    }
    for (const auto& tensor : original->tensors())
      writer.add_tensor(tensor.name, tensor.dtype, tensor.shape, std::span(tensor.data, tensor.size_bytes));
    writer.write(path);
    const std::string message = error_of([&] { linea::load_model(path); });
    QCOMPARE(message, path + ": metadata rwkv7.embedding_length = 256 but the tensors say 128");
  }

  void unknownArchitectureIsNamed() {
    const auto golden = linea::test::read_golden_models().at(0);
    QTemporaryDir dir;
    const std::filesystem::path folder = dir.filePath("gemma").toStdString();
    std::filesystem::create_directory(folder);
    std::filesystem::copy_file(std::filesystem::path(golden.hf_folder) / "model.safetensors",
                               folder / "model.safetensors");
    std::ofstream(folder / "config.json") << R"({"model_type": "gemma", "architectures": ["GemmaForCausalLM"]})";
    const std::string message = error_of([&] { linea::load_model(folder); });
    QVERIFY2(message.find("unknown architecture 'gemma'; this build knows: rwkv7, minimax, llama") != std::string::npos,
             message.c_str());
  }

  void damagedRwkvCppFilesAreRefused() {
    QTemporaryDir dir;
    const std::string bad_magic = dir.filePath("magic.bin").toStdString();
    {
      std::ofstream out(bad_magic, std::ios::binary);
      write_i32s(out, {0x12345678, 101, 256, 64, 12, 0});
    }
    QCOMPARE(error_of([&] { linea::RwkvCppFile::open(bad_magic); }),
             bad_magic + ": at byte 0: not an rwkv.cpp model file (magic is not 'ggmf')");

    // One tensor record whose data is cut short.
    const std::string truncated = dir.filePath("truncated.bin").toStdString();
    {
      std::ofstream out(truncated, std::ios::binary);
      write_i32s(out, {static_cast<std::int32_t>(linea::RwkvCppFile::kMagic), 101, 256, 64, 12, 0});
      write_i32s(out, {2, 10, 0, 64, 256});  // dims, key length, F32, ne = [64, 256]
      out << "emb.weight";
      const std::vector<float> some(100, 0.5f);
      out.write(reinterpret_cast<const char*>(some.data()), 400);
    }
    QCOMPARE(error_of([&] { linea::RwkvCppFile::open(truncated); }),
             truncated + ": at byte 54: tensor 'emb.weight' needs 65536 bytes of data but the file has 400 left");

    const std::string bad_type = dir.filePath("type.bin").toStdString();
    {
      std::ofstream out(bad_type, std::ios::binary);
      write_i32s(out, {static_cast<std::int32_t>(linea::RwkvCppFile::kMagic), 101, 256, 64, 12, 0});
      write_i32s(out, {1, 3, 42, 64});
      out << "abc";
    }
    QCOMPARE(error_of([&] { linea::RwkvCppFile::open(bad_type); }),
             bad_type + ": at byte 32: tensor 'abc' has unknown data type 42");
  }

  void rwkvCppReaderGivesPyTorchShapes() {
    LINEA_REQUIRE_TESTDATA("rwkv7-tiny/tiny-rwkv-7v0-834K-FP16.bin");
    const auto file =
        linea::RwkvCppFile::open(linea::test::testdataPath("rwkv7-tiny/tiny-rwkv-7v0-834K-FP16.bin").toStdString());
    QCOMPARE(file->n_layer(), std::int64_t{12});
    QCOMPARE(file->find("emb.weight")->shape, (std::vector<std::int64_t>{256, 64}));
    QCOMPARE(file->find("emb.weight")->dtype, linea::DType::f16);
    QCOMPARE(file->find("blocks.0.att.x_rwkvag")->shape, (std::vector<std::int64_t>{6, 1, 64}));
    QCOMPARE(file->find("blocks.0.att.x_rwkvag")->dtype, linea::DType::f32);
    QCOMPARE(file->find("blocks.3.att.w1")->shape, (std::vector<std::int64_t>{32, 64}));  // [rank, C]: nn.Linear
    QCOMPARE(file->tensors().size(), std::size_t{339});
  }

  void randomModelsHaveTheRealShapesAndRun() {
    linea::Rwkv7Hyperparameters shape = *linea::rwkv7_released_shape("0.1b");
    QCOMPARE(shape.n_layer, std::int64_t{12});
    QCOMPARE(shape.n_embd, std::int64_t{768});
    QCOMPARE(shape.n_head, std::int64_t{12});
    QCOMPARE(shape.n_ffn, std::int64_t{3072});
    QCOMPARE(shape.n_vocab, std::int64_t{65536});
    QVERIFY(!linea::rwkv7_released_shape("7b"));

    // A small model built the same way, through the same loader and forward pass.
    shape.n_layer = 2, shape.n_embd = 128, shape.n_head = 2, shape.n_ffn = 256, shape.n_vocab = 300;
    for (linea::DType dtype : {linea::DType::f32, linea::DType::f16, linea::DType::bf16}) {
      std::shared_ptr<const linea::io::TensorSource> weights = linea::random_rwkv7_weights(shape, dtype, 5);
      linea::Rwkv7LoadOptions options;
      options.format = "memory";
      auto model = linea::Rwkv7Model::load(weights, options);
      QCOMPARE(model->hyperparameters().rank_gate, std::int64_t{128});
      linea::Session session(model, std::make_shared<linea::cpu::ThreadPool>(1));
      const std::vector<std::int32_t> tokens = {1, 2, 299, 0};
      const auto logits = session.feed(tokens).logits;
      QCOMPARE(logits.size(), std::size_t{300});
      float spread = 0;
      for (float value : logits) {
        QVERIFY(std::isfinite(value));
        spread = std::max(spread, std::abs(value - logits[0]));
      }
      QVERIFY(spread > 0.01f);  // not a constant output
    }
    QCOMPARE(error_of([] { linea::make_random_model("rwkv7:9b", linea::DType::f32); }),
             std::string("rwkv7 has no size '9b' (0.1b, 0.4b or 1.5b)"));
    QCOMPARE(error_of([] { linea::make_random_model("mamba:1b", linea::DType::f32); }),
             std::string("unknown architecture 'mamba'; this build knows: rwkv7, minimax, llama"));
  }
};

QTEST_APPLESS_MAIN(TestRwkv7Loading)
#include "test_rwkv7_loading.moc"
