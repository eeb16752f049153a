// Image decoding: every supported format round-trips, pixels come out as upright 8-bit RGB (grey
// expanded, alpha on white, 16-bit scaled, EXIF orientation applied), and every kind of bad file
// gets its own clear error naming the file, never a crash.
#include "engine/io/format_error.h"
#include "tests/vision/synthetic_image.h"
#include "vision/image_decode.h"
#include "vision/image_header.h"

#include <QTemporaryDir>
#include <QTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <fstream>
#include <random>

using namespace linea::vision;
using Bytes = std::vector<std::uint8_t>;

namespace {

Bytes encode(const cv::Mat& bgr, const std::string& extension, std::vector<int> params = {}) {
  Bytes bytes;
  if (!cv::imencode(extension, bgr, bytes, params)) qFatal("cannot encode %s", extension.c_str());
  return bytes;
}

cv::Mat bgr_of(const RgbImage& image) {
  cv::Mat rgb(image.height, image.width, CV_8UC3, const_cast<std::uint8_t*>(image.pixels.data()));
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  return bgr;
}

std::uint32_t crc32(const std::uint8_t* data, std::size_t size) {
  std::uint32_t crc = 0xffffffffu;
  for (std::size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void put_be32(Bytes& out, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

// A PNG chunk with a correct CRC.
Bytes png_chunk(const std::string& type, const Bytes& data) {
  Bytes chunk(8);
  put_be32(chunk, 0, static_cast<std::uint32_t>(data.size()));
  std::copy(type.begin(), type.end(), chunk.begin() + 4);
  chunk.insert(chunk.end(), data.begin(), data.end());
  const std::uint32_t crc = crc32(chunk.data() + 4, chunk.size() - 4);
  chunk.resize(chunk.size() + 4);
  put_be32(chunk, chunk.size() - 4, crc);
  return chunk;
}

// A big-endian TIFF structure holding one IFD entry: Orientation = `orientation`.
Bytes exif_tiff_block(int orientation) {
  return {'M',  'M',
          0,    42,
          0,    0,
          0,    8,  // header, IFD at 8
          0,    1,  // one entry
          0x01, 0x12,
          0,    3,
          0,    0,
          0,    1,  // tag 274 SHORT count 1
          0,    static_cast<std::uint8_t>(orientation),
          0,    0,  // value
          0,    0,
          0,    0};  // no next IFD
}

Bytes jpeg_with_orientation(const Bytes& jpeg, int orientation) {
  Bytes payload = {'E', 'x', 'i', 'f', 0, 0};
  const Bytes tiff = exif_tiff_block(orientation);
  payload.insert(payload.end(), tiff.begin(), tiff.end());
  const std::size_t length = payload.size() + 2;
  Bytes segment = {0xff, 0xe1, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length & 0xff)};
  segment.insert(segment.end(), payload.begin(), payload.end());
  Bytes out(jpeg.begin(), jpeg.begin() + 2);  // SOI
  out.insert(out.end(), segment.begin(), segment.end());
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

Bytes png_with_exif(const Bytes& png, int orientation) {
  // eXIf goes right after IHDR (8 signature + 25 IHDR bytes).
  Bytes out(png.begin(), png.begin() + 33);
  const Bytes chunk = png_chunk("eXIf", exif_tiff_block(orientation));
  out.insert(out.end(), chunk.begin(), chunk.end());
  out.insert(out.end(), png.begin() + 33, png.end());
  return out;
}

// A 32x16 picture of four flat quadrants, distinct colours, so a rotation or mirror is visible
// even through JPEG.
const cv::Scalar kQuadrantColours[4] = {{0, 0, 255}, {0, 255, 0}, {255, 0, 0}, {0, 255, 255}};  // BGR: TL TR BL BR

cv::Mat quadrants() {
  cv::Mat bgr(16, 32, CV_8UC3);
  bgr(cv::Rect(0, 0, 16, 8)).setTo(kQuadrantColours[0]);
  bgr(cv::Rect(16, 0, 16, 8)).setTo(kQuadrantColours[1]);
  bgr(cv::Rect(0, 8, 16, 8)).setTo(kQuadrantColours[2]);
  bgr(cv::Rect(16, 8, 16, 8)).setTo(kQuadrantColours[3]);
  return bgr;
}

// Which stored quadrant (0 TL, 1 TR, 2 BL, 3 BR) the pixel at (x, y) of `image` shows.
int quadrant_at(const RgbImage& image, int x, int y) {
  int best = -1;
  double best_distance = 1e9;
  for (int q = 0; q < 4; ++q) {
    double distance = 0;
    for (int c = 0; c < 3; ++c) distance += std::abs(image.at(x, y, c) - kQuadrantColours[q][2 - c]);
    if (distance < best_distance) {
      best_distance = distance;
      best = q;
    }
  }
  return best;
}

void expect_error(const Bytes& bytes, const std::string& name, const std::string& fragment,
                  const DecodeLimits& limits = {}) {
  try {
    decode_image_bytes(bytes, name, limits);
  } catch (const linea::io::FormatError& error) {
    const std::string message = error.what();
    QVERIFY2(message.find(fragment) != std::string::npos, ("'" + message + "' lacks '" + fragment + "'").c_str());
    QVERIFY2(message.starts_with(name + ":"), ("'" + message + "' does not start with the name").c_str());
    return;
  }
  QFAIL(("no error for " + name).c_str());
}

}  // namespace

class TestImageDecode : public QObject {
  Q_OBJECT

 private slots:
  void losslessFormatsRoundTrip_data() {
    QTest::addColumn<QString>("extension");
    QTest::addColumn<int>("format");
    QTest::newRow("png") << ".png" << int(ImageFormat::png);
    QTest::newRow("bmp") << ".bmp" << int(ImageFormat::bmp);
    QTest::newRow("tiff") << ".tiff" << int(ImageFormat::tiff);
    QTest::newRow("webp lossless") << ".webp" << int(ImageFormat::webp);
  }
  void losslessFormatsRoundTrip() {
    QFETCH(QString, extension);
    QFETCH(int, format);
    const RgbImage original = linea::test::synthetic_image(37, 53, 9);
    std::vector<int> params;
    if (extension == ".webp") params = {cv::IMWRITE_WEBP_QUALITY, 101};  // >100 = lossless
    const Bytes bytes = encode(bgr_of(original), extension.toStdString(), params);
    const DecodedImage decoded = decode_image_bytes(bytes, "picture" + extension.toStdString());
    QCOMPARE(int(decoded.header.format), format);
    QCOMPARE(decoded.header.width, 53u);
    QCOMPARE(decoded.header.height, 37u);
    QCOMPARE(decoded.image.width, 53);
    QCOMPARE(decoded.image.height, 37);
    QVERIFY(decoded.image.pixels == original.pixels);
  }

  void jpegDecodesCloseToTheOriginal() {
    const cv::Mat bgr = quadrants();
    const DecodedImage decoded = decode_image_bytes(encode(bgr, ".jpg", {cv::IMWRITE_JPEG_QUALITY, 95}), "photo.jpg");
    QCOMPARE(int(decoded.header.format), int(ImageFormat::jpeg));
    QCOMPARE(decoded.image.width, 32);
    QCOMPARE(quadrant_at(decoded.image, 2, 2), 0);
    QCOMPARE(quadrant_at(decoded.image, 29, 13), 3);
  }

  void decodesFromAFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("picture.png").toStdString();
    const Bytes bytes = encode(bgr_of(linea::test::synthetic_image(5, 7, 1)), ".png");
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    QCOMPARE(decode_image_file(path).image.pixels, linea::test::synthetic_image(5, 7, 1).pixels);
  }

  void greyIsExpandedToRgb() {
    cv::Mat grey(3, 4, CV_8UC1);
    for (int i = 0; i < 12; ++i) grey.data[i] = static_cast<std::uint8_t>(i * 20);
    const RgbImage image = decode_image_bytes(encode(grey, ".png"), "grey.png").image;
    for (int i = 0; i < 12; ++i)
      for (int c = 0; c < 3; ++c) QCOMPARE(image.pixels[i * 3 + c], static_cast<std::uint8_t>(i * 20));
  }

  void alphaIsCompositedOnWhite() {
    cv::Mat bgra(1, 3, CV_8UC4);
    bgra.at<cv::Vec4b>(0, 0) = {10, 20, 30, 0};     // fully transparent -> white
    bgra.at<cv::Vec4b>(0, 1) = {10, 20, 30, 255};   // opaque -> itself
    bgra.at<cv::Vec4b>(0, 2) = {0, 100, 200, 102};  // 40% -> 0.4 c + 0.6 * 255
    const RgbImage image = decode_image_bytes(encode(bgra, ".png"), "alpha.png").image;
    const std::uint8_t expected[9] = {255, 255, 255, 30, 20, 10, 233, 193, 153};
    for (int i = 0; i < 9; ++i) QCOMPARE(image.pixels[i], expected[i]);
  }

  void sixteenBitIsScaled() {
    cv::Mat deep(1, 2, CV_16UC3);
    deep.at<cv::Vec3w>(0, 0) = {65535, 257 * 100, 0};
    deep.at<cv::Vec3w>(0, 1) = {128, 32896, 65280};  // 0.5 -> 0 or 1; 128 levels; 254 levels
    const RgbImage image = decode_image_bytes(encode(deep, ".png"), "deep.png").image;
    const std::uint8_t expected[6] = {0, 100, 255, 254, 128, 0};
    for (int i = 0; i < 6; ++i) QCOMPARE(image.pixels[i], expected[i]);
  }

  // EXIF orientation, as the EXIF 2.3 specification defines the eight values: where the stored
  // top-left and top-right corners end up once the picture is shown upright.
  void exifOrientationIsApplied_data() {
    QTest::addColumn<int>("orientation");
    QTest::addColumn<bool>("swapsSides");
    QTest::addColumn<int>("whereTopLeftGoes");  // display corner: 0 TL, 1 TR, 2 BL, 3 BR
    QTest::addColumn<int>("whereTopRightGoes");
    QTest::newRow("1 as stored") << 1 << false << 0 << 1;
    QTest::newRow("2 mirrored") << 2 << false << 1 << 0;
    QTest::newRow("3 rotated 180") << 3 << false << 3 << 2;
    QTest::newRow("4 flipped") << 4 << false << 2 << 3;
    QTest::newRow("5 transposed") << 5 << true << 0 << 2;
    QTest::newRow("6 rotate 90 cw") << 6 << true << 1 << 3;
    QTest::newRow("7 transversed") << 7 << true << 3 << 1;
    QTest::newRow("8 rotate 90 ccw") << 8 << true << 2 << 0;
  }
  void exifOrientationIsApplied() {
    QFETCH(int, orientation);
    QFETCH(bool, swapsSides);
    QFETCH(int, whereTopLeftGoes);
    QFETCH(int, whereTopRightGoes);
    const Bytes jpeg = jpeg_with_orientation(encode(quadrants(), ".jpg", {cv::IMWRITE_JPEG_QUALITY, 95}), orientation);
    const Bytes png = png_with_exif(encode(quadrants(), ".png"), orientation);
    for (const auto& [bytes, name] : {std::pair{jpeg, "rotated.jpg"}, std::pair{png, "rotated.png"}}) {
      const DecodedImage decoded = decode_image_bytes(bytes, name);
      QCOMPARE(decoded.header.exif_orientation, orientation);
      const RgbImage& image = decoded.image;
      QCOMPARE(image.width, swapsSides ? 16 : 32);
      QCOMPARE(image.height, swapsSides ? 32 : 16);
      const int corner_x[4] = {1, image.width - 2, 1, image.width - 2};
      const int corner_y[4] = {1, 1, image.height - 2, image.height - 2};
      QCOMPARE(quadrant_at(image, corner_x[whereTopLeftGoes], corner_y[whereTopLeftGoes]), 0);
      QCOMPARE(quadrant_at(image, corner_x[whereTopRightGoes], corner_y[whereTopRightGoes]), 1);
    }
  }

  void damagedExifIsIgnored() {
    Bytes jpeg = jpeg_with_orientation(encode(quadrants(), ".jpg"), 6);
    jpeg[4 + 2 + 6 + 4] = 0xff;  // IFD offset high byte: points far outside the block
    const DecodedImage decoded = decode_image_bytes(jpeg, "damaged-exif.jpg");
    QCOMPARE(decoded.header.exif_orientation, 1);
    QCOMPARE(decoded.image.width, 32);
  }

  void emptyFile() { expect_error({}, "empty.png", "the file is empty (0 bytes)"); }

  void garbage() {
    Bytes bytes(300);
    std::mt19937 random(3);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(random());
    bytes[0] = 'G';
    expect_error(bytes, "noise.jpg", "not a recognised image: the first bytes (47 ");
  }

  void textWithAnImageExtension() {
    const std::string text = "hello, I am not a picture\n";
    expect_error(Bytes(text.begin(), text.end()), "notes.png", "match none of PNG, JPEG, WebP, BMP, TIFF");
  }

  void wrongExtension() {
    expect_error(encode(quadrants(), ".jpg"), "holiday.png", "the file name says PNG but the content is a JPEG image");
    // An extension that is no image format at all is not second-guessed: the content decides.
    QCOMPARE(decode_image_bytes(encode(quadrants(), ".jpg"), "download.bin").image.width, 32);
  }

  void truncated_data() {
    QTest::addColumn<QString>("extension");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("png") << ".png"
                         << "truncated PNG file";
    QTest::newRow("jpeg") << ".jpg"
                          << "truncated JPEG file";
    QTest::newRow("webp") << ".webp"
                          << "truncated WebP file";
    QTest::newRow("bmp") << ".bmp"
                         << "truncated BMP file";
  }
  void truncated() {
    QFETCH(QString, extension);
    QFETCH(QString, fragment);
    Bytes bytes = encode(bgr_of(linea::test::synthetic_image(40, 40, 2)), extension.toStdString());
    bytes.resize(bytes.size() * 2 / 3);
    expect_error(bytes, "cut" + extension.toStdString(), fragment.toStdString());
  }

  void truncatedTiffIsAnError() {
    Bytes bytes = encode(bgr_of(linea::test::synthetic_image(40, 40, 2)), ".tiff");
    bytes.resize(bytes.size() / 2);
    QVERIFY_THROWS_EXCEPTION(linea::io::FormatError, decode_image_bytes(bytes, "cut.tiff"));
  }

  // A decompression bomb: a PNG whose IHDR claims 50000 x 50000 (2.5 gigapixels) is refused from the
  // header, before any codec allocates memory for it.
  void pngClaiming50000x50000IsRefused() {
    Bytes bytes = encode(bgr_of(linea::test::synthetic_image(8, 8, 2)), ".png");
    put_be32(bytes, 16, 50000);
    put_be32(bytes, 20, 50000);
    put_be32(bytes, 29, crc32(bytes.data() + 12, 17));  // keep the IHDR CRC valid
    expect_error(bytes, "bomb.png",
                 "PNG header declares 50000 x 50000 pixels (2500.0 megapixels), over the limit of 100.0 megapixels "
                 "(100000000 pixels); refusing to decode");
  }

  void theLimitIsConfigurable() {
    const Bytes bytes = encode(bgr_of(linea::test::synthetic_image(20, 30, 2)), ".png");
    expect_error(bytes, "small.png", "over the limit of 0.0 megapixels (500 pixels)", DecodeLimits{500, 1 << 20});
    QCOMPARE(decode_image_bytes(bytes, "small.png", DecodeLimits{600, 1 << 20}).image.width, 30);
  }

  void corruptPixelDataIsAnError() {
    Bytes bytes = encode(bgr_of(linea::test::synthetic_image(30, 30, 2)), ".png");
    // Overwrite the compressed data inside IDAT (after IHDR at 8..33 and the IDAT header).
    for (std::size_t i = 45; i < bytes.size() - 20; ++i) bytes[i] = static_cast<std::uint8_t>(i * 7);
    expect_error(bytes, "scrambled.png", "the PNG decoder could not read the pixel data");
  }

  void missingFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("absent.png").toStdString();
    try {
      decode_image_file(path);
      QFAIL("no error");
    } catch (const linea::io::FormatError& error) {
      QCOMPARE(std::string(error.what()), path + ": cannot open: no such file");
    }
  }

  void directoryIsNotAnImage() {
    QTemporaryDir dir;
    try {
      decode_image_file(dir.path().toStdString());
      QFAIL("no error");
    } catch (const linea::io::FormatError& error) {
      QVERIFY(std::string(error.what()).ends_with("cannot open: it is a directory"));
    }
  }

  // Every prefix and many random corruptions of valid files of every format: each either decodes
  // or throws FormatError; nothing crashes (run under ASan/UBSan with LINEA_SANITIZE).
  void damagedFilesNeverCrash() {
    std::mt19937 random(11);
    int errors = 0, decoded = 0;
    for (const char* extension : {".png", ".jpg", ".webp", ".bmp", ".tiff"}) {
      const Bytes valid = encode(bgr_of(linea::test::synthetic_image(24, 31, 4)), extension);
      std::vector<Bytes> variants;
      for (std::size_t cut = 0; cut < valid.size(); cut += 1 + valid.size() / 60)
        variants.emplace_back(valid.begin(), valid.begin() + cut);
      for (int k = 0; k < 60; ++k) {
        Bytes copy = valid;
        for (int flips = 0; flips < 4; ++flips) copy[random() % copy.size()] = static_cast<std::uint8_t>(random());
        variants.push_back(copy);
      }
      for (const Bytes& bytes : variants) {
        try {
          const DecodedImage image = decode_image_bytes(bytes, std::string("fuzz") + extension);
          QVERIFY(!image.image.empty());
          ++decoded;
        } catch (const linea::io::FormatError&) {
          ++errors;
        }
      }
    }
    QVERIFY(errors > 300);  // every short prefix at least
    qInfo("damaged inputs: %d refused with an error, %d still decodable", errors, decoded);
  }
};

QTEST_APPLESS_MAIN(TestImageDecode)
#include "test_image_decode.moc"
