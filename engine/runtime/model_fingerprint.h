// A short identity for a model's weights, stored in state files so that a state saved with one model
// is never loaded into another (a recurrent state is meaningless, and silently wrong, under other
// weights).
//
// It is XXH3-128 (as 32 lowercase hex digits) over, for every tensor in name order: its name, dtype,
// shape and byte size, and a sample of its bytes: all of them when the tensor is at most 40 KiB,
// otherwise the first and last 4 KiB and eight 4 KiB windows spread evenly between. Two models that
// differ in any tensor's metadata, or in the content of typical fine-tunes and quantizations (which
// change every part of a tensor), get different fingerprints.
//
// Why not hash every byte: a 10 GB model would be read in full from disk on every open (seconds on
// an SSD, minutes on a disk), defeating the memory-mapped loading that makes opening instant. The
// sample touches at most 40 KiB per tensor. The price: an edit confined to bytes outside the sampled
// windows of a large tensor goes unnoticed.
//
// Name order (not file order) makes the fingerprint independent of how a checkpoint is split into
// shards; the same weights converted to another format (safetensors to GGUF) are a different model
// here, since names and dtypes differ.
#pragma once

#include "engine/io/tensor_source.h"

#include <cstddef>
#include <string>

namespace linea {

// Sampling geometry, exposed so tests can aim edits inside and outside the sampled windows.
inline constexpr std::size_t fingerprint_window_bytes = 4096;
inline constexpr std::size_t fingerprint_inner_windows = 8;

std::string model_fingerprint(const io::TensorSource& source);

}  // namespace linea
