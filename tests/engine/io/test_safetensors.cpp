// SafetensorsFile and SafetensorsCheckpoint on valid files: a file written by the Python
// safetensors package (tests/data/io), files built here, and sharded checkpoints with their errors.
#include "engine/io/format_error.h"
#include "engine/io/safetensors.h"
#include "tests/engine/io/io_test_files.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using linea::DType;
using linea::io::FormatError;
using linea::io::SafetensorsCheckpoint;
using linea::io::SafetensorsFile;
using linea::test::Bytes;

namespace {

std::vector<std::int64_t> shape(std::initializer_list<std::int64_t> dims) { return dims; }

template <typename T>
T element(const linea::io::TensorInfo& tensor, std::size_t index) {
  T value;
  std::memcpy(&value, tensor.data + index * sizeof(T), sizeof(T));
  return value;
}

// One little shard holding float32 tensors named `names`, each of `count` elements valued by `base`.
Bytes shardBytes(const std::vector<std::string>& names, int count, float base) {
  std::string header = "{";
  Bytes buffer;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::size_t begin = buffer.size();
    for (int k = 0; k < count; ++k) {
      const float v = base + static_cast<float>(i * 100 + k);
      const auto* p = reinterpret_cast<const std::byte*>(&v);
      buffer.insert(buffer.end(), p, p + 4);
    }
    header += (i ? "," : "") + std::string("\"") + names[i] + "\":{\"dtype\":\"F32\",\"shape\":[" +
              std::to_string(count) + "],\"data_offsets\":[" + std::to_string(begin) + "," +
              std::to_string(buffer.size()) + "]}";
  }
  header += "}";
  return linea::test::safetensorsBytes(header, buffer);
}

struct ShardedFolder {
  QTemporaryDir dir;
  std::filesystem::path path() const { return dir.path().toStdString(); }
  void write(const std::string& name, const Bytes& bytes) const { linea::test::writeBytes(path() / name, bytes); }
  void writeText(const std::string& name, const std::string& text) const {
    Bytes bytes(text.size());
    std::memcpy(bytes.data(), text.data(), text.size());
    write(name, bytes);
  }
};

// Two shards, three tensors, and an index that matches them.
void writeValidCheckpoint(const ShardedFolder& folder) {
  folder.write("model-00001-of-00002.safetensors", shardBytes({"a", "b"}, 4, 0.0f));
  folder.write("model-00002-of-00002.safetensors", shardBytes({"c"}, 2, 1000.0f));
  folder.writeText("model.safetensors.index.json", R"({"metadata": {"total_size": 40}, "weight_map": {
      "a": "model-00001-of-00002.safetensors", "b": "model-00001-of-00002.safetensors",
      "c": "model-00002-of-00002.safetensors"}})");
}

void expectCheckpointError(const ShardedFolder& folder, const std::string& expected) {
  try {
    SafetensorsCheckpoint::open(folder.path());
    QFAIL(("expected an error containing: " + expected).c_str());
  } catch (const FormatError& error) {
    QVERIFY2(std::string(error.what()).find(expected) != std::string::npos, error.what());
  }
}

}  // namespace

class TestSafetensors : public QObject {
  Q_OBJECT

 private slots:
  void readsTheFileThePythonPackageWrote() {
    const auto file = SafetensorsFile::open(linea::test::goldenPath("python_small.safetensors"));
    QCOMPARE(file->metadata().size(), std::size_t{2});
    QCOMPARE(file->metadata().at("format"), std::string("np"));
    QCOMPARE(file->metadata().at("note"), std::string("grüße"));
    QCOMPARE(file->tensors().size(), std::size_t{6});

    const auto* a = file->find("a.f32");
    QVERIFY(a != nullptr);
    QCOMPARE(a->dtype, DType::f32);
    QCOMPARE(a->shape, shape({2, 3}));
    QCOMPARE(a->size_bytes, std::uint64_t{24});
    for (int i = 0; i < 6; ++i) QCOMPARE(element<float>(*a, i), static_cast<float>(i));
    QCOMPARE(a->data, file->tensors().front().data - file->tensors().front().file_offset + a->file_offset);

    const auto* b = file->find("b.f16");
    QCOMPARE(b->dtype, DType::f16);
    QCOMPARE(element<std::uint16_t>(*b, 0), std::uint16_t{0x3E00});  // 1.5
    QCOMPARE(element<std::uint16_t>(*b, 1), std::uint16_t{0xC000});  // -2
    const auto* c = file->find("c.i64");
    QCOMPARE(c->dtype, DType::i64);
    QCOMPARE(c->shape, shape({2, 1}));
    QCOMPARE(element<std::int64_t>(*c, 1), std::int64_t{1} << 40);
    const auto* d = file->find("d.u8");
    QCOMPARE(d->dtype, DType::u8);
    QCOMPARE(d->shape, shape({0}));
    QCOMPARE(d->size_bytes, std::uint64_t{0});
    const auto* e = file->find("e.bool");
    QCOMPARE(e->dtype, DType::boolean);
    QCOMPARE(std::to_integer<int>(e->data[0]), 1);
    QCOMPARE(std::to_integer<int>(e->data[1]), 0);
    const auto* scalar = file->find("f.scalar");
    QVERIFY(scalar->shape.empty());
    QCOMPARE(scalar->element_count(), std::int64_t{1});
    QCOMPARE(element<float>(*scalar, 0), 3.25f);
    QCOMPARE(file->find("absent"), nullptr);

    // In file order: by data offset, and the offsets are absolute.
    std::uint64_t previous = 0;
    for (const auto& tensor : file->tensors()) {
      QVERIFY(tensor.file_offset >= previous);
      QVERIFY(tensor.file_offset >= 8 + file->header_bytes());
      QCOMPARE(tensor.file, linea::test::goldenPath("python_small.safetensors").string());
      previous = tensor.file_offset;
    }
  }

  void readsEveryDType() {
    const std::vector<std::pair<const char*, int>> dtypes = {
        {"BOOL", 1}, {"U8", 1},  {"I8", 1},  {"F8_E5M2", 1}, {"F8_E4M3", 1}, {"I16", 2}, {"U16", 2}, {"F16", 2},
        {"BF16", 2}, {"I32", 4}, {"U32", 4}, {"F32", 4},     {"F64", 8},     {"I64", 8}, {"U64", 8}};
    std::string header = "{\"__metadata__\":{\"format\":\"pt\"}";
    std::size_t offset = 0;
    for (const auto& [name, bytes] : dtypes) {
      header += std::string(",\"t_") + name + "\":{\"dtype\":\"" + name + "\",\"shape\":[3],\"data_offsets\":[" +
                std::to_string(offset) + "," + std::to_string(offset + 3 * bytes) + "]}";
      offset += 3 * bytes;
    }
    header += "}";
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("all.safetensors").toStdString();
    linea::test::writeBytes(path, linea::test::safetensorsBytes(header, linea::test::filled(offset)));
    const auto file = SafetensorsFile::open(path);
    QCOMPARE(file->tensors().size(), dtypes.size());
    for (const auto& [name, bytes] : dtypes) {
      const auto* tensor = file->find(std::string("t_") + name);
      QVERIFY(tensor != nullptr);
      QCOMPARE(std::string(linea::dtype_name(tensor->dtype)), std::string(name));
      QCOMPARE(tensor->size_bytes, std::uint64_t(3 * bytes));
    }
  }

  void readsAShardedCheckpoint() {
    ShardedFolder folder;
    writeValidCheckpoint(folder);
    for (const auto& path : {folder.path(), folder.path() / "model.safetensors.index.json"}) {
      const auto checkpoint = SafetensorsCheckpoint::open(path);
      QCOMPARE(checkpoint->shards().size(), std::size_t{2});
      QCOMPARE(checkpoint->tensors().size(), std::size_t{3});
      QCOMPARE(checkpoint->tensors()[0].name, std::string("a"));
      QCOMPARE(checkpoint->tensors()[2].name, std::string("c"));
      const auto* c = checkpoint->find("c");
      QVERIFY(c != nullptr);
      QCOMPARE(c->file, (folder.path() / "model-00002-of-00002.safetensors").string());
      QCOMPARE(element<float>(*c, 1), 1001.0f);
      QCOMPARE(checkpoint->find("b")->file, (folder.path() / "model-00001-of-00002.safetensors").string());
      QCOMPARE(element<float>(*checkpoint->find("b"), 3), 103.0f);
      QCOMPARE(checkpoint->index_metadata_json(), std::string(R"({"total_size":40})"));
      QCOMPARE(checkpoint->describe(), "sharded checkpoint " + folder.path().string() + " (2 files)");
      QCOMPARE(checkpoint->find("d"), nullptr);
    }
  }

  void shardedErrors_data() {
    QTest::addColumn<QString>("index");
    QTest::addColumn<QString>("expected");
    const QString a = "\"a\": \"model-00001-of-00002.safetensors\"";
    const QString b = "\"b\": \"model-00001-of-00002.safetensors\"";
    const QString c = "\"c\": \"model-00002-of-00002.safetensors\"";
    QTest::newRow("missing shard file")
        << QString("{\"weight_map\": {%1, %2, %3, \"z\": \"model-00003-of-00003.safetensors\"}}").arg(a, b, c)
        << "puts 1 tensors (e.g. 'z') in shard 'model-00003-of-00003.safetensors', but";
    QTest::newRow("index names a tensor its shard lacks")
        << QString("{\"weight_map\": {%1, %2, %3, \"x\": \"model-00002-of-00002.safetensors\"}}").arg(a, b, c)
        << "weight_map puts tensor 'x' in shard 'model-00002-of-00002.safetensors', which has no such tensor";
    QTest::newRow("shard holds a tensor the index lacks")
        << QString("{\"weight_map\": {%1, %2}}").arg(a, c) << "tensor 'b' is in this shard but not in the index";
    QTest::newRow("index puts a tensor in the other shard")
        << QString("{\"weight_map\": {%1, \"b\": \"model-00002-of-00002.safetensors\", %2}}").arg(a, c)
        << "puts it in 'model-00002-of-00002.safetensors' (a tensor must be in exactly one shard)";
    QTest::newRow("shard name with a path") << QString("{\"weight_map\": {\"a\": \"../x.safetensors\"}}")
                                            << "is \"../x.safetensors\", expected a file name in the index's folder";
    QTest::newRow("no weight_map") << QString("{\"metadata\": {}}") << "missing \"weight_map\"";
    QTest::newRow("empty weight_map") << QString("{\"weight_map\": {}}") << "\"weight_map\" is empty";
    QTest::newRow("weight_map not an object") << QString("{\"weight_map\": []}") << "\"weight_map\" is a JSON array";
    QTest::newRow("shard not a string") << QString("{\"weight_map\": {\"a\": 1}}")
                                        << "weight_map entry of tensor 'a' is the integer 1";
    QTest::newRow("duplicate tensor in the index")
        << QString("{\"weight_map\": {%1, %2, %3, %1}}").arg(a, b, c) << "duplicate key 'a' in object 'weight_map'";
    QTest::newRow("index is not JSON") << QString("{\"weight_map\": ") << "invalid JSON at line 1";
  }

  void shardedErrors() {
    QFETCH(QString, index);
    QFETCH(QString, expected);
    ShardedFolder folder;
    writeValidCheckpoint(folder);
    folder.writeText("model.safetensors.index.json", index.toStdString());
    expectCheckpointError(folder, expected.toStdString());
  }

  void tensorInTwoShardsIsAnError() {
    ShardedFolder folder;
    writeValidCheckpoint(folder);
    folder.write("model-00002-of-00002.safetensors", shardBytes({"a", "c"}, 2, 0.0f));
    expectCheckpointError(folder, "tensor 'a' is in this shard but the index");
  }

  void invalidShardNamesTheShard() {
    ShardedFolder folder;
    writeValidCheckpoint(folder);
    folder.write("model-00002-of-00002.safetensors", linea::test::filled(5));
    expectCheckpointError(folder, (folder.path() / "model-00002-of-00002.safetensors").string() +
                                      ": at byte 0: file is 5 bytes, too short");
  }
};

QTEST_APPLESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
