// The malformed-input corpus for safetensors: every case is built here in memory, written to a
// temporary folder, and must fail with its own specific message (and never crash).
#include "engine/io/format_error.h"
#include "engine/io/safetensors.h"
#include "tests/engine/io/io_test_files.h"

#include <QTemporaryDir>
#include <QTest>

using linea::io::FormatError;
using linea::io::SafetensorsFile;
using linea::test::ByteBuilder;
using linea::test::Bytes;
using linea::test::safetensorsBytes;

Q_DECLARE_METATYPE(linea::test::Bytes)
Q_DECLARE_METATYPE(std::string)

namespace {

const std::string kValidHeader =
    R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"F16","shape":[4],"data_offsets":[16,24]}})";

Bytes validFile() { return safetensorsBytes(kValidHeader, linea::test::filled(24)); }

// A file with one tensor entry `entry` (JSON text for tensor "w") and `buffer_bytes` of data.
Bytes oneTensor(const std::string& entry, std::size_t buffer_bytes) {
  return safetensorsBytes("{\"w\":" + entry + "}", linea::test::filled(buffer_bytes));
}

using linea::test::Opened;

Opened openBytes(const Bytes& bytes) { return linea::test::openBytesWith<SafetensorsFile>(bytes, "case.safetensors"); }

}  // namespace

class TestMalformedSafetensors : public QObject {
  Q_OBJECT

 private slots:
  void theBaseFileIsValid() { QVERIFY(openBytes(validFile()).ok); }

  void rejectsWithItsOwnMessage_data() {
    QTest::addColumn<Bytes>("bytes");
    QTest::addColumn<std::string>("expected");
    const std::string f32 = R"("dtype":"F32")";

    QTest::newRow("empty file") << Bytes{} << std::string("file is 0 bytes, too short for the 8-byte header length");
    QTest::newRow("shorter than the length field")
        << linea::test::filled(5) << std::string("file is 5 bytes, too short for the 8-byte header length");
    QTest::newRow("header length over the limit")
        << ByteBuilder().u64(100'000'001).raw("{}").bytes()
        << std::string("header length 100000001 exceeds the safetensors limit of 100000000 bytes");
    QTest::newRow("header length past the end")
        << ByteBuilder().u64(1000).raw("{}").bytes()
        << std::string("header length 1000 runs past the end of the file (10 bytes, so at most 2 bytes of header)");
    QTest::newRow("header length of 2^64-1")
        << ByteBuilder().u64(~0ull).raw("{}").bytes() << std::string("header length 18446744073709551615 exceeds");
    QTest::newRow("invalid JSON") << safetensorsBytes("{\"w\": ", {})
                                  << std::string("invalid JSON at line 1, column 7: syntax error");
    QTest::newRow("invalid UTF-8 in a name")
        << safetensorsBytes("{\"w\xFF\":1}", {}) << std::string("ill-formed UTF-8");
    QTest::newRow("NUL padding after the JSON") << safetensorsBytes(std::string("{}\0\0", 4), {})
                                                << std::string("invalid JSON at line 1, column 3: a NUL byte");
    QTest::newRow("header is an array") << safetensorsBytes("[]", {})
                                        << std::string("the header is a JSON array, expected a JSON object");
    QTest::newRow("metadata not an object")
        << safetensorsBytes(R"({"__metadata__":"x"})", {})
        << std::string("__metadata__ is the string \"x\", expected an object of strings");
    QTest::newRow("metadata value not a string")
        << safetensorsBytes(R"({"__metadata__":{"n":1}})", {})
        << std::string("__metadata__ value of 'n' is the integer 1, expected a string");
    QTest::newRow("entry not an object") << oneTensor("3", 0)
                                         << std::string("tensor 'w': entry is the integer 3, expected an object");
    QTest::newRow("missing dtype") << oneTensor(R"({"shape":[1],"data_offsets":[0,4]})", 4)
                                   << std::string("tensor 'w': missing \"dtype\"");
    QTest::newRow("dtype not a string") << oneTensor(R"({"dtype":5,"shape":[1],"data_offsets":[0,4]})", 4)
                                        << std::string("tensor 'w': dtype is the integer 5, expected a string");
    QTest::newRow("unknown dtype") << oneTensor(R"({"dtype":"Q4_0","shape":[32],"data_offsets":[0,18]})", 18)
                                   << std::string("tensor 'w': unknown dtype \"Q4_0\" (safetensors dtypes: BOOL, U8,");
    QTest::newRow("missing shape") << oneTensor("{" + f32 + R"(,"data_offsets":[0,4]})", 4)
                                   << std::string("tensor 'w': missing \"shape\"");
    QTest::newRow("shape not an array") << oneTensor("{" + f32 + R"(,"shape":4,"data_offsets":[0,4]})", 4)
                                        << std::string("tensor 'w': shape is the integer 4, expected an array");
    QTest::newRow("negative dimension")
        << oneTensor("{" + f32 + R"(,"shape":[1,-2],"data_offsets":[0,4]})", 4)
        << std::string("tensor 'w': shape[1] is the negative integer -2, expected a non-negative integer");
    QTest::newRow("fractional dimension")
        << oneTensor("{" + f32 + R"(,"shape":[2.5],"data_offsets":[0,4]})", 4)
        << std::string("tensor 'w': shape[0] is the number 2.5, expected a non-negative integer");
    QTest::newRow("dimension above 2^63-1")
        << oneTensor("{" + f32 + R"(,"shape":[0,9223372036854775808],"data_offsets":[0,0]})", 0)
        << std::string("tensor 'w': shape[1] = 9223372036854775808 is larger than 2^63 - 1");
    QTest::newRow("shape product overflows 64 bits")
        << oneTensor("{" + f32 + R"(,"shape":[4294967296,4294967296],"data_offsets":[0,4]})", 4)
        << std::string("tensor 'w': shape [4294967296, 4294967296] has more elements than fit in 64 bits");
    QTest::newRow("a zero dimension beside dimensions that overflow")
        << oneTensor("{" + f32 + R"(,"shape":[4294967296,0,4294967296],"data_offsets":[0,0]})", 0)
        << std::string("tensor 'w': shape [4294967296, 0, 4294967296] has more elements than fit in 64 bits");
    QTest::newRow("byte size overflows 64 bits")
        << oneTensor("{" + f32 + R"(,"shape":[4611686018427387904],"data_offsets":[0,4]})", 4)
        << std::string("tensor 'w': shape [4611686018427387904] of F32 needs more bytes than fit in 64 bits");
    QTest::newRow("missing data_offsets")
        << oneTensor("{" + f32 + R"(,"shape":[1]})", 4) << std::string("tensor 'w': missing \"data_offsets\"");
    QTest::newRow("data_offsets of one number")
        << oneTensor("{" + f32 + R"(,"shape":[1],"data_offsets":[4]})", 4)
        << std::string("tensor 'w': data_offsets is a JSON array, expected [begin, end]");
    QTest::newRow("negative offset") << oneTensor("{" + f32 + R"(,"shape":[1],"data_offsets":[-4,0]})", 4)
                                     << std::string("tensor 'w': data_offsets begin is the negative integer -4");
    QTest::newRow("offsets end before they begin")
        << oneTensor("{" + f32 + R"(,"shape":[1],"data_offsets":[4,0]})", 4)
        << std::string("tensor 'w': data_offsets [4, 0] end before they begin");
    QTest::newRow("byte count does not match the shape")
        << oneTensor("{" + f32 + R"(,"shape":[2,2],"data_offsets":[0,12]})", 12)
        << std::string("tensor 'w': data_offsets [0, 12] hold 12 bytes, but shape [2, 2] of F32 needs 16 bytes");
    QTest::newRow("offsets past the buffer")
        << safetensorsBytes(kValidHeader, linea::test::filled(20))
        << std::string("tensor 'b': data_offsets end 24 is past the end of the data buffer (20 bytes");
    QTest::newRow("overlapping tensors")
        << safetensorsBytes(
               R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"F16","shape":[4],"data_offsets":[8,16]}})",
               linea::test::filled(16))
        << std::string("tensor 'b' (data offsets [8, 16]) overlaps tensor 'w', which ends at 16");
    QTest::newRow("gap between tensors")
        << safetensorsBytes(
               R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"F16","shape":[4],"data_offsets":[20,28]}})",
               linea::test::filled(28))
        << std::string(
               "gap of 4 bytes in the data buffer before tensor 'b' (data offsets 16 to 20 belong to no tensor)");
    QTest::newRow("first tensor not at offset 0") << oneTensor("{" + f32 + R"(,"shape":[1],"data_offsets":[4,8]})", 8)
                                                  << std::string("gap of 4 bytes in the data buffer before tensor 'w'");
    QTest::newRow("trailing bytes after the last tensor")
        << safetensorsBytes(kValidHeader, linea::test::filled(30))
        << std::string("the tensors end at data offset 24 but the data buffer is 30 bytes (6 trailing bytes");
    QTest::newRow("duplicate tensor name")
        << safetensorsBytes(
               R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
               linea::test::filled(8))
        << std::string("duplicate key 'w' in the top-level object");
    QTest::newRow("duplicate field in an entry")
        << oneTensor("{" + f32 + R"(,"shape":[1],"shape":[1],"data_offsets":[0,4]})", 4)
        << std::string("duplicate key 'shape' in object 'w'");
  }

  void rejectsWithItsOwnMessage() {
    QFETCH(Bytes, bytes);
    QFETCH(std::string, expected);
    const Opened result = openBytes(bytes);
    QVERIFY2(!result.ok, "a malformed file was accepted");
    QVERIFY2(result.message.find(expected) != std::string::npos, result.message.c_str());
  }

  void errorsGiveTheByteOffset() {
    // The tensor's entry in the header is located, and tiling errors point into the data buffer.
    const Opened size = openBytes(oneTensor(R"({"dtype":"F32","shape":[2],"data_offsets":[0,4]})", 4));
    QCOMPARE(size.offset.value(), std::uint64_t{9});  // the key "w" follows 8 length bytes and '{'
    const Opened trailing = openBytes(safetensorsBytes(kValidHeader, linea::test::filled(30)));
    QCOMPARE(trailing.offset.value(), 8 + kValidHeader.size() + 24);
  }

  // Cut the valid file at every byte: each prefix fails for the reason its length implies.
  void truncatedAtEveryByte() {
    const Bytes full = validFile();
    const std::size_t header_end = 8 + kValidHeader.size();
    for (std::size_t length = 0; length < full.size(); ++length) {
      const Opened result = openBytes(Bytes(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(length)));
      const char* expected = length < 8            ? "too short for the 8-byte header length"
                             : length < header_end ? "runs past the end of the file"
                                                   : "is past the end of the data buffer";
      if (result.ok || result.message.find(expected) == std::string::npos) {
        QFAIL(qPrintable(QString("cut at %1: expected '%2', got '%3'")
                             .arg(length)
                             .arg(expected)
                             .arg(QString::fromStdString(result.ok ? "accepted" : result.message))));
      }
    }
  }

  // Overwrite every byte with a few troublesome values: the reader may accept or reject the result,
  // but only ever with a FormatError (openBytes lets anything else escape and fail the test).
  void corruptedBytesNeverCrash() {
    const Bytes full = validFile();
    int rejected = 0;
    for (std::size_t i = 0; i < full.size(); ++i) {
      for (std::uint8_t value : {0x00, 0xFF, 0x22, 0x7B, 0x39, 0x2D}) {
        Bytes corrupt = full;
        corrupt[i] = std::byte{value};
        if (!openBytes(corrupt).ok) ++rejected;
      }
    }
    QVERIFY(rejected > static_cast<int>(full.size()));
  }
};

QTEST_APPLESS_MAIN(TestMalformedSafetensors)
#include "test_malformed_safetensors.moc"
