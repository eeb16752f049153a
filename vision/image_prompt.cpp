#include "vision/image_prompt.h"

namespace linea::vision {

ImagePrompt make_image_prompt(std::span<const std::int32_t> before, std::span<const std::int32_t> after,
                              std::int32_t placeholder, ImageEmbeddings image) {
  ImagePrompt prompt;
  prompt.image_tokens = image.geometry.token_count;
  prompt.image_first = static_cast<std::int64_t>(before.size());
  prompt.tokens.assign(before.begin(), before.end());
  prompt.tokens.insert(prompt.tokens.end(), static_cast<std::size_t>(prompt.image_tokens), placeholder);
  prompt.tokens.insert(prompt.tokens.end(), after.begin(), after.end());
  prompt.rows = std::move(image.embeddings);
  return prompt;
}

}  // namespace linea::vision
