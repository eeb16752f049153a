#include "engine/runtime/model_fingerprint.h"

#include <QTest>

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using linea::DType;
using linea::io::TensorInfo;

namespace {

// A TensorSource over bytes held in memory: the interface's own contract, with no file behind it.
class InMemoryTensorSource : public linea::io::TensorSource {
 public:
  void add(std::string name, DType dtype, std::vector<std::int64_t> shape, std::vector<std::byte> bytes) {
    storage_.push_back(std::make_unique<std::vector<std::byte>>(std::move(bytes)));
    TensorInfo info;
    info.name = std::move(name);
    info.dtype = dtype;
    info.shape = std::move(shape);
    info.data = storage_.back()->data();
    info.size_bytes = storage_.back()->size();
    info.file = "memory";
    tensors_.push_back(std::move(info));
  }
  std::vector<std::byte>& bytes_of(std::size_t index) { return *storage_[index]; }
  std::vector<TensorInfo>& editable_tensors() { return tensors_; }

  const TensorInfo* find(std::string_view name) const override {
    for (const TensorInfo& tensor : tensors_)
      if (tensor.name == name) return &tensor;
    return nullptr;
  }
  const std::vector<TensorInfo>& tensors() const override { return tensors_; }
  std::string describe() const override { return "in-memory source (" + std::to_string(tensors_.size()) + " tensors)"; }

 private:
  std::vector<std::unique_ptr<std::vector<std::byte>>> storage_;  // stable addresses for TensorInfo::data
  std::vector<TensorInfo> tensors_;
};

std::vector<std::byte> content(std::size_t size, unsigned salt) {
  std::vector<std::byte> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::byte>((i * 2654435761u + salt) >> 13);
  return bytes;
}

constexpr std::size_t large_size = std::size_t{1} << 20;

// A small model: two plain tensors and one large enough to be sampled rather than hashed whole.
void fill(InMemoryTensorSource& source) {
  source.add("blocks.0.att.key.weight", DType::f32, {8, 16}, content(8 * 16 * 4, 1));
  source.add("emb.weight", DType::bf16, {256, 64}, content(256 * 64 * 2, 2));
  source.add("head.weight", DType::f32, {256, 1024}, content(large_size, 3));
}

std::string fingerprint_of(void (*edit)(InMemoryTensorSource&)) {
  InMemoryTensorSource source;
  fill(source);
  if (edit) edit(source);
  return linea::model_fingerprint(source);
}

// The byte stream model_fingerprint.h documents, built here independently of the implementation.
struct Stream {
  std::vector<unsigned char> bytes;
  void u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<unsigned char>(v >> (8 * i)));
  }
  void text(const std::string& s) {
    u64(s.size());
    bytes.insert(bytes.end(), s.begin(), s.end());
  }
  void raw(const std::byte* data, std::size_t size) {
    const auto* p = reinterpret_cast<const unsigned char*>(data);
    bytes.insert(bytes.end(), p, p + size);
  }
};

}  // namespace

using Edit = void (*)(InMemoryTensorSource&);
Q_DECLARE_METATYPE(Edit)

class TestModelFingerprint : public QObject {
  Q_OBJECT

 private slots:
  void isThirtyTwoHexDigits() {
    const std::string fingerprint = fingerprint_of(nullptr);
    QCOMPARE(fingerprint.size(), std::size_t{32});
    QVERIFY(std::all_of(fingerprint.begin(), fingerprint.end(),
                        [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }));
  }

  void isStable() {
    // Same content in separately allocated buffers: the same fingerprint (addresses do not matter).
    QCOMPARE(fingerprint_of(nullptr), fingerprint_of(nullptr));
  }

  void followsTheDocumentedStream() {
    InMemoryTensorSource source;
    fill(source);
    Stream stream;
    stream.text("linea model fingerprint v1");
    stream.u64(3);
    for (const TensorInfo& tensor : source.tensors()) {  // fill() adds them in name order already
      stream.text(tensor.name);
      stream.text(std::string(linea::dtype_name(tensor.dtype)));
      stream.u64(tensor.shape.size());
      for (std::int64_t d : tensor.shape) stream.u64(static_cast<std::uint64_t>(d));
      stream.u64(tensor.size_bytes);
      if (tensor.size_bytes <= 10 * 4096) {
        stream.raw(tensor.data, tensor.size_bytes);
      } else {
        for (std::uint64_t i = 0; i < 10; ++i) stream.raw(tensor.data + (tensor.size_bytes - 4096) * i / 9, 4096);
      }
    }
    const XXH128_hash_t hash = XXH3_128bits(stream.bytes.data(), stream.bytes.size());
    char expected[33];
    std::snprintf(expected, sizeof expected, "%016llx%016llx", static_cast<unsigned long long>(hash.high64),
                  static_cast<unsigned long long>(hash.low64));
    QCOMPARE(linea::model_fingerprint(source), std::string(expected));
  }

  void ignoresTensorOrder() {
    const std::string reference = fingerprint_of(nullptr);
    QCOMPARE(fingerprint_of([](InMemoryTensorSource& s) {
               std::reverse(s.editable_tensors().begin(), s.editable_tensors().end());
             }),
             reference);
  }

  void changesWithAnyDifference_data() {
    QTest::addColumn<Edit>("edit");
    QTest::newRow("a name") << Edit([](InMemoryTensorSource& s) { s.editable_tensors()[1].name = "emb.weight2"; });
    QTest::newRow("a dtype, same bytes") << Edit(
        [](InMemoryTensorSource& s) { s.editable_tensors()[1].dtype = DType::f16; });
    QTest::newRow("a shape, same bytes") << Edit([](InMemoryTensorSource& s) {
      s.editable_tensors()[0].shape = {16, 8};
    });
    QTest::newRow("a rank, same bytes") << Edit([](InMemoryTensorSource& s) {
      s.editable_tensors()[0].shape = {8, 16, 1};
    });
    QTest::newRow("a byte in the middle of a small tensor")
        << Edit([](InMemoryTensorSource& s) { s.bytes_of(1)[20000] ^= std::byte{1}; });
    QTest::newRow("the first byte of a large tensor")
        << Edit([](InMemoryTensorSource& s) { s.bytes_of(2)[0] ^= std::byte{1}; });
    QTest::newRow("the last byte of a large tensor")
        << Edit([](InMemoryTensorSource& s) { s.bytes_of(2)[large_size - 1] ^= std::byte{0x80}; });
    QTest::newRow("inside an inner window")  // window 4 starts at (2^20 - 4096) * 4 / 9
        << Edit([](InMemoryTensorSource& s) { s.bytes_of(2)[(large_size - 4096) * 4 / 9 + 100] ^= std::byte{4}; });
    QTest::newRow("every byte of a large tensor, as a fine-tune would") << Edit([](InMemoryTensorSource& s) {
      for (std::byte& b : s.bytes_of(2)) b ^= std::byte{0x01};
    });
    QTest::newRow("a tensor added") << Edit(
        [](InMemoryTensorSource& s) { s.add("extra", DType::f32, {1}, content(4, 9)); });
    QTest::newRow("an empty tensor added") << Edit([](InMemoryTensorSource& s) { s.add("bias", DType::f32, {0}, {}); });
    QTest::newRow("a tensor removed") << Edit([](InMemoryTensorSource& s) { s.editable_tensors().pop_back(); });
    QTest::newRow("names swapped") << Edit(
        [](InMemoryTensorSource& s) { std::swap(s.editable_tensors()[0].name, s.editable_tensors()[1].name); });
  }
  void changesWithAnyDifference() {
    QFETCH(Edit, edit);
    QVERIFY(fingerprint_of(edit) != fingerprint_of(nullptr));
  }

  // The documented price of sampling: a byte between the windows of a large tensor is not seen.
  void doesNotReadBetweenWindows() {
    const std::string reference = fingerprint_of(nullptr);
    QCOMPARE(fingerprint_of([](InMemoryTensorSource& s) { s.bytes_of(2)[50000] ^= std::byte{1}; }), reference);
  }

  void emptySourceHasAFingerprint() {
    InMemoryTensorSource empty;
    const std::string fingerprint = linea::model_fingerprint(empty);
    QCOMPARE(fingerprint.size(), std::size_t{32});
    QVERIFY(fingerprint != fingerprint_of(nullptr));
  }

  void tensorWithoutDataIsRejected() {
    InMemoryTensorSource source;
    fill(source);
    source.editable_tensors()[1].data = nullptr;
    try {
      linea::model_fingerprint(source);
      QFAIL("a tensor without data was hashed");
    } catch (const std::invalid_argument& error) {
      QCOMPARE(std::string(error.what()),
               std::string("in-memory source (3 tensors): tensor emb.weight has 32768 bytes but no data"));
    }
  }
};

QTEST_APPLESS_MAIN(TestModelFingerprint)
#include "test_model_fingerprint.moc"
