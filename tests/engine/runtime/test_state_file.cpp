#include "engine/core/atomic_file.h"
#include "engine/io/format_error.h"
#include "engine/runtime/state_file.h"

#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>
#include <xxhash.h>
#include <zstd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using linea::StateFile;

namespace {

const std::string fingerprint_a = "0123456789abcdef0123456789abcdef";
const std::string fingerprint_b = "fedcba9876543210fedcba9876543210";

std::vector<std::byte> pattern(std::size_t size, unsigned salt) {
  std::vector<std::byte> bytes(size);
  std::uint32_t x = 2463534242u ^ salt;
  for (std::size_t i = 0; i < size; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    // Like float32 values of one magnitude: a random low mantissa, few exponent and sign patterns,
    // so zstd has something (though not much) to squeeze.
    const unsigned byte = i % 4 == 3 ? (0x3e | (x >> 31) << 7) : i % 4 == 2 ? (0x80 | ((x >> 24) & 0x0f)) : x >> 24;
    bytes[i] = static_cast<std::byte>(byte);
  }
  return bytes;
}

StateFile sample_state(bool store_tokens = true) {
  StateFile state;
  state.header.architecture = "rwkv7";
  state.header.model_fingerprint = fingerprint_a;
  state.header.token_count = 5;
  if (store_tokens) state.header.tokens = {17, -1, 0, 65535, 2147483647};
  state.blobs.push_back({"layer0.att_kv", pattern(1000, 1)});
  state.blobs.push_back({"empty", {}});
  state.blobs.push_back({"layer1.att_kv", pattern(70000, 2)});
  return state;
}

std::vector<char> read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_all(const fs::path& path, const std::vector<char>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::uint64_t le64(const std::vector<char>& bytes, std::size_t at) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  return value;
}

std::uint32_t le32(const std::vector<char>& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  return value;
}

// The message of the io::FormatError that loading `file` throws ("" when it loads).
std::string load_error(const fs::path& file) {
  try {
    linea::load_state_file(file);
  } catch (const linea::io::FormatError& error) {
    if (error.file() != file.string()) return "error names the wrong file: " + error.file();
    if (std::string(error.what()).rfind(file.string() + ": ", 0) != 0) return "what() does not start with the file";
    return error.message();
  }
  return "";
}

std::string header_error(const fs::path& file) {
  try {
    linea::read_state_file_header(file);
  } catch (const linea::io::FormatError& error) {
    return error.message();
  }
  return "";
}

// Builds files byte by byte, with correct hashes unless told otherwise, to reach the checks that
// only a buggy or hostile writer could trip.
struct Section {
  std::vector<char> bytes;
  Section& u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<char>(v >> (8 * i)));
    return *this;
  }
  Section& u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>(v >> (8 * i)));
    return *this;
  }
  Section& text(const std::string& s) {
    u32(static_cast<std::uint32_t>(s.size()));
    bytes.insert(bytes.end(), s.begin(), s.end());
    return *this;
  }
};

struct CraftedFile {
  std::uint32_t version = 1;
  std::uint32_t flags = 0;
  Section section;
  std::vector<char> payload;
  std::optional<std::uint64_t> raw_size;  // defaults to the payload size
  std::optional<std::uint64_t> header_size;

  std::vector<char> build() const {
    Section prefix;
    prefix.bytes = {'L', 'I', 'N', 'E', 'A', 'S', 'T', 'F'};
    prefix.u32(version).u32(flags);
    prefix.u64(header_size.value_or(section.bytes.size())).u64(payload.size()).u64(raw_size.value_or(payload.size()));
    prefix.u64(XXH3_64bits(payload.data(), payload.size())).u64(0);
    std::vector<char> hashed = prefix.bytes;
    hashed.insert(hashed.end(), section.bytes.begin(), section.bytes.end());
    prefix.u64(XXH3_64bits(hashed.data(), hashed.size()));
    std::vector<char> file = prefix.bytes;
    file.insert(file.end(), section.bytes.begin(), section.bytes.end());
    file.insert(file.end(), payload.begin(), payload.end());
    return file;
  }
};

Section valid_section_start() {
  Section s;
  s.text("rwkv7").text(fingerprint_a).u64(0).u64(0);
  return s;
}

// A valid zstd frame of 100 bytes, under a blob table that claims `claimed` bytes.
std::vector<char> zstd_file_claiming(std::uint64_t claimed) {
  CraftedFile f;
  f.flags = 1;
  f.section = valid_section_start();
  f.section.u32(1).text("kv").u64(claimed);
  const std::vector<char> raw(100, 'r');
  f.payload.resize(ZSTD_compressBound(raw.size()));
  f.payload.resize(ZSTD_compress(f.payload.data(), f.payload.size(), raw.data(), raw.size(), 1));
  f.raw_size = claimed;
  return f.build();
}

using Craft = std::vector<char> (*)();

}  // namespace

Q_DECLARE_METATYPE(Craft)

class TestStateFile : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QVERIFY(directory_.isValid()); }

  void roundTrip_data() {
    QTest::addColumn<bool>("compress");
    QTest::addColumn<bool>("storeTokens");
    QTest::newRow("raw, tokens") << false << true;
    QTest::newRow("raw, no tokens") << false << false;
    QTest::newRow("zstd, tokens") << true << true;
    QTest::newRow("zstd, no tokens") << true << false;
  }
  void roundTrip() {
    QFETCH(bool, compress);
    QFETCH(bool, storeTokens);
    const StateFile state = sample_state(storeTokens);
    const fs::path file = path("round-trip.lstate");
    linea::save_state_file(file, state, {.compress = compress});

    const StateFile loaded = linea::load_state_file(file);
    QCOMPARE(loaded.header.architecture, state.header.architecture);
    QCOMPARE(loaded.header.model_fingerprint, state.header.model_fingerprint);
    QCOMPARE(loaded.header.token_count, state.header.token_count);
    QCOMPARE(loaded.header.tokens, state.header.tokens);
    QCOMPARE(loaded.blobs.size(), state.blobs.size());
    for (std::size_t i = 0; i < state.blobs.size(); ++i) {
      QCOMPARE(loaded.blobs[i].name, state.blobs[i].name);
      QVERIFY(loaded.blobs[i].bytes == state.blobs[i].bytes);
    }
    const linea::StateFileHeader header = linea::read_state_file_header(file);
    QCOMPARE(header.architecture, state.header.architecture);
    QCOMPARE(header.tokens, state.header.tokens);

    const std::vector<char> bytes = read_all(file);
    QCOMPARE(le32(bytes, 12), compress ? 1u : 0u);
    if (compress) QVERIFY(le64(bytes, 24) < le64(bytes, 32));  // this payload does compress
  }

  // The documented layout, checked field by field on a file written by save_state_file.
  void layoutIsAsDocumented() {
    const StateFile state = sample_state();
    const fs::path file = path("layout.lstate");
    linea::save_state_file(file, state);
    const std::vector<char> bytes = read_all(file);

    QCOMPARE(std::string(bytes.data(), 8), std::string("LINEASTF"));
    QCOMPARE(le32(bytes, 8), 1u);
    QCOMPARE(le32(bytes, 12), 0u);
    const std::uint64_t header_size = le64(bytes, 16);
    const std::uint64_t expected_header =
        4 + 5 + 4 + 32 + 8 + 8 + 5 * 4 + 4 + (4 + 13 + 8) + (4 + 5 + 8) + (4 + 13 + 8);
    QCOMPARE(header_size, expected_header);
    QCOMPARE(le64(bytes, 24), std::uint64_t{71000});
    QCOMPARE(le64(bytes, 32), std::uint64_t{71000});
    QCOMPARE(le64(bytes, 48), std::uint64_t{0});
    QCOMPARE(static_cast<std::uint64_t>(bytes.size()), 64 + header_size + 71000);
    QCOMPARE(le64(bytes, 40), XXH3_64bits(bytes.data() + 64 + header_size, 71000));
    std::vector<char> hashed(bytes.begin(), bytes.begin() + 56);
    hashed.insert(hashed.end(), bytes.begin() + 64, bytes.begin() + 64 + static_cast<std::ptrdiff_t>(header_size));
    QCOMPARE(le64(bytes, 56), XXH3_64bits(hashed.data(), hashed.size()));
    QCOMPARE(le32(bytes, 64), 5u);
    QCOMPARE(std::string(bytes.data() + 68, 5), std::string("rwkv7"));
    QCOMPARE(le64(bytes, 64 + 4 + 5 + 4 + 32), std::uint64_t{5});                        // token count
    QCOMPARE(static_cast<std::int32_t>(le32(bytes, 64 + 4 + 5 + 4 + 32 + 16 + 4)), -1);  // second token
    // The first blob's bytes open the payload.
    QVERIFY(std::memcmp(bytes.data() + 64 + header_size, state.blobs[0].bytes.data(), 1000) == 0);
  }

  void largeBlobsStream_data() {
    QTest::addColumn<bool>("compress");
    QTest::newRow("raw") << false;
    QTest::newRow("zstd") << true;
  }
  void largeBlobsStream() {
    QFETCH(bool, compress);
    // Several MiB: crosses the writer's buffer and the loader's 1 MiB chunks, from callers' buffers.
    const std::vector<std::byte> first = pattern(5 << 20, 3);
    const std::vector<std::byte> second = pattern((3 << 20) + 11, 4);
    linea::StateFileHeader header;
    header.architecture = "minimax";
    header.model_fingerprint = fingerprint_b;
    header.token_count = 123456;
    const std::vector<linea::StateBlobView> views{{"first", first}, {"second", second}};
    const fs::path file = path("large.lstate");
    linea::save_state_file(file, header, views, {.compress = compress, .zstd_level = 1});
    const StateFile loaded = linea::load_state_file(file);
    QCOMPARE(loaded.header.token_count, std::uint64_t{123456});
    QVERIFY(loaded.header.tokens.empty());
    QCOMPARE(loaded.blobs.size(), std::size_t{2});
    QVERIFY(loaded.blobs[0].bytes == first);
    QVERIFY(loaded.blobs[1].bytes == second);
  }

  void truncatedAtManyPoints_data() {
    QTest::addColumn<bool>("compress");
    QTest::newRow("raw") << false;
    QTest::newRow("zstd") << true;
  }
  void truncatedAtManyPoints() {
    QFETCH(bool, compress);
    const fs::path whole = path("whole.lstate");
    linea::save_state_file(whole, sample_state(), {.compress = compress});
    const std::vector<char> bytes = read_all(whole);
    const fs::path file = path("truncated.lstate");

    // Every cut inside the prefix and header section, then every 997th byte, then the last byte.
    const std::size_t header_end = 64 + le64(bytes, 16);
    std::vector<std::size_t> cuts;
    for (std::size_t cut = 0; cut < header_end + 16; ++cut) cuts.push_back(cut);
    for (std::size_t cut = header_end + 16; cut < bytes.size(); cut += 997) cuts.push_back(cut);
    cuts.push_back(bytes.size() - 1);

    for (std::size_t cut : cuts) {
      write_all(file, std::vector<char>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut)));
      const std::size_t expected_size = cut < 64 ? 64 : bytes.size();
      const std::string expected =
          "truncated: expected " + std::to_string(expected_size) + " bytes, found " + std::to_string(cut);
      QCOMPARE(load_error(file), expected);
      QCOMPARE(header_error(file), expected);  // the cheap read also sees the file is short
    }
  }

  void flippedHeaderByteIsDetected() {
    const fs::path good = path("good.lstate");
    linea::save_state_file(good, sample_state(), {});
    const std::vector<char> bytes = read_all(good);
    const std::size_t header_end = 64 + le64(bytes, 16);
    const fs::path file = path("flipped.lstate");
    // Fields after the sizes (payload size, raw size, hashes, reserved) and the whole header section
    // are covered by the header hash; the earlier fields have their own checks (below).
    for (std::size_t at = 24; at < header_end; ++at) {
      std::vector<char> copy = bytes;
      copy[at] = static_cast<char>(copy[at] ^ 0x10);
      write_all(file, copy);
      const std::string message = load_error(file);
      QVERIFY2(message.rfind("header checksum mismatch: the header is corrupted (stored XXH3-64 ", 0) == 0,
               qPrintable(QString("byte %1: %2").arg(at).arg(QString::fromStdString(message))));
      QCOMPARE(header_error(file), message);
    }
  }

  void flippedPrefixFieldIsDetected_data() {
    QTest::addColumn<int>("at");
    QTest::addColumn<int>("mask");
    QTest::addColumn<QString>("expected");
    QTest::newRow("magic") << 3 << 0x10 << "not a Linea state file (it does not start with \"LINEASTF\")";
    QTest::newRow("version") << 8 << 0x10
                             << "unsupported state file format version 17 (this build reads version 1; the file was "
                                "made by a newer Linea)";
    QTest::newRow("unknown flag") << 13 << 0x10
                                  << "unknown flags 0x00001000 (this build knows only bit 0, zstd payload)";
    QTest::newRow("zstd flag") << 12 << 0x01 << "header checksum mismatch";
    QTest::newRow("header size shrinks") << 16 << 0x10 << "header checksum mismatch";
    QTest::newRow("header size grows within the file") << 17 << 0x10 << "header checksum mismatch";
    QTest::newRow("header size grows past the end") << 19 << 0x10 << "truncated: expected 268";
    QTest::newRow("header size absurd") << 22 << 0x10 << "header size 4503599627370";
  }
  void flippedPrefixFieldIsDetected() {
    QFETCH(int, at);
    QFETCH(int, mask);
    QFETCH(QString, expected);
    const fs::path good = path("good-prefix.lstate");
    linea::save_state_file(good, sample_state(), {});
    std::vector<char> bytes = read_all(good);
    bytes[static_cast<std::size_t>(at)] = static_cast<char>(bytes[static_cast<std::size_t>(at)] ^ mask);
    const fs::path file = path("flipped-prefix.lstate");
    write_all(file, bytes);
    const QString message = QString::fromStdString(load_error(file));
    QVERIFY2(message.startsWith(expected), qPrintable(message));
    if (at == 22) QVERIFY2(message.endsWith(" is absurd (limit 1073741824)"), qPrintable(message));
  }

  void flippedPayloadByteIsDetected_data() {
    QTest::addColumn<bool>("compress");
    QTest::addColumn<double>("position");  // fraction of the payload
    for (bool compress : {false, true})
      for (double position : {0.0, 0.3, 0.999999})
        QTest::newRow(qPrintable(QString("%1 at %2").arg(compress ? "zstd" : "raw").arg(position)))
            << compress << position;
  }
  void flippedPayloadByteIsDetected() {
    QFETCH(bool, compress);
    QFETCH(double, position);
    const fs::path good = path("good-payload.lstate");
    linea::save_state_file(good, sample_state(), {.compress = compress});
    std::vector<char> bytes = read_all(good);
    const std::size_t payload_start = 64 + le64(bytes, 16);
    const std::size_t payload_size = le64(bytes, 24);
    const std::size_t at = payload_start + static_cast<std::size_t>(position * static_cast<double>(payload_size));
    bytes[at] = static_cast<char>(bytes[at] ^ 0x01);
    const fs::path file = path("flipped-payload.lstate");
    write_all(file, bytes);
    const std::string message = load_error(file);
    QVERIFY2(message.rfind("payload checksum mismatch: the saved state is corrupted (stored XXH3-64 ", 0) == 0,
             message.c_str());
    // Reading the header alone does not look at the payload, so it still succeeds.
    QCOMPARE(linea::read_state_file_header(file).model_fingerprint, fingerprint_a);
  }

  void notAStateFile_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    const QString not_ours = "not a Linea state file (it does not start with \"LINEASTF\")";
    QTest::newRow("zip") << QByteArray("PK\x03\x04", 4) +
                                QByteArray(" and more bytes after the zip signature, past 64 in all..........")
                         << not_ours;
    QTest::newRow("text") << QByteArray("hello") << not_ours;
    QTest::newRow("gguf") << QByteArray("GGUF\x03\x00\x00\x00", 8) << not_ours;
    QTest::newRow("empty") << QByteArray() << "truncated: expected 64 bytes, found 0";
    QTest::newRow("magic only") << QByteArray("LINEASTF") << "truncated: expected 64 bytes, found 8";
  }
  void notAStateFile() {
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    const fs::path file = path("foreign.bin");
    write_all(file, std::vector<char>(content.begin(), content.end()));
    QCOMPARE(QString::fromStdString(load_error(file)), expected);
  }

  void futureVersionIsRefused() {
    CraftedFile crafted;
    crafted.version = 2;
    crafted.section = valid_section_start();
    crafted.section.u32(0);
    const fs::path file = path("future.lstate");
    write_all(file, crafted.build());
    QCOMPARE(load_error(file),
             std::string("unsupported state file format version 2 (this build reads version 1; the file was made by a "
                         "newer Linea)"));
    crafted.version = 0;
    write_all(file, crafted.build());
    QCOMPARE(load_error(file), std::string("unsupported state file format version 0 (this build reads version 1)"));
    crafted.version = 1;  // the same file at the right version is fine: the version was the only fault
    write_all(file, crafted.build());
    QCOMPARE(load_error(file), std::string());
  }

  void absurdOrInconsistentHeaderIsRefused_data() {
    QTest::addColumn<Craft>("craft");
    QTest::addColumn<QString>("expected");
    QTest::newRow("architecture too long") << Craft([] {
      CraftedFile f;
      f.section.text(std::string(100000, 'x')).text(fingerprint_a).u64(0).u64(0).u32(0);
      return f.build();
    }) << "architecture name is 100000 bytes long, more than the limit of 256 (absurd length)";
    QTest::newRow("blob count") << Craft([] {
      CraftedFile f;
      f.section = valid_section_start();
      f.section.u32(1000000);
      return f.build();
    }) << "blob count 1000000 is absurd (limit 65536)";
    QTest::newRow("blob larger than payload") << Craft([] {
      CraftedFile f;
      f.section = valid_section_start();
      f.section.u32(1).text("kv").u64(11);
      f.payload.assign(10, 'p');
      return f.build();
    }) << "blob \"kv\" is 11 bytes, more than the 10 bytes of payload left for it";
    QTest::newRow("blobs short of payload") << Craft([] {
      CraftedFile f;
      f.section = valid_section_start();
      f.section.u32(1).text("kv").u64(9);
      f.payload.assign(10, 'p');
      return f.build();
    }) << "the blobs add up to 9 bytes, but the payload raw size is 10";
    QTest::newRow("tokens but not all") << Craft([] {
      CraftedFile f;
      f.section.text("rwkv7").text(fingerprint_a).u64(3).u64(2).u32(1).u32(2).u32(0);
      return f.build();
    }) << "stores 2 tokens, expected 0 or the token count 3";
    QTest::newRow("token count beyond the section") << Craft([] {
      CraftedFile f;
      f.section.text("rwkv7").text(fingerprint_a).u64(1000).u64(1000).u32(7).u32(0);
      return f.build();
    }) << "stored token count 1000 does not fit in the header section";
    QTest::newRow("trailing header bytes") << Craft([] {
      CraftedFile f;
      f.section = valid_section_start();
      f.section.u32(0).u32(0);
      f.section.bytes.pop_back();
      return f.build();
    }) << "3 unexpected bytes at the end of the header section";
    QTest::newRow("section ends inside a field") << Craft([] {
      CraftedFile f;
      f.section = valid_section_start();
      f.section.u32(1).text("kv").u32(0);
      return f.build();
    }) << "blob size needs 8 bytes but the header section has only 4 left";
    QTest::newRow("raw size differs from stored") << Craft([] {
      CraftedFile f;
      f.section = valid_section_start();
      f.section.u32(1).text("kv").u64(12);
      f.payload.assign(10, 'p');
      f.raw_size = 12;
      return f.build();
    }) << "uncompressed payload: raw size 12 differs from stored size 10";
    QTest::newRow("bytes after the payload") << Craft([] {
      CraftedFile f;
      f.section = valid_section_start();
      f.section.u32(0);
      std::vector<char> bytes = f.build();
      bytes.push_back('x');
      bytes.push_back('y');
      return bytes;
    }) << "expected 129 bytes, found 131: 2 unexpected bytes after the payload";
    QTest::newRow("zstd flag, not zstd") << Craft([] {
      CraftedFile f;
      f.flags = 1;
      f.section = valid_section_start();
      f.section.u32(1).text("kv").u64(100);
      f.payload.assign(40, 'z');
      f.raw_size = 100;
      return f.build();
    }) << "the payload does not decompress: ";
    QTest::newRow("zstd, shorter than the table") << Craft([] { return zstd_file_claiming(110); })
                                                  << "the payload decompresses to 100 bytes, the blob table says 110";
    QTest::newRow("zstd, longer than the table") << Craft([] { return zstd_file_claiming(90); })
                                                 << "the payload decompresses to more than the blob table's 90 bytes";
  }
  void absurdOrInconsistentHeaderIsRefused() {
    QFETCH(Craft, craft);
    QFETCH(QString, expected);
    const std::vector<char> bytes = craft();
    const fs::path file = path("crafted.lstate");
    write_all(file, bytes);
    const QString message = QString::fromStdString(load_error(file));
    QVERIFY2(message.startsWith(expected), qPrintable(message));
  }

  void foreignModelIsRefused() {
    const linea::StateFileHeader header = sample_state().header;
    linea::require_state_matches(header, "rwkv7", fingerprint_a, "/saves/book.lstate");  // same model: fine
    try {
      linea::require_state_matches(header, "rwkv7", fingerprint_b, "/saves/book.lstate");
      QFAIL("a state from another model was accepted");
    } catch (const linea::StateMismatchError& error) {
      QCOMPARE(std::string(error.what()), "state file /saves/book.lstate was made by model " + fingerprint_a +
                                              " (rwkv7), but the loaded model is " + fingerprint_b + " (rwkv7)");
    }
    QVERIFY_THROWS_EXCEPTION(linea::StateMismatchError,
                             linea::require_state_matches(header, "minimax", fingerprint_a, "/saves/book.lstate"));
  }

  void invalidHeaderIsNotSaved() {
    const fs::path file = path("kept.lstate");
    linea::save_state_file(file, sample_state(), {});
    const std::vector<char> before = read_all(file);

    StateFile bad = sample_state();
    bad.header.tokens.pop_back();  // 4 tokens for a count of 5
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, linea::save_state_file(file, bad, {}));
    bad = sample_state();
    bad.header.architecture = std::string(300, 'a');
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, linea::save_state_file(file, bad, {}));
    bad = sample_state();
    bad.blobs.back().name = std::string(2000, 'n');
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, linea::save_state_file(file, bad, {}));
    QVERIFY(read_all(file) == before);
    QVERIFY(leftovers().empty());
  }

  // A write that fails half-way (the file size limit stands in for a full disk) leaves the old file.
  void failedWriteLeavesOldFile() {
    const fs::path file = path("survivor.lstate");
    StateFile small = sample_state();
    small.blobs.resize(1);
    linea::save_state_file(file, small, {});
    const std::vector<char> before = read_all(file);

    rlimit original{};
    QCOMPARE(::getrlimit(RLIMIT_FSIZE, &original), 0);
    rlimit limited = original;
    limited.rlim_cur = 256 << 10;
    const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);  // get EFBIG instead of being killed
    QCOMPARE(::setrlimit(RLIMIT_FSIZE, &limited), 0);
    std::string message;
    try {
      StateFile big = sample_state();
      big.blobs.push_back({"big", pattern(1 << 20, 9)});
      linea::save_state_file(file, big, {});
    } catch (const linea::FileWriteError& error) {
      message = error.what();
    }
    ::setrlimit(RLIMIT_FSIZE, &original);
    std::signal(SIGXFSZ, previous_handler);

    QVERIFY2(message.rfind(file.string() + ": cannot write to temporary file ", 0) == 0, message.c_str());
    QVERIFY2(message.find(std::strerror(EFBIG)) != std::string::npos, message.c_str());
    QVERIFY(read_all(file) == before);
    QCOMPARE(linea::load_state_file(file).blobs.size(), std::size_t{1});
    QVERIFY(leftovers().empty());
  }

  void unreadableFileIsReported() {
    const fs::path missing = path("does-not-exist.lstate");
    try {
      linea::load_state_file(missing);
      QFAIL("a missing file loaded");
    } catch (const std::runtime_error& error) {
      QCOMPARE(std::string(error.what()), missing.string() + ": cannot open state file: " + std::strerror(ENOENT));
    }
    fs::create_directory(path("a-folder"));
    QCOMPARE(load_error(path("a-folder")), std::string("not a regular file"));
  }

 private:
  fs::path path(const std::string& name) const { return fs::path(directory_.path().toStdString()) / name; }

  // Temporary files a failed save might have left ("." + name + ".tmp-...").
  std::vector<std::string> leftovers() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(directory_.path().toStdString()))
      if (entry.path().filename().string().find(".tmp-") != std::string::npos)
        names.push_back(entry.path().filename().string());
    return names;
  }

  QTemporaryDir directory_;
};

QTEST_APPLESS_MAIN(TestStateFile)
#include "test_state_file.moc"
