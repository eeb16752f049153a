// open_weights / locate_weights: GGUF and safetensors files, sharded indexes, Hugging Face folders,
// and clear errors for anything else.
#include "engine/io/format_error.h"
#include "engine/io/gguf.h"
#include "engine/io/open_weights.h"
#include "engine/io/safetensors.h"
#include "tests/engine/io/io_test_files.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <system_error>

using linea::io::FormatError;
using linea::io::WeightsFormat;

namespace {

std::filesystem::path folderOf(const QTemporaryDir& dir) { return dir.path().toStdString(); }

void copyGolden(const char* name, const std::filesystem::path& to) {
  std::filesystem::copy_file(linea::test::goldenPath(name), to);
}

linea::test::Bytes text(const std::string& s) {
  linea::test::Bytes bytes(s.size());
  std::memcpy(bytes.data(), s.data(), s.size());
  return bytes;
}

void expectFormatError(const std::filesystem::path& path, const std::string& expected) {
  try {
    linea::io::open_weights(path);
    QFAIL(("expected an error containing: " + expected).c_str());
  } catch (const FormatError& error) {
    QVERIFY2(std::string(error.what()).find(expected) != std::string::npos, error.what());
  }
}

}  // namespace

class TestOpenWeights : public QObject {
  Q_OBJECT

 private slots:
  void opensAGgufFile() {
    const auto path = linea::test::goldenPath("python_metadata.gguf");
    QCOMPARE(linea::io::locate_weights(path).format, WeightsFormat::gguf);
    const auto weights = linea::io::open_weights(path);
    QVERIFY(dynamic_cast<const linea::io::GgufFile*>(weights.get()) != nullptr);
    QCOMPARE(weights->tensors().size(), std::size_t{3});
    QCOMPARE(weights->describe(), path.string());
  }

  void opensASafetensorsFileWhateverItsName() {
    QTemporaryDir dir;
    const auto path = folderOf(dir) / "weights.bin";
    copyGolden("python_small.safetensors", path);
    const auto location = linea::io::locate_weights(path);
    QCOMPARE(location.format, WeightsFormat::safetensors);
    QCOMPARE(location.folder, folderOf(dir));
    QVERIFY(linea::io::open_weights(path)->find("a.f32") != nullptr);
  }

  void opensHuggingFaceFolders() {
    QTemporaryDir single;
    copyGolden("python_small.safetensors", folderOf(single) / "model.safetensors");
    linea::test::writeBytes(folderOf(single) / "config.json", text("{}"));
    const auto location = linea::io::locate_weights(folderOf(single));
    QCOMPARE(location.format, WeightsFormat::safetensors);
    QCOMPARE(location.file, folderOf(single) / "model.safetensors");
    QCOMPARE(linea::io::open_weights(folderOf(single))->tensors().size(), std::size_t{6});

    QTemporaryDir sharded;
    copyGolden("python_small.safetensors", folderOf(sharded) / "model-00001-of-00001.safetensors");
    linea::test::writeBytes(folderOf(sharded) / "model.safetensors.index.json",
                            text(R"({"weight_map": {"a.f32": "model-00001-of-00001.safetensors",
                                "b.f16": "model-00001-of-00001.safetensors", "c.i64": "model-00001-of-00001.safetensors",
                                "d.u8": "model-00001-of-00001.safetensors", "e.bool": "model-00001-of-00001.safetensors",
                                "f.scalar": "model-00001-of-00001.safetensors"}})"));
    QCOMPARE(linea::io::locate_weights(folderOf(sharded)).format, WeightsFormat::safetensors_sharded);
    const auto weights = linea::io::open_weights(folderOf(sharded));
    QVERIFY(dynamic_cast<const linea::io::SafetensorsCheckpoint*>(weights.get()) != nullptr);
    QCOMPARE(weights->tensors().size(), std::size_t{6});
    // The index file itself works too.
    QCOMPARE(linea::io::open_weights(folderOf(sharded) / "model.safetensors.index.json")->tensors().size(),
             std::size_t{6});

    QTemporaryDir gguf;
    copyGolden("python_metadata.gguf", folderOf(gguf) / "rwkv.gguf");
    QCOMPARE(linea::io::locate_weights(folderOf(gguf)).format, WeightsFormat::gguf);
  }

  void explainsWhatIsMissing() {
    QTemporaryDir empty;
    expectFormatError(folderOf(empty),
                      "no model weights here: expected model.safetensors.index.json, "
                      "model.safetensors or one *.gguf file");
    QTemporaryDir two;
    copyGolden("python_metadata.gguf", folderOf(two) / "a.gguf");
    copyGolden("python_metadata.gguf", folderOf(two) / "b.gguf");
    expectFormatError(folderOf(two), "the folder holds 2 GGUF files (a.gguf, b.gguf, ...): name the one to open");
    QTemporaryDir other;
    linea::test::writeBytes(folderOf(other) / "notes.txt", text("hello, world"));
    expectFormatError(folderOf(other) / "notes.txt", "not model weights: neither a GGUF file");
    QVERIFY_THROWS_EXCEPTION(std::system_error, linea::io::open_weights(folderOf(other) / "absent.gguf"));
  }

  void invalidContentsAreReportedByTheReader() {
    QTemporaryDir dir;
    linea::test::writeBytes(folderOf(dir) / "model.safetensors", text("short"));
    expectFormatError(folderOf(dir), "too short for the 8-byte header length");
  }
};

QTEST_APPLESS_MAIN(TestOpenWeights)
#include "test_open_weights.moc"
