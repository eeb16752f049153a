#include "app/gui/images/image_files.h"

#include "vision/image_header.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>

#include <cstdint>
#include <exception>
#include <span>

namespace linea::gui {
namespace {

// Same bound as the decoder's (vision/image_decode.h): larger files are refused before reading.
constexpr qint64 kMaxImageBytes = qint64{1} << 30;

}  // namespace

QStringList imageFilesAmong(const QStringList& paths) {
  static const QStringList suffixes = {"png", "jpg", "jpeg", "webp", "bmp", "tif", "tiff"};
  QStringList images;
  for (const QString& path : paths) {
    const QFileInfo info(path);
    if (info.isFile() && suffixes.contains(info.suffix().toLower())) images << info.absoluteFilePath();
  }
  return images;
}

QString imageFileProblem(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly))
    return QCoreApplication::translate("linea::gui::ImageFiles", "%1 cannot be opened: %2")
        .arg(path, file.errorString());
  if (file.size() > kMaxImageBytes)
    return QCoreApplication::translate("linea::gui::ImageFiles",
                                       "%1 is %2 bytes, more than a picture Linea reads (%3 bytes).")
        .arg(path)
        .arg(file.size())
        .arg(kMaxImageBytes);
  const QByteArray bytes = file.readAll();
  const std::span<const std::uint8_t> content(reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                                              static_cast<std::size_t>(bytes.size()));
  const std::string name = QFileInfo(path).fileName().toStdString();
  try {
    const vision::ImageHeader header = vision::read_image_header(content, path.toStdString());
    const auto named = vision::image_format_for_name(name);
    if (named && *named != header.format)
      return QCoreApplication::translate("linea::gui::ImageFiles", "%1 holds %2 data, but its name says %3.")
          .arg(path, QString::fromLatin1(vision::image_format_name(header.format)),
               QString::fromLatin1(vision::image_format_name(*named)));
  } catch (const std::exception& error) {
    return QCoreApplication::translate("linea::gui::ImageFiles", "%1 is not a picture Linea can read: %2")
        .arg(path, QString::fromUtf8(error.what()));
  }
  return {};
}

QPixmap imageThumbnail(const QString& path, int side) {
  QImageReader reader(path);
  reader.setAutoTransform(true);  // EXIF orientation, as the model sees it
  const QSize size = reader.size();
  if (size.isValid() && (size.width() > side || size.height() > side))
    reader.setScaledSize(size.scaled(side, side, Qt::KeepAspectRatio));
  const QImage image = reader.read();
  if (image.isNull()) return {};
  return QPixmap::fromImage(image.width() > side || image.height() > side
                                ? image.scaled(side, side, Qt::KeepAspectRatio, Qt::SmoothTransformation)
                                : image);
}

QString imageFingerprint(const QString& path) {
  const QFileInfo info(path);
  return QStringLiteral("%1|%2|%3")
      .arg(info.absoluteFilePath())
      .arg(info.size())
      .arg(info.lastModified().toMSecsSinceEpoch());
}

}  // namespace linea::gui
