#include "app/cli/image_input.h"

#include "vision/image_decode.h"
#include "vision/vision_encoder.h"

#include <filesystem>
#include <stdexcept>

namespace linea::cli {

std::unique_ptr<vision::VisionEncoder> open_vision_encoder(const std::string& model_path, const Model& model) {
  std::filesystem::path folder = model_path;
  if (!std::filesystem::is_directory(folder)) folder = folder.parent_path();
  std::unique_ptr<vision::VisionEncoder> encoder = vision::VisionEncoder::open(folder);
  if (encoder->embedding_size() != model.info().n_embd)
    throw std::runtime_error(model_path + ": the vision projector gives rows of " +
                             std::to_string(encoder->embedding_size()) + " values, the language model takes " +
                             std::to_string(model.info().n_embd));
  return encoder;
}

EncodedImage encode_image(const std::string& model_path, const std::string& image_path, const Model& model,
                          cpu::ThreadPool& pool) {
  const std::unique_ptr<vision::VisionEncoder> encoder = open_vision_encoder(model_path, model);
  EncodedImage encoded;
  encoded.placeholder = encoder->config().image_token_index;
  if (encoded.placeholder < 0 || encoded.placeholder >= model.info().n_vocab)
    throw std::runtime_error(model_path + ": image_token_index " + std::to_string(encoded.placeholder) +
                             " is outside the vocabulary");
  encoded.embeddings = encoder->encode(vision::decode_image_file(image_path).image, pool);
  return encoded;
}

vision::ImagePrompt image_prompt(const std::string& model_path, const std::string& image_path,
                                 const std::string& prompt_text, const tokenizer::Tokenizer& tokenizer,
                                 const Model& model, cpu::ThreadPool& pool) {
  EncodedImage image = encode_image(model_path, image_path, model, pool);
  static constexpr std::string_view kMarker = "<image>";
  const std::size_t marker = prompt_text.find(kMarker);
  if (marker != std::string::npos && prompt_text.find(kMarker, marker + 1) != std::string::npos)
    throw std::invalid_argument("the prompt holds more than one <image>; one --image fills one place");
  const std::string before = marker == std::string::npos ? std::string() : prompt_text.substr(0, marker);
  const std::string after = marker == std::string::npos ? prompt_text : prompt_text.substr(marker + kMarker.size());
  return vision::make_image_prompt(tokenizer.encode(before, /*allow_special=*/false),
                                   tokenizer.encode(after, /*allow_special=*/false), image.placeholder,
                                   std::move(image.embeddings));
}

}  // namespace linea::cli
