// The RWKV-7 goldens committed under tests/data/rwkv7 (made by tools/reference/make_rwkv7_goldens.py
// with the BlinkDL rwkv package): random small models as GGUF and Hugging Face folders, with the
// reference's logits for every position of a few token sequences.
#pragma once

#include "tests/support/testdata.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace linea::test {

struct GoldenSequence {
  std::vector<std::int32_t> tokens;
  std::vector<float> logits;  // [tokens.size(), n_vocab]
};

struct GoldenModel {
  std::string name;
  std::string gguf;  // absolute paths
  std::string hf_folder;
  std::int64_t n_vocab = 0;
  std::int64_t n_layer = 0;
  std::int64_t n_embd = 0;
  std::vector<GoldenSequence> sequences;
};

inline std::string golden_dir() { return sourcePath(QStringLiteral("tests/data/rwkv7")).toStdString(); }

inline std::vector<GoldenModel> read_golden_models() {
  const std::string dir = golden_dir();
  std::ifstream manifest_file(dir + "/goldens.json");
  if (!manifest_file) throw std::runtime_error("cannot read " + dir + "/goldens.json");
  const nlohmann::json manifest = nlohmann::json::parse(manifest_file);
  std::vector<GoldenModel> models;
  for (const nlohmann::json& entry : manifest.at("models")) {
    GoldenModel model;
    model.name = entry.at("name").get<std::string>();
    model.gguf = dir + "/" + entry.at("gguf").get<std::string>();
    model.hf_folder = dir + "/" + entry.at("hf_folder").get<std::string>();
    model.n_vocab = entry.at("n_vocab").get<std::int64_t>();
    model.n_layer = entry.at("n_layer").get<std::int64_t>();
    model.n_embd = entry.at("n_embd").get<std::int64_t>();
    std::ifstream logits_file(dir + "/" + entry.at("expected_logits").get<std::string>(), std::ios::binary);
    for (const nlohmann::json& tokens : entry.at("sequences")) {
      GoldenSequence sequence;
      sequence.tokens = tokens.get<std::vector<std::int32_t>>();
      sequence.logits.resize(sequence.tokens.size() * static_cast<std::size_t>(model.n_vocab));
      logits_file.read(reinterpret_cast<char*>(sequence.logits.data()),
                       static_cast<std::streamsize>(sequence.logits.size() * sizeof(float)));
      if (!logits_file) throw std::runtime_error("expected logits of " + model.name + " are short");
      model.sequences.push_back(std::move(sequence));
    }
    models.push_back(std::move(model));
  }
  return models;
}

}  // namespace linea::test
