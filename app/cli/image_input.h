// `--image FILE` for generate and logits: the picture decoded and encoded by the model folder's own
// vision tower (MiniMax-VL-01 / LLaVA-NeXT layout), and the prompt text split at the literal
// "<image>" (the picture goes first when the text has none); each part is encoded as plain text, so
// no other special token can sneak in.
#pragma once

#include "engine/cpu/thread_pool.h"
#include "engine/models/model.h"
#include "engine/tokenizer/tokenizer.h"
#include "vision/image_prompt.h"

#include <string>

namespace linea::cli {

// The vision tower of the model folder (or of the folder holding a model file). Throws with a message
// naming the model when the folder has no vision tower or the tower's output width differs from the
// language model's.
std::unique_ptr<vision::VisionEncoder> open_vision_encoder(const std::string& model_path, const Model& model);

// A picture encoded by the model folder's vision tower, and the token id its rows replace. Throws
// with a message naming the file when the folder has no vision tower, the image cannot be read, or
// the tower's output width differs from the language model's.
struct EncodedImage {
  vision::ImageEmbeddings embeddings;
  std::int32_t placeholder = -1;
};
EncodedImage encode_image(const std::string& model_path, const std::string& image_path, const Model& model,
                          cpu::ThreadPool& pool);

// The prompt text split at "<image>", each part encoded as plain text, with the picture between.
vision::ImagePrompt image_prompt(const std::string& model_path, const std::string& image_path,
                                 const std::string& prompt_text, const tokenizer::Tokenizer& tokenizer,
                                 const Model& model, cpu::ThreadPool& pool);

}  // namespace linea::cli
