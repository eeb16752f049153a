#include "engine/runtime/model_bundle.h"

#include "engine/models/registry.h"
#include "engine/runtime/byte_tokenizer.h"
#include "engine/tokenizer/tokenizer_loader.h"

namespace linea {

namespace {

void use_bytes_if_byte_model(ModelBundle& bundle) {
  if (bundle.model->info().n_vocab == 256) {
    bundle.tokenizer = std::make_shared<ByteTokenizer>();
    bundle.tokenizer_source = "bytes";
    bundle.tokenizer_error.clear();
  }
}

}  // namespace

ModelBundle bundle_without_files(std::shared_ptr<const Model> model) {
  ModelBundle bundle;
  bundle.model = std::move(model);
  bundle.tokenizer_error = "the model has no tokenizer";
  use_bytes_if_byte_model(bundle);
  return bundle;
}

ModelBundle open_model_bundle(const std::filesystem::path& path) {
  ModelBundle bundle;
  bundle.model = load_model(path);
  try {
    tokenizer::LoadedTokenizer loaded = tokenizer::load_tokenizer(path);
    bundle.tokenizer = std::move(loaded.tokenizer);
    bundle.tokenizer_source = loaded.source.string();
    if (loaded.chat_hints.model_type.empty()) loaded.chat_hints.model_type = bundle.model->info().architecture;
    bundle.chat_family = tokenizer::detect_chat_family(loaded.chat_hints);
  } catch (const std::exception& error) {
    bundle.tokenizer_error = error.what();
    use_bytes_if_byte_model(bundle);
  }
  if (!bundle.chat_family && bundle.model->info().architecture == "rwkv7")
    bundle.chat_family = tokenizer::ChatFamily::rwkv_g1;
  return bundle;
}

}  // namespace linea
