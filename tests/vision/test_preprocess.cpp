// Anyres preprocessing against transformers' LlavaNextImageProcessorPil configured as MiniMax-VL-01
// (goldens from tools/vision/make_goldens.py): grid choice and token counts for 465 image sizes, and
// the pixel values of every tile for 17 images from 1x1 to 6000x4000.
#include "tests/vision/golden_file.h"
#include "tests/vision/synthetic_image.h"
#include "vision/anyres_geometry.h"
#include "vision/preprocess.h"
#include "vision/resample.h"

#include <QJsonArray>
#include <QTest>

#include <cmath>

using namespace linea::vision;

class TestPreprocess : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { golden_ = linea::test::load_vision_golden("anyres_preprocess.json"); }

  void configMatchesTheGoldenConfig() {
    const PreprocessConfig config = PreprocessConfig::minimax_vl_01();
    const QJsonArray pinpoints = golden_["pinpoints"].toArray();
    QCOMPARE(static_cast<qsizetype>(config.pinpoints.size()), pinpoints.size());
    for (qsizetype i = 0; i < pinpoints.size(); ++i) {
      QCOMPARE(config.pinpoints[i].height, pinpoints[i].toArray()[0].toInt());
      QCOMPARE(config.pinpoints[i].width, pinpoints[i].toArray()[1].toInt());
    }
    for (int c = 0; c < 3; ++c) {
      QCOMPARE(config.mean[c], static_cast<float>(golden_["mean"].toArray()[c].toDouble()));
      QCOMPARE(config.std[c], static_cast<float>(golden_["std"].toArray()[c].toDouble()));
    }
    QCOMPARE(config.tile_size, golden_["tile_size"].toInt());
    QCOMPARE(config.patch_size, golden_["patch_size"].toInt());
  }

  void gridAndTokenCountsEqualTheReference() {
    const auto pinpoints = minimax_vl_01_pinpoints();
    int checked = 0;
    for (const QJsonValue& value : golden_["geometry"].toArray()) {
      const QJsonObject row = value.toObject();
      const ImageSize size{row["height"].toInt(), row["width"].toInt()};
      const AnyresGeometry g = anyres_geometry(size, pinpoints);
      const QByteArray where = QByteArray::number(size.height) + "x" + QByteArray::number(size.width);
      QVERIFY2(g.best_resolution.height == row["best_height"].toInt(), where);
      QVERIFY2(g.best_resolution.width == row["best_width"].toInt(), where);
      QVERIFY2(g.grid_rows == row["grid_rows"].toInt(), where);
      QVERIFY2(g.grid_cols == row["grid_cols"].toInt(), where);
      QVERIFY2(g.tile_count == row["tile_count"].toInt(), where);
      QVERIFY2(g.token_count == row["token_count"].toInt(), where + ": tokens " + QByteArray::number(g.token_count) +
                                                                " vs " +
                                                                QByteArray::number(row["token_count"].toInt()));
      QCOMPARE(g.token_count, 576 + g.feature_rows * (g.feature_cols + 1));
      ++checked;
    }
    QVERIFY(checked > 400);
  }

  void geometryOfKnownShapes_data() {
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("bestHeight");
    QTest::addColumn<int>("bestWidth");
    QTest::addColumn<int>("tokens");
    // A square image fills a square grid: 336x336 -> one tile, 24x24 map + newlines.
    QTest::newRow("336 square") << 336 << 336 << 336 << 336 << 576 + 24 * 25;
    // 1000x1000 -> 1008x1008 (3x3 tiles), 72x72 map.
    QTest::newRow("1000 square") << 1000 << 1000 << 1008 << 1008 << 576 + 72 * 73;
  }
  void geometryOfKnownShapes() {
    QFETCH(int, height);
    QFETCH(int, width);
    QFETCH(int, bestHeight);
    QFETCH(int, bestWidth);
    QFETCH(int, tokens);
    const AnyresGeometry g = anyres_geometry({height, width}, minimax_vl_01_pinpoints());
    QCOMPARE(g.best_resolution, (ImageSize{bestHeight, bestWidth}));
    QCOMPARE(g.token_count, tokens);
  }

  void badSizesAreRejected() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, anyres_geometry({0, 10}, minimax_vl_01_pinpoints()));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, anyres_geometry({10, 10}, {}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, anyres_geometry({10, 10}, minimax_vl_01_pinpoints(), 336, 15));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, preprocess_anyres(RgbImage(), PreprocessConfig::minimax_vl_01()));
  }

  // Bit-exact: Pillow's bicubic is reproduced in fixed point and normalisation in float32, so every
  // float of every tile equals the reference (checked by a hash of the raw bytes, and by samples and
  // per-channel sums so that a failure says how far off it is).
  void pixelValuesEqualTheReference() {
    const PreprocessConfig config = PreprocessConfig::minimax_vl_01();
    const int side = config.tile_size;
    const std::size_t tile_floats = static_cast<std::size_t>(3) * side * side;
    double worst_sample = 0.0;
    for (const QJsonValue& value : golden_["pixels"].toArray()) {
      const QJsonObject item = value.toObject();
      const int height = item["height"].toInt();
      const int width = item["width"].toInt();
      const QByteArray where = QByteArray::number(height) + "x" + QByteArray::number(width);
      const RgbImage image =
          linea::test::synthetic_image(height, width, static_cast<std::uint32_t>(item["seed"].toInt()));
      const PreprocessedImage result = preprocess_anyres(image, config);
      const QJsonArray tiles = item["tiles"].toArray();
      QVERIFY2(result.geometry.tile_count == tiles.size(), where);
      QCOMPARE(result.pixel_values.size(), tile_floats * tiles.size());
      for (qsizetype t = 0; t < tiles.size(); ++t) {
        const QJsonObject tile = tiles[t].toObject();
        const float* values = result.tile(static_cast<int>(t), side);
        const QByteArray tile_where = where + " tile " + QByteArray::number(t);
        for (const QJsonValue& sample : tile["samples"].toArray()) {
          const QJsonArray s = sample.toArray();
          const float got = values[(s[0].toInt() * side + s[1].toInt()) * side + s[2].toInt()];
          const double diff = std::abs(got - s[3].toDouble());
          worst_sample = std::max(worst_sample, diff);
          QVERIFY2(diff <= 1e-6, tile_where + ": sample differs by " + QByteArray::number(diff));
        }
        for (int c = 0; c < 3; ++c) {
          double sum = 0.0;
          for (std::size_t i = 0; i < tile_floats / 3; ++i) sum += values[c * tile_floats / 3 + i];
          const double expected = tile["channel_sums"].toArray()[c].toDouble();
          QVERIFY2(std::abs(sum - expected) <= 1e-6 * (1.0 + std::abs(expected)),
                   tile_where + ": channel sum " + QByteArray::number(sum, 'g', 12) + " vs " +
                       QByteArray::number(expected, 'g', 12));
        }
        const std::uint64_t hash = linea::test::fnv1a64(values, tile_floats * sizeof(float));
        QVERIFY2(QByteArray::number(static_cast<qulonglong>(hash), 16).rightJustified(16, '0') ==
                     tile["fnv1a64"].toString().toLatin1(),
                 tile_where + ": the tile's float32 bytes differ from the reference");
      }
    }
    qInfo("largest sampled difference from the reference: %g", worst_sample);
  }

  // Pillow's resize itself, byte for byte, over 80 random size pairs (enlarging, shrinking, mixed, and
  // both orders of the two passes).
  void resizeEqualsPillow() {
    int count = 0;
    for (const QJsonValue& value : golden_["resizes"].toArray()) {
      const QJsonObject item = value.toObject();
      const RgbImage source = linea::test::synthetic_image(item["height"].toInt(), item["width"].toInt(),
                                                           static_cast<std::uint32_t>(item["seed"].toInt()));
      const RgbImage out = resize_image(source, item["out_width"].toInt(), item["out_height"].toInt());
      const std::uint64_t hash = linea::test::fnv1a64(out.pixels.data(), out.pixels.size());
      const QByteArray where =
          QByteArray::number(item["height"].toInt()) + "x" + QByteArray::number(item["width"].toInt()) + " -> " +
          QByteArray::number(item["out_height"].toInt()) + "x" + QByteArray::number(item["out_width"].toInt());
      QVERIFY2(QByteArray::number(static_cast<qulonglong>(hash), 16).rightJustified(16, '0') ==
                   item["fnv1a64"].toString().toLatin1(),
               where + ": differs from Pillow");
      ++count;
    }
    QCOMPARE(count, 80);
  }

  void resizeToTheSameSizeIsACopy() {
    const RgbImage image = linea::test::synthetic_image(17, 23, 5);
    QCOMPARE(resize_image(image, 23, 17).pixels, image.pixels);
  }

  void resizeRejectsBadSizes() {
    const RgbImage image = linea::test::synthetic_image(4, 4, 1);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, resize_image(image, 0, 4));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, resize_image(RgbImage(), 4, 4));
  }

  // A flat colour stays that colour through both filters (weights sum to one, no drift).
  void flatColourSurvivesEveryResize() {
    RgbImage flat(37, 21);
    for (std::size_t i = 0; i < flat.pixels.size(); i += 3) {
      flat.pixels[i] = 200;
      flat.pixels[i + 1] = 17;
      flat.pixels[i + 2] = 96;
    }
    for (ResampleMethod method : {ResampleMethod::pil_bicubic, ResampleMethod::opencv_cubic})
      for (auto [w, h] : {std::pair{5, 3}, std::pair{100, 80}, std::pair{37, 60}}) {
        const RgbImage out = resize_image(flat, w, h, method);
        for (std::size_t i = 0; i < out.pixels.size(); i += 3) {
          QCOMPARE(out.pixels[i], std::uint8_t{200});
          QCOMPARE(out.pixels[i + 1], std::uint8_t{17});
          QCOMPARE(out.pixels[i + 2], std::uint8_t{96});
        }
      }
  }

 private:
  QJsonObject golden_;
};

QTEST_APPLESS_MAIN(TestPreprocess)
#include "test_preprocess.moc"
