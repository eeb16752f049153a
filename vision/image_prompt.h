// A prompt that shows the model one picture (MiniMax-VL-01 / LLaVA-NeXT): the text's tokens before
// and after the image, as many placeholder tokens between them as the picture has embedding rows,
// and those rows, which take the placeholders' place when the prompt is fed
// (Session FeedOptions::replaced).
#pragma once

#include "engine/models/model.h"
#include "vision/vision_encoder.h"

#include <cstdint>
#include <span>
#include <vector>

namespace linea::vision {

struct ImagePrompt {
  std::vector<std::int32_t> tokens;
  std::int64_t image_first = 0;  // position of the first placeholder
  std::int64_t image_tokens = 0;
  std::vector<float> rows;  // [image_tokens, width]

  EmbeddingRows replaced() const { return {image_first, rows}; }
};

ImagePrompt make_image_prompt(std::span<const std::int32_t> before, std::span<const std::int32_t> after,
                              std::int32_t placeholder, ImageEmbeddings image);

// The same from tokens that already hold the single placeholder (a rendered chat turn). Throws
// std::invalid_argument when they hold none or more than one.
ImagePrompt expand_image_placeholder(std::span<const std::int32_t> tokens, std::int32_t placeholder,
                                     ImageEmbeddings image);

}  // namespace linea::vision
