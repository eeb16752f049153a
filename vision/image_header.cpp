#include "vision/image_header.h"

#include "engine/io/format_error.h"
#include "vision/byte_reader.h"
#include "vision/tiff_directory.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace linea::vision {
namespace {

using io::FormatError;

std::string hex_bytes(std::span<const std::uint8_t> bytes, std::size_t count) {
  std::string text;
  for (std::size_t i = 0; i < std::min(count, bytes.size()); ++i) {
    char buffer[4];
    std::snprintf(buffer, sizeof buffer, "%02x", bytes[i]);
    if (!text.empty()) text += ' ';
    text += buffer;
  }
  return text;
}

std::string printable_fourcc(std::span<const std::uint8_t> bytes) {
  std::string text;
  for (std::uint8_t c : bytes) text += std::isprint(c) ? static_cast<char>(c) : '?';
  return text;
}

[[noreturn]] void truncated(const std::string& name, std::uint64_t offset, ImageFormat format, const std::string& what,
                            std::size_t file_size) {
  throw FormatError(name, offset,
                    std::string("truncated ") + image_format_name(format) + " file: " + what +
                        " but the data ends at byte " + std::to_string(file_size));
}

// PNG: signature, IHDR first, then chunks up to IEND; eXIf may carry an orientation.
ImageHeader read_png(std::span<const std::uint8_t> bytes, const std::string& name) {
  ByteReader reader(bytes);
  ImageHeader header{ImageFormat::png, 0, 0, 1};
  std::size_t at = 8;
  bool first = true;
  while (true) {
    if (!reader.has(at, 8)) {
      if (at == bytes.size()) truncated(name, at, ImageFormat::png, "the chunk list has no IEND chunk", bytes.size());
      truncated(name, at, ImageFormat::png, "a chunk header starts here", bytes.size());
    }
    const std::uint32_t length = *reader.u32(at);
    const std::string type = printable_fourcc(reader.slice(at + 4, 4));
    if (length > 0x7fffffffu)
      throw FormatError(name, at,
                        "corrupt PNG: chunk '" + type + "' declares length " + std::to_string(length) +
                            " (over the PNG maximum of 2^31-1)");
    if (first) {
      if (type != "IHDR" || length != 13)
        throw FormatError(name, at,
                          "corrupt PNG: the first chunk must be a 13-byte IHDR, found '" + type + "' of " +
                              std::to_string(length) + " bytes");
      if (!reader.has(at + 8, 13)) truncated(name, at, ImageFormat::png, "the IHDR chunk needs 13 bytes", bytes.size());
      header.width = *reader.u32(at + 8);
      header.height = *reader.u32(at + 12);
      if (header.width == 0 || header.height == 0 || header.width > 0x7fffffffu || header.height > 0x7fffffffu)
        throw FormatError(name, at + 8,
                          "corrupt PNG: IHDR declares " + std::to_string(header.width) + " x " +
                              std::to_string(header.height) + " pixels");
      first = false;
    }
    if (!reader.has(at + 8, std::size_t{length} + 4))
      truncated(name, at, ImageFormat::png,
                "chunk '" + type + "' declares " + std::to_string(length) + " bytes of data (+4 CRC)", bytes.size());
    if (type == "eXIf") header.exif_orientation = exif_orientation(reader.slice(at + 8, length));
    if (type == "IEND") return header;
    at += std::size_t{length} + 12;
  }
}

bool is_jpeg_frame_marker(std::uint8_t marker) {
  return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
}

// JPEG: marker segments; the frame header (SOFn) gives the size; APP1 "Exif" the orientation;
// after each scan (SOS) the entropy-coded data runs to the next marker; the file must reach EOI.
ImageHeader read_jpeg(std::span<const std::uint8_t> bytes, const std::string& name) {
  ByteReader reader(bytes);
  ImageHeader header{ImageFormat::jpeg, 0, 0, 1};
  bool have_frame = false;
  bool have_exif = false;
  std::size_t at = 2;
  while (true) {
    if (!reader.has(at, 2)) truncated(name, at, ImageFormat::jpeg, "no end-of-image marker (FF D9)", bytes.size());
    if (bytes[at] != 0xff)
      throw FormatError(name, at,
                        "corrupt JPEG: expected a marker (FF xx), found byte " + hex_bytes(bytes.subspan(at), 1));
    std::size_t marker_at = at;
    while (marker_at + 1 < bytes.size() && bytes[marker_at + 1] == 0xff) ++marker_at;  // fill bytes
    if (marker_at + 1 >= bytes.size())
      truncated(name, at, ImageFormat::jpeg, "no end-of-image marker (FF D9)", bytes.size());
    const std::uint8_t marker = bytes[marker_at + 1];
    at = marker_at + 2;
    if (marker == 0xd9) {
      if (!have_frame) throw FormatError(name, marker_at, "corrupt JPEG: end of image before any frame header");
      return header;
    }
    if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;  // no length field
    if (marker == 0xd8) throw FormatError(name, marker_at, "corrupt JPEG: a second start-of-image marker");
    const auto length = reader.u16(at);
    if (!length) truncated(name, marker_at, ImageFormat::jpeg, "a segment length starts here", bytes.size());
    if (*length < 2) throw FormatError(name, at, "corrupt JPEG: segment length " + std::to_string(*length) + " < 2");
    if (!reader.has(at, *length))
      truncated(name, marker_at, ImageFormat::jpeg,
                "segment FF " + hex_bytes(bytes.subspan(marker_at + 1), 1) + " declares " + std::to_string(*length) +
                    " bytes",
                bytes.size());
    if (is_jpeg_frame_marker(marker) && !have_frame) {
      if (*length < 8) throw FormatError(name, at, "corrupt JPEG: frame header shorter than 8 bytes");
      header.height = *reader.u16(at + 3);
      header.width = *reader.u16(at + 5);
      if (header.width == 0 || header.height == 0)
        throw FormatError(name, at + 3,
                          "unsupported JPEG: frame header declares " + std::to_string(header.width) + " x " +
                              std::to_string(header.height) +
                              " pixels (a height set later by a DNL marker is not "
                              "supported)");
      have_frame = true;
    }
    if (marker == 0xe1 && !have_exif && reader.matches(at + 2, std::string_view("Exif\0\0", 6))) {
      header.exif_orientation = exif_orientation(reader.slice(at + 8, *length - 8));
      have_exif = true;
    }
    at += *length;
    if (marker == 0xda) {
      if (!have_frame) throw FormatError(name, marker_at, "corrupt JPEG: image data before any frame header");
      // Entropy-coded data: FF 00 is a stuffed FF, FF D0..D7 are restart markers; anything else ends it.
      while (true) {
        if (at + 1 >= bytes.size())
          truncated(name, at, ImageFormat::jpeg, "the compressed image data has no end-of-image marker (FF D9)",
                    bytes.size());
        if (bytes[at] == 0xff) {
          const std::uint8_t next = bytes[at + 1];
          if (next != 0x00 && next != 0xff && !(next >= 0xd0 && next <= 0xd7)) break;
        }
        ++at;
      }
    }
  }
}

// WebP: RIFF container; the first chunk (VP8, VP8L or VP8X) gives the canvas size.
ImageHeader read_webp(std::span<const std::uint8_t> bytes, const std::string& name) {
  ByteReader reader(bytes, /*little_endian=*/true);
  ImageHeader header{ImageFormat::webp, 0, 0, 1};
  const std::uint64_t riff_end = std::uint64_t{*reader.u32(4)} + 8;
  if (riff_end > bytes.size())
    truncated(name, 4, ImageFormat::webp, "the RIFF header declares " + std::to_string(riff_end) + " bytes",
              bytes.size());
  if (!reader.has(12, 8)) truncated(name, 12, ImageFormat::webp, "the first chunk header starts here", bytes.size());
  const std::string fourcc = printable_fourcc(reader.slice(12, 4));
  const std::uint32_t chunk_size = *reader.u32(16);
  if (!reader.has(20, chunk_size))
    truncated(name, 12, ImageFormat::webp, "chunk '" + fourcc + "' declares " + std::to_string(chunk_size) + " bytes",
              bytes.size());
  if (fourcc == "VP8 ") {
    if (chunk_size < 10 || !reader.matches(23, "\x9d\x01\x2a"))
      throw FormatError(name, 20, "corrupt WebP: the VP8 chunk lacks the key-frame start code 9d 01 2a");
    header.width = *reader.u16(26) & 0x3fffu;
    header.height = *reader.u16(28) & 0x3fffu;
  } else if (fourcc == "VP8L") {
    if (chunk_size < 5 || *reader.u8(20) != 0x2f)
      throw FormatError(name, 20, "corrupt WebP: the VP8L chunk lacks its signature byte 2f");
    const std::uint32_t bits = *reader.u32(21);
    header.width = (bits & 0x3fffu) + 1;
    header.height = ((bits >> 14) & 0x3fffu) + 1;
  } else if (fourcc == "VP8X") {
    if (chunk_size < 10) throw FormatError(name, 16, "corrupt WebP: the VP8X chunk is shorter than 10 bytes");
    header.width = *reader.u24(24) + 1;
    header.height = *reader.u24(27) + 1;
    // Later chunks (ICCP, ANIM, ALPH, VP8, EXIF, XMP) are padded to an even size.
    std::uint64_t at = 20 + std::uint64_t{chunk_size} + (chunk_size & 1u);
    while (at + 8 <= riff_end) {
      const std::uint32_t size = *reader.u32(at + 4);
      if (at + 8 + size > riff_end)
        truncated(name, at, ImageFormat::webp,
                  "chunk '" + printable_fourcc(reader.slice(at, 4)) + "' declares " + std::to_string(size) + " bytes",
                  riff_end);
      if (reader.matches(at, "EXIF")) header.exif_orientation = exif_orientation(reader.slice(at + 8, size));
      at += 8 + std::uint64_t{size} + (size & 1u);
    }
  } else {
    throw FormatError(name, 12, "corrupt WebP: first chunk is '" + fourcc + "', expected VP8, VP8L or VP8X");
  }
  if (header.width == 0 || header.height == 0)
    throw FormatError(
        name, 20,
        "corrupt WebP: declares " + std::to_string(header.width) + " x " + std::to_string(header.height) + " pixels");
  return header;
}

// BMP: file header + DIB header; for uncompressed pixel arrays the file must hold every row.
ImageHeader read_bmp(std::span<const std::uint8_t> bytes, const std::string& name) {
  ByteReader reader(bytes, /*little_endian=*/true);
  ImageHeader header{ImageFormat::bmp, 0, 0, 1};
  const auto pixel_offset = reader.u32(10);
  const auto dib_size = reader.u32(14);
  if (!pixel_offset || !dib_size || !reader.has(14, *dib_size))
    truncated(name, 14, ImageFormat::bmp,
              "the bitmap headers need " + std::to_string(14 + dib_size.value_or(12)) + " bytes", bytes.size());
  std::int64_t width = 0;
  std::int64_t height = 0;
  std::uint32_t bits_per_pixel = 0;
  std::uint32_t compression = 0;
  if (*dib_size == 12) {
    width = *reader.u16(18);
    height = *reader.u16(20);
    bits_per_pixel = *reader.u16(24);
  } else if (*dib_size >= 16) {
    width = static_cast<std::int32_t>(*reader.u32(18));
    height = static_cast<std::int32_t>(*reader.u32(22));
    bits_per_pixel = *reader.u16(28);
    if (*dib_size >= 20) compression = *reader.u32(30);
  } else {
    throw FormatError(name, 14, "corrupt BMP: DIB header size " + std::to_string(*dib_size) + " is not a known layout");
  }
  const std::int64_t rows = height < 0 ? -height : height;  // negative height = rows stored top-down
  if (width <= 0 || rows == 0 || rows > 0x7fffffff)
    throw FormatError(
        name, 18, "corrupt BMP: header declares " + std::to_string(width) + " x " + std::to_string(height) + " pixels");
  header.width = static_cast<std::uint32_t>(width);
  header.height = static_cast<std::uint32_t>(rows);
  const bool uncompressed = compression == 0 || compression == 3 || compression == 6;
  if (uncompressed && bits_per_pixel > 0 && bits_per_pixel <= 32) {
    const std::uint64_t row_bytes = (static_cast<std::uint64_t>(width) * bits_per_pixel + 31) / 32 * 4;
    const std::uint64_t needed = *pixel_offset + row_bytes * static_cast<std::uint64_t>(rows);
    if (needed > bytes.size())
      truncated(name, *pixel_offset, ImageFormat::bmp,
                "the pixel array needs " + std::to_string(row_bytes * rows) + " bytes from byte " +
                    std::to_string(*pixel_offset),
                bytes.size());
  }
  return header;
}

// TIFF: the first directory's ImageWidth, ImageLength and Orientation (the page OpenCV decodes).
ImageHeader read_tiff(std::span<const std::uint8_t> bytes, const std::string& name) {
  ImageHeader header{ImageFormat::tiff, 0, 0, 1};
  const TiffDirectory directory = read_first_tiff_directory(bytes, name, 0);
  if (directory.big_tiff) throw FormatError(name, 2, "unsupported TIFF: BigTIFF (64-bit offsets) is not supported");
  const auto width = directory.value(tiff_tag::image_width);
  const auto height = directory.value(tiff_tag::image_length);
  if (!width || !height)
    throw FormatError(name, std::nullopt, "corrupt TIFF: the first directory has no single ImageWidth/ImageLength");
  if (*width == 0 || *height == 0)
    throw FormatError(name, std::nullopt,
                      "corrupt TIFF: declares " + std::to_string(*width) + " x " + std::to_string(*height) + " pixels");
  header.width = *width;
  header.height = *height;
  const auto orientation = directory.value(tiff_tag::orientation);
  if (orientation && *orientation >= 1 && *orientation <= 8) header.exif_orientation = static_cast<int>(*orientation);
  return header;
}

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

}  // namespace

const char* image_format_name(ImageFormat format) {
  switch (format) {
    case ImageFormat::png: return "PNG";
    case ImageFormat::jpeg: return "JPEG";
    case ImageFormat::webp: return "WebP";
    case ImageFormat::bmp: return "BMP";
    case ImageFormat::tiff: return "TIFF";
  }
  return "?";
}

std::optional<ImageFormat> image_format_for_name(std::string_view file_name) {
  const std::size_t slash = file_name.find_last_of("/\\");
  const std::string_view base = slash == std::string_view::npos ? file_name : file_name.substr(slash + 1);
  const std::size_t dot = base.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string extension = lower(base.substr(dot + 1));
  if (extension == "png") return ImageFormat::png;
  if (extension == "jpg" || extension == "jpeg" || extension == "jpe" || extension == "jfif") return ImageFormat::jpeg;
  if (extension == "webp") return ImageFormat::webp;
  if (extension == "bmp" || extension == "dib") return ImageFormat::bmp;
  if (extension == "tif" || extension == "tiff") return ImageFormat::tiff;
  return std::nullopt;
}

std::optional<ImageFormat> sniff_image_format(std::span<const std::uint8_t> bytes) {
  const ByteReader reader(bytes);
  if (reader.matches(0, "\x89PNG\r\n\x1a\n")) return ImageFormat::png;
  if (reader.matches(0, "\xff\xd8\xff")) return ImageFormat::jpeg;
  if (reader.matches(0, "RIFF") && reader.matches(8, "WEBP")) return ImageFormat::webp;
  if (reader.matches(0, "BM") && bytes.size() >= 18) return ImageFormat::bmp;
  if (reader.matches(0, std::string_view("II*\0", 4)) || reader.matches(0, std::string_view("MM\0*", 4)) ||
      reader.matches(0, std::string_view("II+\0", 4)) || reader.matches(0, std::string_view("MM\0+", 4)))
    return ImageFormat::tiff;
  return std::nullopt;
}

ImageHeader read_image_header(std::span<const std::uint8_t> bytes, const std::string& name) {
  if (bytes.empty()) throw FormatError(name, std::nullopt, "the file is empty (0 bytes), not an image");
  const auto format = sniff_image_format(bytes);
  if (!format)
    throw FormatError(name, 0,
                      "not a recognised image: the first bytes (" + hex_bytes(bytes, 8) +
                          ") match none of PNG, JPEG, WebP, BMP, TIFF");
  switch (*format) {
    case ImageFormat::png: return read_png(bytes, name);
    case ImageFormat::jpeg: return read_jpeg(bytes, name);
    case ImageFormat::webp: return read_webp(bytes, name);
    case ImageFormat::bmp: return read_bmp(bytes, name);
    case ImageFormat::tiff: return read_tiff(bytes, name);
  }
  throw FormatError(name, 0, "unhandled image format");
}

}  // namespace linea::vision
