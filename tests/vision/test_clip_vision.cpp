// The CLIP vision tower, the projector and the packing against transformers (goldens from
// tools/vision/make_goldens.py): tiny random checkpoints written by transformers, every hidden state
// and the pooled output within 1e-4 (fp32), and the whole image -> embeddings pipeline of LLaVA-NeXT
// and of the MiniMax-VL-01 layout.
#include "engine/cpu/thread_pool.h"
#include "engine/io/format_error.h"
#include "engine/io/open_weights.h"
#include "tests/vision/golden_file.h"
#include "tests/vision/synthetic_image.h"
#include "vision/clip_vision.h"
#include "vision/feature_packing.h"
#include "vision/vision_config.h"
#include "vision/vision_encoder.h"

#include <QFile>
#include <QJsonArray>
#include <QTest>

#include <cmath>

using namespace linea::vision;

namespace {

std::filesystem::path golden_dir(const QString& folder) {
  return linea::test::sourcePath(QStringLiteral("tests/data/vision/") + folder).toStdString();
}

// Worst |a - b| over two arrays of the same length (fails the test when the lengths differ).
double max_abs_difference(std::span<const float> got, std::span<const float> expected) {
  if (got.size() != expected.size()) return INFINITY;
  double worst = 0;
  for (std::size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::abs(double(got[i]) - expected[i]));
  return worst;
}

// A TensorSource over another that hides one tensor or reports another shape for it.
class EditedSource : public linea::io::TensorSource {
 public:
  EditedSource(const linea::io::TensorSource& base, std::string name, std::vector<std::int64_t> shape = {})
      : base_(base), name_(std::move(name)) {
    for (const auto& tensor : base.tensors()) {
      if (tensor.name != name_) {
        tensors_.push_back(tensor);
      } else if (!shape.empty()) {
        tensors_.push_back(tensor);
        tensors_.back().shape = shape;
      }
    }
  }
  const linea::io::TensorInfo* find(std::string_view name) const override {
    for (const auto& tensor : tensors_)
      if (tensor.name == name) return &tensor;
    return nullptr;
  }
  const std::vector<linea::io::TensorInfo>& tensors() const override { return tensors_; }
  std::string describe() const override { return "edited " + base_.describe(); }

 private:
  const linea::io::TensorSource& base_;
  std::string name_;
  std::vector<linea::io::TensorInfo> tensors_;
};

}  // namespace

class TestClipVision : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    golden_ = linea::test::load_vision_golden("encoder_goldens.json");
    QFile file(linea::test::sourcePath(QStringLiteral("tests/data/vision/") + golden_["values"].toString()));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    values_.resize(bytes.size() / sizeof(float));
    std::memcpy(values_.data(), bytes.data(), values_.size() * sizeof(float));
  }

  void clipHiddenStatesEqualTransformers_data() {
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("root");
    QTest::addColumn<int>("threads");
    QTest::newRow("f32 quick_gelu, transformers 5 names, 1 thread") << 0 << "" << 1;
    QTest::newRow("f32 quick_gelu, transformers 5 names, 2 threads") << 0 << "" << 2;
    QTest::newRow("bf16 gelu, vision_model. names") << 1 << "vision_model." << 2;
  }
  void clipHiddenStatesEqualTransformers() {
    QFETCH(int, index);
    QFETCH(QString, root);
    QFETCH(int, threads);
    const QJsonObject model = golden_["clip"].toArray()[index].toObject();
    const auto dir = golden_dir(model["folder"].toString());
    const VisionLanguageConfig config = read_vision_config(dir / "config.json");
    QCOMPARE(activation_name(config.vision.hidden_act), model["hidden_act"].toString().toStdString());
    const auto weights = linea::io::open_weights(dir);
    QCOMPARE(ClipVisionModel::find_root(*weights), root.toStdString());
    const ClipVisionModel tower(config.vision, *weights, ClipVisionModel::find_root(*weights));
    QVERIFY(tower.has_post_layernorm());
    linea::cpu::ThreadPool pool(threads);
    double worst = 0;
    for (const QJsonValue& value : model["cases"].toArray()) {
      const QJsonObject item = value.toObject();
      const int height = item["height"].toInt(), width = item["width"].toInt();
      const std::vector<float> pixels =
          linea::test::synthetic_pixels(3, height, width, static_cast<std::uint32_t>(item["seed"].toInt()));
      const QJsonArray states = item["hidden_states"].toArray();
      QCOMPARE(states.size(), config.vision.num_hidden_layers + 1);
      for (int layer = 0; layer < states.size(); ++layer) {
        const std::vector<float> got = tower.hidden_state(pixels, height, width, layer, pool);
        const double diff = max_abs_difference(got, expected(states[layer].toObject()));
        worst = std::max(worst, diff);
        QVERIFY2(
            diff <= 1e-4,
            qPrintable(
                QStringLiteral("%1x%2 hidden_states[%3]: max |diff| %4").arg(height).arg(width).arg(layer).arg(diff)));
      }
      // Negative indices count from the end, as in Python.
      QCOMPARE(tower.hidden_state(pixels, height, width, -1, pool),
               tower.hidden_state(pixels, height, width, config.vision.num_hidden_layers, pool));
      const double pooled = max_abs_difference(tower.pooled_output(pixels, height, width, pool),
                                               expected(item["pooled_output"].toObject()));
      QVERIFY2(pooled <= 1e-4, qPrintable(QStringLiteral("pooled: %1").arg(pooled)));
    }
    qInfo("largest difference from transformers: %.3g", worst);
  }

  // Image -> embeddings through preprocessing, tower, projector and packing, against transformers'
  // LlavaNextImageProcessorPil + LlavaNextModel.get_image_features (which packs with image_newline).
  void imageEmbeddingsEqualTransformers_data() {
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("featureLayer");
    QTest::addColumn<QString>("activation");
    QTest::newRow("llava-next (transformers 5 file)") << 0 << -2 << "quick_gelu";
    QTest::newRow("minimax-vl-01 layout and config") << 1 << -1 << "gelu";
  }
  void imageEmbeddingsEqualTransformers() {
    QFETCH(int, index);
    QFETCH(int, featureLayer);
    QFETCH(QString, activation);
    const QJsonObject model = golden_["llava"].toArray()[index].toObject();
    const auto encoder = VisionEncoder::open(golden_dir(model["folder"].toString()));
    // The config decides the feature layer and the tower's activation (for MiniMax-VL-01 by the
    // defaults chosen in vision_config.h, since its config.json leaves both out).
    QCOMPARE(encoder->config().vision_feature_layer, featureLayer);
    QCOMPARE(activation_name(encoder->config().vision.hidden_act), activation.toStdString());
    QCOMPARE(encoder->preprocess_config().tile_size, model["tile_size"].toInt());
    linea::cpu::ThreadPool pool(2);
    for (const QJsonValue& value : model["cases"].toArray()) {
      const QJsonObject item = value.toObject();
      const RgbImage image = linea::test::synthetic_image(item["height"].toInt(), item["width"].toInt(),
                                                          static_cast<std::uint32_t>(item["seed"].toInt()));
      const ImageEmbeddings result = encoder->encode(image, pool);
      QCOMPARE(result.geometry.token_count, item["tokens"].toInt());
      QCOMPARE(encoder->embedding_size(), item["embedding_size"].toInt());
      const double diff = max_abs_difference(result.embeddings, expected(item["embeddings"].toObject()));
      QVERIFY2(
          diff <= 1e-4,
          qPrintable(
              QStringLiteral("%1x%2: max |diff| %3").arg(item["height"].toInt()).arg(item["width"].toInt()).arg(diff)));
    }
  }

  void missingOrMisshapenTensorsAreNamed() {
    const auto dir = golden_dir(QStringLiteral("clip_tiny_quick_gelu"));
    const VisionLanguageConfig config = read_vision_config(dir / "config.json");
    const auto weights = linea::io::open_weights(dir);
    const EditedSource without(*weights, "encoder.layers.2.mlp.fc1.weight");
    try {
      ClipVisionModel tower(config.vision, without, "");
      QFAIL("no error");
    } catch (const linea::io::FormatError& error) {
      QVERIFY2(std::string(error.what()).ends_with("tensor 'encoder.layers.2.mlp.fc1.weight' is missing"),
               error.what());
    }
    const EditedSource misshapen(*weights, "encoder.layers.0.self_attn.q_proj.weight", {32, 31});
    try {
      ClipVisionModel tower(config.vision, misshapen, "");
      QFAIL("no error");
    } catch (const linea::io::FormatError& error) {
      QVERIFY2(std::string(error.what())
                       .find("tensor 'encoder.layers.0.self_attn.q_proj.weight' has shape [32, 31], "
                             "expected [32, 32]") != std::string::npos,
               error.what());
    }
    VisionLanguageConfig deeper = config;
    deeper.vision.num_hidden_layers = 2;  // the file has 3
    QVERIFY_THROWS_EXCEPTION(linea::io::FormatError, ClipVisionModel(deeper.vision, *weights, ""));
  }

  void badInputSizesAreRejected() {
    const auto dir = golden_dir(QStringLiteral("clip_tiny_quick_gelu"));
    const auto weights = linea::io::open_weights(dir);
    const ClipVisionModel tower(read_vision_config(dir / "config.json").vision, *weights, "");
    linea::cpu::ThreadPool pool(1);
    const std::vector<float> pixels(3 * 50 * 56);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tower.hidden_state(pixels, 50, 56, -1, pool));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tower.hidden_state(pixels, 56, 56, -1, pool));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             tower.hidden_state(std::vector<float>(3 * 56 * 56), 56, 56, 4, pool));
  }

  void configDefaultsAndErrors() {
    // A MiniMax-VL-01 config that leaves the ambiguous keys out gets the native HF port's defaults.
    const VisionLanguageConfig minimax = parse_vision_config(
        R"({"model_type": "minimax_vl_01", "vision_config": {"hidden_size": 1024, "intermediate_size": 4096,
            "num_hidden_layers": 24, "num_attention_heads": 16, "image_size": 336, "patch_size": 14}})",
        "minimax.json");
    QCOMPARE(minimax.vision_feature_layer, -1);
    QCOMPARE(int(minimax.vision.hidden_act), int(Activation::gelu));
    QCOMPARE(minimax.pinpoints.size(), std::size_t{28});
    QVERIFY(minimax.drop_cls_token);
    // A value in the file always wins.
    const VisionLanguageConfig explicit_values = parse_vision_config(
        R"({"model_type": "minimax_vl_01", "vision_feature_layer": -2,
            "vision_config": {"hidden_act": "quick_gelu"}})",
        "explicit.json");
    QCOMPARE(explicit_values.vision_feature_layer, -2);
    QCOMPARE(int(explicit_values.vision.hidden_act), int(Activation::quick_gelu));
    // LLaVA-NeXT defaults: -2, CLIP's quick_gelu, its five pinpoints.
    const VisionLanguageConfig llava =
        parse_vision_config(R"({"model_type": "llava_next", "vision_config": {}})", "l.json");
    QCOMPARE(llava.vision_feature_layer, -2);
    QCOMPARE(int(llava.vision.hidden_act), int(Activation::quick_gelu));
    QCOMPARE(llava.pinpoints.size(), std::size_t{5});

    const std::pair<const char*, const char*> bad[] = {
        {R"({"vision_config": {"hidden_size": 100, "num_attention_heads": 16}})",
         "vision_config.hidden_size 100 is not divisible by num_attention_heads 16"},
        {R"({"vision_config": {"hidden_act": "swishy"}})", "vision_config.hidden_act: unsupported activation 'swishy'"},
        {R"({"vision_config": {"patch_size": "14"}})", "vision_config.patch_size must be an integer, found \"14\""},
        {R"({"vision_config": {}, "vision_feature_layer": -30})", "vision_feature_layer -30 is outside [-13, 12]"},
        {R"({"model_type": "llama"})", "model_type 'llama' has no vision_config"},
        {R"({"vision_config": {}, "image_grid_pinpoints": [[336]]})", "image_grid_pinpoints: entry [336]"},
        {R"([1, 2])", "config.json is not a JSON object"},
    };
    for (const auto& [text, fragment] : bad) {
      try {
        parse_vision_config(text, "bad.json");
        QFAIL(text);
      } catch (const linea::io::FormatError& error) {
        QVERIFY2(std::string(error.what()).starts_with("bad.json") &&
                     std::string(error.what()).find(fragment) != std::string::npos,
                 error.what());
      }
    }
  }

  void packingRejectsMismatchedSizes() {
    const AnyresGeometry g = anyres_geometry({100, 200}, minimax_vl_01_pinpoints());
    const int dim = 4;
    std::vector<float> features(static_cast<std::size_t>(g.tile_count) * 576 * dim);
    const std::vector<float> newline(dim, 7.0f);
    QCOMPARE(pack_image_features(features, g, newline, dim).size(), static_cast<std::size_t>(g.token_count) * dim);
    features.pop_back();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pack_image_features(features, g, newline, dim));
  }

 private:
  std::span<const float> expected(const QJsonObject& slice) const {
    return std::span<const float>(values_).subspan(slice["offset"].toInteger(), slice["count"].toInteger());
  }

  QJsonObject golden_;
  std::vector<float> values_;
};

QTEST_APPLESS_MAIN(TestClipVision)
#include "test_clip_vision.moc"
