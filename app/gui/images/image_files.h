// Which dropped files are pictures, whether one can be read (checked from its header before it is
// attached, so a broken file is refused with a reason at once), and its thumbnail.
#pragma once

#include <QPixmap>
#include <QString>
#include <QStringList>

namespace linea::gui {

// The files among `paths` whose names say they are pictures Linea reads (png, jpg, jpeg, webp, bmp,
// tif, tiff), as absolute paths.
QStringList imageFilesAmong(const QStringList& paths);

// Empty when `path` is a complete picture of a format Linea decodes and its content matches its
// name; otherwise why not, naming the file (and the byte offset of the problem where there is one).
QString imageFileProblem(const QString& path);

// The picture scaled to fit `side`×`side` pixels; a null pixmap when Qt cannot draw it.
QPixmap imageThumbnail(const QString& path, int side);

// Identifies the picture's content as it is now (path, size, modification time): a session that
// read an older version of the file must not be reused.
QString imageFingerprint(const QString& path);

}  // namespace linea::gui
