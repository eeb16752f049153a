// Typed look-ups in a Hugging Face config.json with errors that name the file and the key. Nested
// objects (text_config, rope_parameters) are read through child readers that keep the path.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace linea {

class ConfigReader {
 public:
  ConfigReader(const nlohmann::json& object, std::string file, std::string path = "")
      : object_(object), file_(std::move(file)), path_(std::move(path)) {}

  bool has(const std::string& key) const;  // present and not null
  const nlohmann::json* find(const std::string& key) const;

  std::optional<std::int64_t> integer(const std::string& key) const;
  std::int64_t require_integer(const std::string& key) const;
  // A positive integer, or `fallback` when the key is absent.
  std::int64_t positive(const std::string& key, std::optional<std::int64_t> fallback = std::nullopt) const;
  std::optional<double> number(const std::string& key) const;
  std::optional<bool> boolean(const std::string& key) const;
  std::optional<std::string> string(const std::string& key) const;
  std::optional<std::vector<nlohmann::json>> array(const std::string& key) const;
  // The object under `key`, or std::nullopt when absent; throws when it is not an object.
  std::optional<ConfigReader> child(const std::string& key) const;

  [[noreturn]] void fail(const std::string& key, const std::string& message) const;
  const std::string& file() const { return file_; }

 private:
  std::string qualified(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  const nlohmann::json& object_;
  std::string file_;
  std::string path_;
};

}  // namespace linea
