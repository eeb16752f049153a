#include "engine/models/config_reader.h"

#include "engine/io/format_error.h"

namespace linea {

const nlohmann::json* ConfigReader::find(const std::string& key) const {
  const auto found = object_.find(key);
  if (found == object_.end() || found->is_null()) return nullptr;
  return &*found;
}

bool ConfigReader::has(const std::string& key) const { return find(key) != nullptr; }

void ConfigReader::fail(const std::string& key, const std::string& message) const {
  throw io::FormatError(file_, std::nullopt, "config key '" + qualified(key) + "' " + message);
}

std::optional<std::int64_t> ConfigReader::integer(const std::string& key) const {
  const nlohmann::json* value = find(key);
  if (!value) return std::nullopt;
  if (!value->is_number_integer()) fail(key, "must be an integer, found " + value->dump());
  return value->get<std::int64_t>();
}

std::int64_t ConfigReader::require_integer(const std::string& key) const {
  const std::optional<std::int64_t> value = integer(key);
  if (!value) fail(key, "is missing");
  return *value;
}

std::int64_t ConfigReader::positive(const std::string& key, std::optional<std::int64_t> fallback) const {
  const std::optional<std::int64_t> value = integer(key);
  if (!value) {
    if (!fallback) fail(key, "is missing");
    return *fallback;
  }
  if (*value <= 0) fail(key, "must be positive, found " + std::to_string(*value));
  return *value;
}

std::optional<double> ConfigReader::number(const std::string& key) const {
  const nlohmann::json* value = find(key);
  if (!value) return std::nullopt;
  if (!value->is_number()) fail(key, "must be a number, found " + value->dump());
  return value->get<double>();
}

std::optional<bool> ConfigReader::boolean(const std::string& key) const {
  const nlohmann::json* value = find(key);
  if (!value) return std::nullopt;
  if (!value->is_boolean()) fail(key, "must be true or false, found " + value->dump());
  return value->get<bool>();
}

std::optional<std::string> ConfigReader::string(const std::string& key) const {
  const nlohmann::json* value = find(key);
  if (!value) return std::nullopt;
  if (!value->is_string()) fail(key, "must be a string, found " + value->dump());
  return value->get<std::string>();
}

std::optional<std::vector<nlohmann::json>> ConfigReader::array(const std::string& key) const {
  const nlohmann::json* value = find(key);
  if (!value) return std::nullopt;
  if (!value->is_array()) fail(key, "must be a list, found " + value->dump());
  return value->get<std::vector<nlohmann::json>>();
}

std::optional<ConfigReader> ConfigReader::child(const std::string& key) const {
  const nlohmann::json* value = find(key);
  if (!value) return std::nullopt;
  if (!value->is_object()) fail(key, "must be an object");
  return ConfigReader(*value, file_, qualified(key));
}

}  // namespace linea
