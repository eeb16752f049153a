// GgufWriter: write -> read round trips (every metadata type, nested arrays, every tensor dtype,
// several alignments), atomic replacement, argument errors, and byte-for-byte agreement with the
// file gguf-py's GGUFWriter wrote for the same content (tests/data/io/python_metadata.gguf).
#include "engine/core/atomic_file.h"
#include "engine/io/gguf.h"
#include "engine/io/gguf_writer.h"
#include "engine/io/quantize.h"
#include "tests/engine/io/io_test_files.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <stdexcept>

using linea::DType;
using linea::io::GgufArray;
using linea::io::GgufFile;
using linea::io::GgufValue;
using linea::io::GgufWriter;
using linea::test::Bytes;

namespace {

template <typename T>
Bytes bytesOf(const std::vector<T>& values) {
  Bytes bytes(values.size() * sizeof(T));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

// The test.* keys of make_io_goldens.py's python_metadata.gguf, in its order.
std::vector<std::pair<std::string, GgufValue>> goldenMetadata() {
  return {
      {"test.u8", std::uint8_t{200}},
      {"test.i8", std::int8_t{-100}},
      {"test.u16", std::uint16_t{60000}},
      {"test.i16", std::int16_t{-30000}},
      {"test.u32", std::uint32_t{4000000000u}},
      {"test.i32", std::int32_t{-2000000000}},
      {"test.f32", 0.15625f},
      {"test.u64", (std::uint64_t{1} << 63) + 5},
      {"test.i64", -(std::int64_t{1} << 62) - 3},
      {"test.f64", 2.718281828459045},
      {"test.bool", true},
      {"test.string", "grüße, 世界 🙂"},
      {"test.array.i32", std::vector<std::int32_t>{1, -2, 3}},
      {"test.array.u16", std::vector<std::uint16_t>{1, 2, 65535}},
      {"test.array.f32", std::vector<float>{0.5f, -1.25f}},
      {"test.array.string", std::vector<std::string>{"a", "", "ü"}},
      {"test.array.bool", std::vector<bool>{true, false, true}},
      {"test.array.nested",
       std::vector<GgufArray>{GgufArray{std::vector<std::int32_t>{1, 2}}, GgufArray{std::vector<std::int32_t>{3}}}},
      {"test.array.nested_strings",
       std::vector<GgufArray>{GgufArray{std::vector<std::string>{"x", "y"}}, GgufArray{std::vector<std::string>{"z"}}}},
  };
}

// The same keys, values and tensors, in the same order, as python_metadata.gguf.
void addPythonGoldenContent(GgufWriter& writer) {
  writer.add_metadata("general.architecture", "linea-test");
  writer.add_metadata("general.alignment", std::uint32_t{64});
  for (auto& [key, value] : goldenMetadata()) writer.add_metadata(key, value);
  writer.add_tensor("tensor.f32", DType::f32, {2, 3}, bytesOf(std::vector<float>{0, 0.5f, 1, 1.5f, 2, 2.5f}));
  writer.add_tensor("tensor.f16", DType::f16, {4}, bytesOf(std::vector<std::uint16_t>{0x3C00, 0xC000, 0x3800, 0x7BFF}));
  writer.add_tensor("tensor.i32", DType::i32, {3, 1, 2}, bytesOf(std::vector<std::int32_t>{-3, -2, -1, 0, 1, 2}));
}

template <typename Exception>
void expectThrow(const std::function<void()>& action, const std::string& expected) {
  try {
    action();
    QFAIL(("expected an error containing: " + expected).c_str());
  } catch (const Exception& error) {
    QVERIFY2(std::string(error.what()).find(expected) != std::string::npos, error.what());
  }
}

}  // namespace

class TestGgufWriter : public QObject {
  Q_OBJECT

 private slots:
  void matchesGgufPyByteForByte() {
    GgufWriter writer;
    addPythonGoldenContent(writer);
    QVERIFY(writer.to_bytes() == linea::test::readBytes(linea::test::goldenPath("python_metadata.gguf")));
  }

  // linea_writer.gguf is what this writer wrote and make_io_goldens.py then read with gguf.GGUFReader;
  // LINEA_UPDATE_GOLDENS=1 (set by that script) rewrites it first.
  void matchesTheCommittedFile() {
    const std::filesystem::path golden = linea::test::goldenPath("linea_writer.gguf");
    GgufWriter writer;
    addPythonGoldenContent(writer);
    if (qEnvironmentVariableIsSet("LINEA_UPDATE_GOLDENS")) writer.write(golden);
    QVERIFY2(std::filesystem::exists(golden), "run tools/io/make_io_goldens.py --build-dir <build>");
    QVERIFY(writer.to_bytes() == linea::test::readBytes(golden));
  }

  void roundTrips_data() {
    QTest::addColumn<std::uint32_t>("alignment");  // 0: leave general.alignment out (32)
    QTest::newRow("default alignment") << 0u;
    QTest::newRow("alignment 8") << 8u;
    QTest::newRow("alignment 128") << 128u;
    QTest::newRow("alignment 4096") << 4096u;
  }

  void roundTrips() {
    QFETCH(std::uint32_t, alignment);
    GgufWriter writer;
    writer.add_metadata("general.architecture", "rwkv7");
    if (alignment != 0) writer.add_metadata("general.alignment", alignment);
    for (auto& [key, value] : goldenMetadata()) writer.add_metadata(key, value);

    // One tensor of each dtype GGUF can hold; sizes chosen so padding is needed between them.
    std::vector<float> values(64);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = std::sin(static_cast<float>(i)) * 3.0f;
    struct Tensor {
      std::string name;
      DType dtype;
      std::vector<std::int64_t> shape;
      Bytes bytes;
    };
    std::vector<Tensor> tensors = {
        {"f32", DType::f32, {3}, linea::test::filled(12)},
        {"f16", DType::f16, {5, 1}, linea::test::filled(10)},
        {"bf16", DType::bf16, {1, 1, 1, 7}, linea::test::filled(14)},
        {"f64", DType::f64, {2}, linea::test::filled(16)},
        {"i8", DType::i8, {9}, linea::test::filled(9)},
        {"i16", DType::i16, {3}, linea::test::filled(6)},
        {"i32", DType::i32, {1}, linea::test::filled(4)},
        {"i64", DType::i64, {1}, linea::test::filled(8)},
        {"empty", DType::f32, {0, 4}, {}},
    };
    for (DType type : {DType::q8_0, DType::q4_0, DType::q4_1, DType::q5_0, DType::q5_1})
      tensors.push_back({std::string(linea::dtype_name(type)), type, {2, 32}, linea::io::quantize(type, values)});
    for (DType type : {DType::q4_k, DType::q5_k, DType::q6_k}) {
      tensors.push_back({std::string(linea::dtype_name(type)),
                         type,
                         {256},
                         linea::test::filled(linea::dtype_info(type).block_bytes, 3)});
    }
    for (const Tensor& tensor : tensors) writer.add_tensor(tensor.name, tensor.dtype, tensor.shape, tensor.bytes);

    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("out.gguf").toStdString();
    writer.write(path);
    QVERIFY(writer.to_bytes() == linea::test::readBytes(path));

    const auto file = GgufFile::open(path);
    QCOMPARE(file->alignment(), alignment == 0 ? 32u : alignment);
    QCOMPARE(file->get_string("general.architecture"), std::string("rwkv7"));
    // Identical metadata, value for value and type for type.
    const auto metadata = goldenMetadata();
    QCOMPARE(file->metadata().size(), metadata.size() + (alignment != 0 ? 2 : 1));
    for (const auto& [key, value] : metadata) {
      const GgufValue* got = file->find_metadata(key);
      QVERIFY2(got != nullptr, key.c_str());
      QVERIFY2(*got == value, key.c_str());
    }
    // Identical tensors: order, dtype, shape, bytes, and each one aligned.
    QCOMPARE(file->tensors().size(), tensors.size());
    for (std::size_t i = 0; i < tensors.size(); ++i) {
      const auto& got = file->tensors()[i];
      QCOMPARE(got.name, tensors[i].name);
      QCOMPARE(got.dtype, tensors[i].dtype);
      QCOMPARE(got.shape, tensors[i].shape);
      QCOMPARE(got.size_bytes, std::uint64_t(tensors[i].bytes.size()));
      QCOMPARE(got.file_offset % file->alignment(), std::uint64_t{0});
      QVERIFY(std::equal(tensors[i].bytes.begin(), tensors[i].bytes.end(), got.data));
    }
  }

  void writesWithoutTensors() {
    GgufWriter writer;
    writer.add_metadata("general.architecture", "none");
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("meta.gguf").toStdString();
    writer.write(path);
    const auto file = GgufFile::open(path);
    QVERIFY(file->tensors().empty());
    QCOMPARE(file->get_string("general.architecture"), std::string("none"));
  }

  void replacesAtomicallyAndLeavesNoTemporaryFile() {
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("model.gguf").toStdString();
    linea::test::writeBytes(path, linea::test::filled(10));
    GgufWriter writer;
    writer.add_metadata("general.architecture", "x");
    writer.add_tensor("t", DType::f32, {1}, linea::test::filled(4));
    writer.write(path);
    QCOMPARE(GgufFile::open(path)->tensors().size(), std::size_t{1});
    int entries = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path().toStdString())) ++entries;
    QCOMPARE(entries, 1);
  }

  void failedWriteNamesThePathAndLeavesNothing() {
    QTemporaryDir dir;
    const std::filesystem::path path = std::filesystem::path(dir.path().toStdString()) / "missing" / "m.gguf";
    GgufWriter writer;
    writer.add_metadata("general.architecture", "x");
    expectThrow<linea::FileWriteError>([&] { writer.write(path); }, path.parent_path().string());
    QVERIFY(!std::filesystem::exists(path));
  }

  void rejectsMistakes() {
    GgufWriter writer;
    writer.add_metadata("a", "x");
    writer.add_tensor("t", DType::f32, {1}, linea::test::filled(4));
    expectThrow<std::invalid_argument>([&] { writer.add_metadata("a", "y"); }, "metadata key 'a' added twice");
    expectThrow<std::invalid_argument>([&] { writer.add_metadata("general.alignment", std::int32_t{32}); },
                                       "general.alignment must be a UINT32, got INT32");
    expectThrow<std::invalid_argument>([&] { writer.add_metadata("general.alignment", std::uint32_t{48}); },
                                       "general.alignment 48 is not a power of two that is a multiple of 8");
    expectThrow<std::invalid_argument>([&] { writer.add_metadata("general.alignment", std::uint32_t{4}); },
                                       "general.alignment 4 is not a power of two");
    expectThrow<std::invalid_argument>([&] { writer.add_tensor("t", DType::f32, {1}, linea::test::filled(4)); },
                                       "tensor 't' added twice");
    expectThrow<std::invalid_argument>(
        [&] { writer.add_tensor(std::string(64, 'n'), DType::f32, {1}, linea::test::filled(4)); },
        "has a name of 64 bytes, ggml's limit is 63");
    expectThrow<std::invalid_argument>([&] { writer.add_tensor("u", DType::f32, {2}, linea::test::filled(4)); },
                                       "tensor 'u': 4 bytes given, the shape needs 8");
    expectThrow<std::invalid_argument>([&] { writer.add_tensor("u", DType::u8, {4}, linea::test::filled(4)); },
                                       "GGUF cannot store dtype U8");
    expectThrow<std::invalid_argument>([&] { writer.add_tensor("u", DType::q4_0, {16}, linea::test::filled(9)); },
                                       "the innermost dimension 16 is not a multiple of the Q4_0 block size 32");
    expectThrow<std::invalid_argument>([&] { writer.add_tensor("u", DType::f32, {}, linea::test::filled(4)); },
                                       "has 0 dimensions, GGUF needs 1 to 4");
    expectThrow<std::invalid_argument>(
        [&] {
          writer.add_tensor("u", DType::f32, {1, 1, 1, 1, 1}, linea::test::filled(4));
        },
        "has 5 dimensions, GGUF needs 1 to 4");
  }
};

QTEST_APPLESS_MAIN(TestGgufWriter)
#include "test_gguf_writer.moc"
