// The malformed-input corpus for GGUF: every case is built here field by field, written to a
// temporary folder, and must fail with its own specific message (and never crash).
#include "engine/io/format_error.h"
#include "engine/io/gguf.h"
#include "tests/engine/io/io_test_files.h"

#include <QTemporaryDir>
#include <QTest>

using linea::io::FormatError;
using linea::io::GgufFile;
using linea::test::ByteBuilder;
using linea::test::Bytes;

Q_DECLARE_METATYPE(linea::test::Bytes)
Q_DECLARE_METATYPE(std::string)

namespace {

constexpr std::uint32_t kString = 8, kArray = 9, kU32 = 4, kI32 = 5, kBool = 7;
constexpr std::uint32_t kF32 = 0, kQ4_0 = 2;

Bytes kvString(std::string_view key, std::string_view value) {
  return ByteBuilder().str(key).u32(kString).str(value).bytes();
}
Bytes kvU32(std::string_view key, std::uint32_t value) { return ByteBuilder().str(key).u32(kU32).u32(value).bytes(); }

Bytes info(std::string_view name, std::vector<std::uint64_t> ne, std::uint32_t type, std::uint64_t offset) {
  ByteBuilder b;
  b.str(name).u32(static_cast<std::uint32_t>(ne.size()));
  for (std::uint64_t d : ne) b.u64(d);
  return b.u32(type).u64(offset).bytes();
}

struct Layout {
  std::vector<Bytes> kvs = {kvString("general.architecture", "test")};
  std::vector<Bytes> infos = {info("w", {4, 2}, kF32, 0), info("v", {3}, kF32, 32)};
  std::size_t data_bytes = 44;  // "w" (32 bytes), then "v" (12 bytes) at the next multiple of 32
  std::uint32_t version = 3;
  std::uint32_t alignment = 32;
};

Bytes build(const Layout& layout) {
  ByteBuilder b;
  b.raw("GGUF").u32(layout.version).u64(layout.infos.size()).u64(layout.kvs.size());
  for (const Bytes& kv : layout.kvs) b.raw(kv);
  for (const Bytes& ti : layout.infos) b.raw(ti);
  b.pad_to(layout.alignment).raw(linea::test::filled(layout.data_bytes));
  return b.bytes();
}

Bytes valid() { return build(Layout{}); }

template <typename Change>
Bytes with(Change change) {
  Layout layout;
  change(layout);
  return build(layout);
}

// The header of a file with the given counts, and whatever follows.
Bytes counts(std::uint64_t tensors, std::uint64_t kvs, const Bytes& rest) {
  return ByteBuilder().raw("GGUF").u32(3).u64(tensors).u64(kvs).raw(rest).bytes();
}

using linea::test::Opened;

Opened openBytes(const Bytes& bytes) { return linea::test::openBytesWith<GgufFile>(bytes, "case.gguf"); }

}  // namespace

class TestMalformedGguf : public QObject {
  Q_OBJECT

 private slots:
  void theBaseFileIsValid() {
    QVERIFY(openBytes(valid()).ok);
    QVERIFY(openBytes(with([](Layout& l) {
              l.kvs.push_back(kvU32("general.alignment", 64));
              l.alignment = 64;
              l.infos[1] = info("v", {3}, kF32, 64);
              l.data_bytes = 76;
            })).ok);
  }

  void rejectsWithItsOwnMessage_data() {
    QTest::addColumn<Bytes>("bytes");
    QTest::addColumn<std::string>("expected");

    // Header.
    QTest::newRow("empty file") << Bytes{} << std::string("file is 0 bytes, too short for a GGUF header");
    QTest::newRow("wrong magic") << ByteBuilder().raw("GGML").u32(3).u64(0).u64(0).bytes()
                                 << std::string("not a GGUF file: the first 4 bytes are \"GGML\", expected \"GGUF\"");
    QTest::newRow("binary magic") << ByteBuilder().u32(0xFF00FE47).u32(3).u64(0).u64(0).bytes()
                                  << std::string("the first 4 bytes are \"G\\xFE\\x00\\xFF\", expected \"GGUF\"");
    QTest::newRow("version 1") << with([](Layout& l) { l.version = 1; })
                               << std::string("GGUF version 1 is not supported, re-convert with a current llama.cpp");
    QTest::newRow("version 2") << with([](Layout& l) { l.version = 2; })
                               << std::string("GGUF version 2 is not supported, re-convert with a current llama.cpp");
    QTest::newRow("version 4") << with([](Layout& l) { l.version = 4; })
                               << std::string("GGUF version 4 is not supported (Linea reads version 3)");
    QTest::newRow("big-endian") << with([](Layout& l) { l.version = 0x03000000; })
                                << std::string("this is a big-endian GGUF file");
    QTest::newRow("cut after the version")
        << ByteBuilder().raw("GGUF").u32(3).u32(0).bytes()
        << std::string("the tensor count needs 8 bytes, but the file ends after 4 more");
    QTest::newRow("metadata count huge") << counts(0, 1ull << 60, {})
                                         << std::string("metadata count 1152921504606846976 cannot fit in the 0 bytes");
    QTest::newRow("tensor count huge") << counts(1ull << 40, 0, linea::test::filled(64))
                                       << std::string("tensor count 1099511627776 cannot fit in the 64 bytes");

    // Metadata.
    QTest::newRow("key length past the end")
        << counts(0, 1, ByteBuilder().u64(1000000).raw("abcdefghijklm").bytes())
        << std::string("metadata key #0 has length 1000000, past the end of the file (13 bytes left)");
    QTest::newRow("invalid UTF-8 key") << counts(0, 1, ByteBuilder().str("a\xFF").u32(kU32).u32(1).u64(0).bytes())
                                       << std::string(
                                              "metadata key #0 is not valid UTF-8 (ill-formed byte 0xFF at index 1");
    QTest::newRow("invalid UTF-8 value") << with([](Layout& l) {
      l.kvs[0] = kvString("general.architecture", "t\xC3(");
    }) << std::string("the value of metadata key 'general.architecture' is not valid UTF-8");
    QTest::newRow("string value past the end")
        << counts(0, 1, ByteBuilder().str("k").u32(kString).u64(500).raw("abc").bytes())
        << std::string("the value of metadata key 'k' has length 500, past the end of the file (3 bytes left)");
    QTest::newRow("unknown value type") << counts(0, 1, ByteBuilder().str("k").u32(13).u64(0).bytes())
                                        << std::string("metadata key 'k' has unknown value type id 13");
    QTest::newRow("bool of value 2") << counts(0, 1, ByteBuilder().str("k").u32(kBool).u8(2).zeros(12).bytes())
                                     << std::string(
                                            "the value of metadata key 'k' is a BOOL of value 2, expected 0 or 1");
    QTest::newRow("array count huge")
        << counts(0, 1, ByteBuilder().str("a").u32(kArray).u32(kU32).u64(1000000000).u32(1).bytes())
        << std::string("metadata key 'a' declares an array of 1000000000 UINT32 elements, more than the 4 bytes left");
    QTest::newRow("array of unknown element type")
        << counts(0, 1, ByteBuilder().str("a").u32(kArray).u32(77).u64(0).bytes())
        << std::string("metadata key 'a' has an array of unknown element type id 77");
    QTest::newRow("string in an array past the end")
        << counts(0, 1, ByteBuilder().str("a").u32(kArray).u32(kString).u64(1).u64(99).raw("xy").bytes())
        << std::string("an element of the value of metadata key 'a' has length 99, past the end of the file");
    QTest::newRow("arrays nested 9 deep") << [] {
      ByteBuilder b;
      b.str("deep").u32(kArray);
      for (int level = 0; level < 9; ++level) b.u32(kArray).u64(1);
      b.u32(kU32).u64(0).zeros(64);
      return counts(0, 1, b.bytes());
    }() << std::string("metadata key 'deep' nests arrays deeper than 8 levels");
    QTest::newRow("duplicate key") << with([](Layout& l) { l.kvs.push_back(kvString("general.architecture", "x")); })
                                   << std::string("duplicate metadata key 'general.architecture'");
    QTest::newRow("alignment not UINT32")
        << with([](Layout& l) { l.kvs.push_back(ByteBuilder().str("general.alignment").u32(kI32).u32(32).bytes()); })
        << std::string("general.alignment is INT32, expected UINT32");
    QTest::newRow("alignment not a power of two")
        << with([](Layout& l) { l.kvs.push_back(kvU32("general.alignment", 48)); })
        << std::string("general.alignment is 48, expected a power of two that is a multiple of 8");
    QTest::newRow("alignment below 8") << with([](Layout& l) { l.kvs.push_back(kvU32("general.alignment", 4)); })
                                       << std::string("general.alignment is 4, expected a power of two");
    QTest::newRow("alignment zero") << with([](Layout& l) { l.kvs.push_back(kvU32("general.alignment", 0)); })
                                    << std::string("general.alignment is 0, expected a power of two");

    // Tensor infos.
    QTest::newRow("tensor name of 64 bytes") << with([](Layout& l) {
      l.infos[0] = info(std::string(64, 'n'), {4, 2}, kF32, 0);
    }) << std::string("is 64 bytes, longer than ggml's limit of 63");
    QTest::newRow("duplicate tensor name")
        << with([](Layout& l) { l.infos[1] = info("w", {3}, kF32, 32); }) << std::string("duplicate tensor name 'w'");
    QTest::newRow("invalid UTF-8 tensor name") << with([](Layout& l) { l.infos[1] = info("v\x80", {3}, kF32, 32); })
                                               << std::string("the name of tensor #1 is not valid UTF-8");
    QTest::newRow("n_dims 0") << with([](Layout& l) { l.infos[1] = info("v", {}, kF32, 32); })
                              << std::string("tensor 'v' has n_dims 0, expected 1 to 4");
    QTest::newRow("n_dims 5") << with([](Layout& l) {
      l.infos[1] = info("v", {3, 1, 1, 1, 1}, kF32, 32);
    }) << std::string("tensor 'v' has n_dims 5, expected 1 to 4");
    QTest::newRow("negative dimension") << with([](Layout& l) {
      l.infos[1] = info("v", {3, ~0ull}, kF32, 32);
    }) << std::string("tensor 'v' has ne[1] = 18446744073709551615, negative as ggml's int64");
    QTest::newRow("shape product overflows 64 bits") << with([](Layout& l) {
      l.infos[1] = info("v", {1ull << 32, 1ull << 32}, kF32, 32);
    }) << std::string("tensor 'v' has more elements than fit in 64 bits");
    QTest::newRow("a zero dimension beside dimensions that overflow") << with([](Layout& l) {
      l.infos[1] = info("v", {0, 1ull << 40, 1ull << 40}, kF32, 32);
    }) << std::string("tensor 'v' has more elements than fit in 64 bits");
    QTest::newRow("byte size overflows 64 bits")
        << with([](Layout& l) { l.infos[1] = info("v", {1ull << 62}, kF32, 32); })
        << std::string("tensor 'v' needs more bytes than fit in 64 bits");
    QTest::newRow("unsupported type IQ2_XXS")
        << with([](Layout& l) { l.infos[1] = info("v", {256}, 16, 32); })
        << std::string("tensor 'v' has type IQ2_XXS (16) which is not supported; supported types: F32, F16, Q4_0");
    QTest::newRow("unsupported type Q2_K") << with([](Layout& l) { l.infos[1] = info("v", {256}, 10, 32); })
                                           << std::string("tensor 'v' has type Q2_K (10) which is not supported");
    QTest::newRow("unknown type id") << with([](Layout& l) { l.infos[1] = info("v", {3}, 99, 32); })
                                     << std::string("tensor 'v' has unknown type id 99");
    QTest::newRow("ne[0] not whole blocks")
        << with([](Layout& l) { l.infos[1] = info("v", {16}, kQ4_0, 32); })
        << std::string("tensor 'v' has ne[0] = 16, not a multiple of the Q4_0 block size 32");

    // Data layout.
    QTest::newRow("misaligned data offset")
        << with([](Layout& l) { l.infos[1] = info("v", {3}, kF32, 36); })
        << std::string("tensor 'v' has data offset 36, not a multiple of the alignment 32");
    QTest::newRow("offset out of ggml's order") << with([](Layout& l) {
      l.infos[1] = info("v", {3}, kF32, 64);
      l.data_bytes = 76;
    })
                                                << std::string(
                                                       "tensor 'v' has data offset 64, expected 32 (tensors are stored "
                                                       "densely in info order, each padded to 32 bytes)");
    QTest::newRow("tensors swapped") << with([](Layout& l) {
      l.infos = {info("v", {3}, kF32, 32), info("w", {4, 2}, kF32, 0)};
    }) << std::string("tensor 'v' has data offset 32, expected 0");
    QTest::newRow("data past the end") << with([](Layout& l) { l.data_bytes = 40; })
                                       << std::string("tensor 'v' data (12 bytes at file offset");
  }

  void rejectsWithItsOwnMessage() {
    QFETCH(Bytes, bytes);
    QFETCH(std::string, expected);
    const Opened result = openBytes(bytes);
    QVERIFY2(!result.ok, "a malformed file was accepted");
    QVERIFY2(result.message.find(expected) != std::string::npos, result.message.c_str());
  }

  void errorsGiveTheByteOffset() {
    // The type field of tensor "v": header 24 + kv (8+20 + 4 + 8+4) + info "w" (8+1+4+16+4+8) + "v" name, dims.
    const Opened type = openBytes(with([](Layout& l) { l.infos[1] = info("v", {3}, 99, 32); }));
    QCOMPARE(type.offset.value(), std::uint64_t{24 + 44 + 41 + 9 + 4 + 8});
    const Opened version = openBytes(with([](Layout& l) { l.version = 2; }));
    QCOMPARE(version.offset.value(), std::uint64_t{4});
  }

  // Cut the valid file at every byte: each prefix fails because the file ended, never for another reason,
  // and the error points no further than where the file was cut.
  void truncatedAtEveryByte() {
    const Bytes full = valid();
    for (std::size_t length = 0; length < full.size(); ++length) {
      const Opened result = openBytes(Bytes(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(length)));
      const bool ran_out = !result.ok && (result.message.find("too short for a GGUF header") != std::string::npos ||
                                          result.message.find("but the file ends after") != std::string::npos ||
                                          result.message.find("past the end of the file") != std::string::npos ||
                                          result.message.find("cannot fit in the") != std::string::npos);
      if (!ran_out || result.offset.value_or(0) > length) {
        QFAIL(qPrintable(QString("cut at %1: got '%2' at %3")
                             .arg(length)
                             .arg(QString::fromStdString(result.ok ? "accepted" : result.message))
                             .arg(result.offset.value_or(0))));
      }
    }
  }

  // Overwrite every byte with a few troublesome values: accepted or rejected, but only ever with a
  // FormatError (anything else escapes openBytes and fails the test).
  void corruptedBytesNeverCrash() {
    const Bytes full = valid();
    int rejected = 0;
    for (std::size_t i = 0; i < full.size(); ++i) {
      for (std::uint8_t value : {0x00, 0x01, 0x09, 0x7F, 0x80, 0xFF}) {
        Bytes corrupt = full;
        corrupt[i] = std::byte{value};
        if (!openBytes(corrupt).ok) ++rejected;
      }
    }
    QVERIFY(rejected > static_cast<int>(full.size()));
  }
};

QTEST_APPLESS_MAIN(TestMalformedGguf)
#include "test_malformed_gguf.moc"
