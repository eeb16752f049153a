// GgufFile on a file written by gguf-py's GGUFWriter (tests/data/io/python_metadata.gguf, made by
// tools/io/make_io_goldens.py): every metadata type, nested arrays, general.alignment = 64, tensors
// in PyTorch order; and the typed accessors' errors.
#include "engine/io/format_error.h"
#include "engine/io/gguf.h"
#include "tests/engine/io/io_test_files.h"

#include <QTest>

#include <cstring>

using linea::DType;
using linea::io::FormatError;
using linea::io::GgufArray;
using linea::io::GgufFile;
using linea::io::GgufType;
using linea::io::GgufValue;

namespace {

std::unique_ptr<GgufFile> pythonFile() { return GgufFile::open(linea::test::goldenPath("python_metadata.gguf")); }

void expectError(const std::function<void()>& action, const std::string& expected) {
  try {
    action();
    QFAIL(("expected an error containing: " + expected).c_str());
  } catch (const FormatError& error) {
    QVERIFY2(error.message().find(expected) != std::string::npos, error.what());
  }
}

}  // namespace

class TestGgufReader : public QObject {
  Q_OBJECT

 private slots:
  void readsTheHeader() {
    const auto file = pythonFile();
    QCOMPARE(file->version(), std::uint32_t{3});
    QCOMPARE(file->alignment(), std::uint32_t{64});
    QCOMPARE(file->data_offset() % 64, std::uint64_t{0});
    // general.architecture (from GGUFWriter's constructor), general.alignment, then our 19 keys.
    QCOMPARE(file->metadata().size(), std::size_t{21});
    QCOMPARE(file->metadata()[0].key, std::string("general.architecture"));
    QCOMPARE(file->get_string("general.architecture"), std::string("linea-test"));
  }

  void readsEveryScalarType() {
    const auto file = pythonFile();
    QCOMPARE(file->get("test.u8"), GgufValue(std::uint8_t{200}));
    QCOMPARE(file->get("test.i8"), GgufValue(std::int8_t{-100}));
    QCOMPARE(file->get("test.u16"), GgufValue(std::uint16_t{60000}));
    QCOMPARE(file->get("test.i16"), GgufValue(std::int16_t{-30000}));
    QCOMPARE(file->get_u32("test.u32"), std::uint32_t{4000000000u});
    QCOMPARE(file->get("test.i32"), GgufValue(std::int32_t{-2000000000}));
    QCOMPARE(file->get_f32("test.f32"), 0.15625f);
    QCOMPARE(file->get_u64("test.u64"), (std::uint64_t{1} << 63) + 5);
    QCOMPARE(file->get("test.i64"), GgufValue(-(std::int64_t{1} << 62) - 3));
    QCOMPARE(file->get_float("test.f64"), 2.718281828459045);
    QCOMPARE(file->get_bool("test.bool"), true);
    QCOMPARE(file->get_string("test.string"), std::string("grüße, 世界 🙂"));
    QCOMPARE(file->get_int("test.u8"), std::int64_t{200});
    QCOMPARE(file->get_int("test.i16"), std::int64_t{-30000});
    QCOMPARE(file->get_int("test.u32"), std::int64_t{4000000000});
    QCOMPARE(file->get_float("test.f32"), 0.15625);
  }

  void readsArrays() {
    const auto file = pythonFile();
    QCOMPARE(file->get_int_array("test.array.i32"), (std::vector<std::int64_t>{1, -2, 3}));
    QCOMPARE(file->get_array("test.array.i32").element_type(), GgufType::i32);
    QCOMPARE(file->get_array("test.array.u16").element_type(), GgufType::u16);
    QCOMPARE(file->get_int_array("test.array.u16"), (std::vector<std::int64_t>{1, 2, 65535}));
    QCOMPARE(file->get_f32_array("test.array.f32"), (std::vector<float>{0.5f, -1.25f}));
    QCOMPARE(file->get_string_array("test.array.string"), (std::vector<std::string>{"a", "", "ü"}));
    QCOMPARE(*file->get_array("test.array.bool").get_if<bool>(), (std::vector<bool>{true, false, true}));

    const GgufArray& nested = file->get_array("test.array.nested");
    QCOMPARE(nested.element_type(), GgufType::array);
    const auto& inner = *nested.get_if<GgufArray>();
    QCOMPARE(inner.size(), std::size_t{2});
    QCOMPARE(*inner[0].get_if<std::int32_t>(), (std::vector<std::int32_t>{1, 2}));
    QCOMPARE(*inner[1].get_if<std::int32_t>(), (std::vector<std::int32_t>{3}));
    QCOMPARE(file->get("test.array.nested").type_description(), std::string("ARRAY[ARRAY[INT32]]"));
    const auto& strings = *file->get_array("test.array.nested_strings").get_if<GgufArray>();
    QCOMPARE(*strings[0].get_if<std::string>(), (std::vector<std::string>{"x", "y"}));
    QCOMPARE(*strings[1].get_if<std::string>(), (std::vector<std::string>{"z"}));
  }

  void readsTensorsInPyTorchOrder() {
    const auto file = pythonFile();
    QCOMPARE(file->tensors().size(), std::size_t{3});
    const auto* f32 = file->find("tensor.f32");
    QCOMPARE(f32->dtype, DType::f32);
    QCOMPARE(f32->shape, (std::vector<std::int64_t>{2, 3}));
    QCOMPARE(f32->size_bytes, std::uint64_t{24});
    QCOMPARE(f32->file_offset, file->data_offset());
    for (int i = 0; i < 6; ++i) {
      float v;
      std::memcpy(&v, f32->data + 4 * i, 4);
      QCOMPARE(v, 0.5f * static_cast<float>(i));
    }
    const auto* f16 = file->find("tensor.f16");
    QCOMPARE(f16->dtype, DType::f16);
    QCOMPARE(f16->shape, (std::vector<std::int64_t>{4}));
    QCOMPARE(f16->file_offset, file->data_offset() + 64);  // the 24-byte F32 tensor padded to 64
    QCOMPARE(linea::io::load_le<std::uint16_t>(f16->data + 6), std::uint16_t{0x7BFF});  // 65504
    const auto* i32 = file->find("tensor.i32");
    QCOMPARE(i32->dtype, DType::i32);
    QCOMPARE(i32->shape, (std::vector<std::int64_t>{3, 1, 2}));
    QCOMPARE(linea::io::load_le<std::int32_t>(i32->data), -3);
    QCOMPARE(linea::io::load_le<std::int32_t>(i32->data + 20), 2);
    QCOMPARE(file->ggml_type(2), std::uint32_t{26});
    QCOMPARE(file->find("absent"), nullptr);
  }

  void accessorsNameKeyAndType() {
    const auto file = pythonFile();
    expectError([&] { file->get_string("general.name"); }, "metadata key 'general.name' is missing");
    expectError([&] { file->get_string("test.i32"); }, "metadata key 'test.i32' is INT32, expected STRING");
    expectError([&] { file->get_u32("test.u64"); }, "metadata key 'test.u64' is UINT64, expected UINT32");
    expectError([&] { file->get_int("test.u64"); },
                "metadata key 'test.u64' = 9223372036854775813 does not fit an int64");
    expectError([&] { file->get_int("test.f32"); }, "metadata key 'test.f32' is FLOAT32, expected an integer");
    expectError([&] { file->get_float("test.string"); }, "is STRING, expected FLOAT32 or FLOAT64");
    expectError([&] { file->get_bool("test.u8"); }, "is UINT8, expected BOOL");
    expectError([&] { file->get_string_array("test.array.i32"); }, "is ARRAY[INT32], expected ARRAY[STRING]");
    expectError([&] { file->get_f32_array("test.string"); }, "is STRING, expected ARRAY[FLOAT32]");
    expectError([&] { file->get_int_array("test.array.f32"); }, "is ARRAY[FLOAT32], expected an ARRAY of integers");
    expectError([&] { file->get_array("test.bool"); }, "is BOOL, expected ARRAY");
  }
};

QTEST_APPLESS_MAIN(TestGgufReader)
#include "test_gguf_reader.moc"
