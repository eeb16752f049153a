#include "vision/image_prompt.h"

#include <algorithm>
#include <stdexcept>
#include <string>

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

ImagePrompt expand_image_placeholder(std::span<const std::int32_t> tokens, std::int32_t placeholder,
                                     ImageEmbeddings image) {
  const auto count = std::count(tokens.begin(), tokens.end(), placeholder);
  if (count != 1)
    throw std::invalid_argument("the prompt holds " + std::to_string(count) + " image placeholders (token " +
                                std::to_string(placeholder) + "); one picture needs exactly one");
  const auto at = static_cast<std::size_t>(std::find(tokens.begin(), tokens.end(), placeholder) - tokens.begin());
  return make_image_prompt(tokens.first(at), tokens.subspan(at + 1), placeholder, std::move(image));
}

}  // namespace linea::vision
