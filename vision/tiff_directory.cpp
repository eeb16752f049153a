#include "vision/tiff_directory.h"

#include "engine/io/format_error.h"
#include "vision/byte_reader.h"

namespace linea::vision {

std::optional<std::uint32_t> TiffDirectory::value(std::uint16_t tag) const {
  for (const TiffEntry& entry : entries)
    if (entry.tag == tag) return entry.value;
  return std::nullopt;
}

TiffDirectory read_first_tiff_directory(std::span<const std::uint8_t> block, const std::string& name,
                                        std::uint64_t block_offset) {
  ByteReader reader(block);
  TiffDirectory directory;
  if (reader.matches(0, "II")) {
    directory.little_endian = true;
  } else if (reader.matches(0, "MM")) {
    directory.little_endian = false;
  } else {
    throw io::FormatError(name, block_offset, "TIFF structure: byte order mark is neither 'II' nor 'MM'");
  }
  reader.set_little_endian(directory.little_endian);
  const auto magic = reader.u16(2);
  if (magic == 43) {
    directory.big_tiff = true;  // the caller decides whether it can handle 64-bit offsets
    return directory;
  }
  if (magic != 42) throw io::FormatError(name, block_offset + 2, "TIFF structure: magic number is not 42");
  const auto ifd_offset = reader.u32(4);
  if (!ifd_offset) throw io::FormatError(name, block_offset + 4, "TIFF structure: truncated before the IFD offset");
  const auto entry_count = reader.u16(*ifd_offset);
  if (!entry_count)
    throw io::FormatError(name, block_offset + 4,
                          "TIFF structure: first directory offset " + std::to_string(*ifd_offset) +
                              " lies outside the " + std::to_string(block.size()) + "-byte block");
  for (std::uint32_t i = 0; i < *entry_count; ++i) {
    const std::size_t at = std::size_t{*ifd_offset} + 2 + std::size_t{i} * 12;
    if (!reader.has(at, 12))
      throw io::FormatError(name, block_offset + at,
                            "TIFF structure: directory entry " + std::to_string(i) + " of " +
                                std::to_string(*entry_count) + " runs past the end of the data");
    TiffEntry entry;
    entry.tag = *reader.u16(at);
    entry.type = *reader.u16(at + 2);
    entry.count = *reader.u32(at + 4);
    if (entry.count == 1 && entry.type == 3) entry.value = *reader.u16(at + 8);
    if (entry.count == 1 && entry.type == 4) entry.value = *reader.u32(at + 8);
    directory.entries.push_back(entry);
  }
  return directory;
}

int exif_orientation(std::span<const std::uint8_t> exif_block) {
  ByteReader reader(exif_block);
  if (reader.matches(0, std::string_view("Exif\0\0", 6))) exif_block = exif_block.subspan(6);
  try {
    const TiffDirectory directory = read_first_tiff_directory(exif_block, "EXIF", 0);
    const auto orientation = directory.value(tiff_tag::orientation);
    if (orientation && *orientation >= 1 && *orientation <= 8) return static_cast<int>(*orientation);
  } catch (const io::FormatError&) {
    // Unreadable EXIF: show the picture as stored.
  }
  return 1;
}

}  // namespace linea::vision
