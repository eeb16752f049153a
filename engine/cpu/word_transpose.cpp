#include "engine/cpu/word_transpose.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cstring>

namespace linea::cpu {

namespace {

#if defined(__SSE2__)
// SSE2 is part of x86-64: 4 × 4 blocks of 4-byte words, 8 × 8 blocks of 2-byte words.
void transpose_4_byte_words(const std::byte* const* row, std::int64_t offset, std::byte* out) {
  for (int r0 = 0; r0 < 16; r0 += 4)
    for (int j0 = 0; j0 < 16; j0 += 4) {
      __m128i a[4];
      for (int i = 0; i < 4; ++i)
        a[i] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row[r0 + i] + offset + 4 * j0));
      const __m128i low01 = _mm_unpacklo_epi32(a[0], a[1]), low23 = _mm_unpacklo_epi32(a[2], a[3]);
      const __m128i high01 = _mm_unpackhi_epi32(a[0], a[1]), high23 = _mm_unpackhi_epi32(a[2], a[3]);
      const __m128i column[4] = {_mm_unpacklo_epi64(low01, low23), _mm_unpackhi_epi64(low01, low23),
                                 _mm_unpacklo_epi64(high01, high23), _mm_unpackhi_epi64(high01, high23)};
      for (int i = 0; i < 4; ++i)
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + ((j0 + i) * 16 + r0) * 4), column[i]);
    }
}

void transpose_2_byte_words(const std::byte* const* row, std::int64_t offset, std::byte* out) {
  for (int r0 = 0; r0 < 16; r0 += 8)
    for (int j0 = 0; j0 < 16; j0 += 8) {
      __m128i a[8];
      for (int i = 0; i < 8; ++i)
        a[i] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row[r0 + i] + offset + 2 * j0));
      // Interleaved by words (b: two rows, four words each), then by pairs of words (c: four rows, two
      // words each), then by halves: column j is word j of the 8 rows.
      __m128i b[8], c[8];
      for (int i = 0; i < 4; ++i) {
        b[i] = _mm_unpacklo_epi16(a[2 * i], a[2 * i + 1]);
        b[i + 4] = _mm_unpackhi_epi16(a[2 * i], a[2 * i + 1]);
      }
      for (int h = 0; h < 2; ++h)
        for (int i = 0; i < 2; ++i) {
          c[4 * h + i] = _mm_unpacklo_epi32(b[4 * h + 2 * i], b[4 * h + 2 * i + 1]);
          c[4 * h + i + 2] = _mm_unpackhi_epi32(b[4 * h + 2 * i], b[4 * h + 2 * i + 1]);
        }
      const __m128i column[8] = {_mm_unpacklo_epi64(c[0], c[1]), _mm_unpackhi_epi64(c[0], c[1]),
                                 _mm_unpacklo_epi64(c[2], c[3]), _mm_unpackhi_epi64(c[2], c[3]),
                                 _mm_unpacklo_epi64(c[4], c[5]), _mm_unpackhi_epi64(c[4], c[5]),
                                 _mm_unpacklo_epi64(c[6], c[7]), _mm_unpackhi_epi64(c[6], c[7])};
      for (int i = 0; i < 8; ++i)
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + ((j0 + i) * 16 + r0) * 2), column[i]);
    }
}
#endif

}  // namespace

void transpose_16_words(const std::byte* const* row, std::int64_t offset, int word_bytes, std::byte* out) {
#if defined(__SSE2__)
  if (word_bytes == 4) return transpose_4_byte_words(row, offset, out);
  if (word_bytes == 2) return transpose_2_byte_words(row, offset, out);
#endif
  const std::size_t bytes = static_cast<std::size_t>(word_bytes);
  for (int j = 0; j < 16; ++j)
    for (int r = 0; r < 16; ++r) std::memcpy(out + (j * 16 + r) * word_bytes, row[r] + offset + j * word_bytes, bytes);
}

}  // namespace linea::cpu
