// From a picture to the embeddings that replace the <image> placeholder tokens: anyres tiles
// (preprocess.h), the CLIP tower's selected hidden state per tile (clip_vision.h), the projector,
// and the packing with image_newline (feature_packing.h). MiniMax-VL-01 / LLaVA-NeXT layout.
//
//   auto encoder = linea::vision::VisionEncoder::open("MiniMax-VL-01/");   // config.json + weights
//   linea::cpu::ThreadPool pool;
//   ImageEmbeddings e = encoder->encode(decode_image_file("photo.jpg").image, pool);
//   // e.embeddings: e.geometry.token_count rows of encoder->embedding_size() floats
//
// Immutable after opening; encode() may run from several threads with their own pools.
#pragma once

#include "engine/cpu/thread_pool.h"
#include "engine/io/tensor_source.h"
#include "vision/clip_vision.h"
#include "vision/preprocess.h"
#include "vision/projector.h"
#include "vision/rgb_image.h"
#include "vision/vision_config.h"

#include <filesystem>
#include <memory>
#include <vector>

namespace linea::vision {

struct ImageEmbeddings {
  AnyresGeometry geometry;
  std::vector<float> embeddings;  // F32 [geometry.token_count][embedding_size]
};

class VisionEncoder {
 public:
  // Reads `model_dir`/config.json and opens the weights with io::open_weights (safetensors, sharded
  // or not). Throws io::FormatError naming the file or tensor for anything missing or inconsistent.
  static std::unique_ptr<VisionEncoder> open(const std::filesystem::path& model_dir);

  VisionEncoder(const VisionLanguageConfig& config, std::unique_ptr<io::TensorSource> weights);

  const VisionLanguageConfig& config() const { return config_; }
  const PreprocessConfig& preprocess_config() const { return preprocess_; }
  int embedding_size() const { return projector_->output_size(); }

  ImageEmbeddings encode(const RgbImage& image, cpu::ThreadPool& pool) const;

  // The projected features of preprocessed tiles, before packing: F32 [tiles][tokens per tile][embedding_size].
  std::vector<float> encode_tiles(const PreprocessedImage& tiles, cpu::ThreadPool& pool) const;

 private:
  VisionLanguageConfig config_;
  PreprocessConfig preprocess_;
  std::unique_ptr<io::TensorSource> weights_;
  std::unique_ptr<ClipVisionModel> tower_;
  std::unique_ptr<MultiModalProjector> projector_;
};

}  // namespace linea::vision
