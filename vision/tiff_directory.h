// The first image file directory (IFD0) of a TIFF-structured block: a TIFF file itself, or the EXIF
// block that JPEG (APP1), PNG (eXIf) and WebP (EXIF) embed. Only what the decoder needs: each entry's
// tag and, for single SHORT/LONG values, the value.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace linea::vision {

struct TiffEntry {
  std::uint16_t tag = 0;
  std::uint16_t type = 0;  // 3 = SHORT, 4 = LONG, ...
  std::uint32_t count = 0;
  std::optional<std::uint32_t> value;  // set for a single SHORT or LONG
};

struct TiffDirectory {
  bool little_endian = true;
  bool big_tiff = false;
  std::vector<TiffEntry> entries;

  std::optional<std::uint32_t> value(std::uint16_t tag) const;
};

namespace tiff_tag {
inline constexpr std::uint16_t image_width = 256;
inline constexpr std::uint16_t image_length = 257;
inline constexpr std::uint16_t orientation = 274;
}  // namespace tiff_tag

// Throws io::FormatError naming `name`; byte offsets in messages are `block_offset` + the offset
// inside `block`, so they point into the whole file.
TiffDirectory read_first_tiff_directory(std::span<const std::uint8_t> block, const std::string& name,
                                        std::uint64_t block_offset);

// The EXIF Orientation (1..8) of an EXIF block (with or without the "Exif\0\0" prefix), or 1 when the
// block has none or is unreadable: a damaged EXIF block must not stop the picture from showing.
int exif_orientation(std::span<const std::uint8_t> exif_block);

}  // namespace linea::vision
