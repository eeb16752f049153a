#include "app/cli/argument_parser.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <ostream>
#include <sstream>
#include <utility>

namespace linea::cli {

ArgumentParser::ArgumentParser(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {}

void ArgumentParser::add_flag(std::vector<std::string> spellings, std::string help) {
  options_.push_back({std::move(spellings), {}, std::move(help), std::nullopt, std::nullopt});
}

void ArgumentParser::add_option(std::vector<std::string> spellings, std::string value_name, std::string help,
                                std::optional<std::string> default_value) {
  options_.push_back({std::move(spellings), std::move(value_name), std::move(help), std::move(default_value),
                      std::nullopt});
}

void ArgumentParser::add_positional(std::string name, std::string help, bool required) {
  positionals_.push_back({std::move(name), std::move(help), required, std::nullopt});
}

const ArgumentParser::Option* ArgumentParser::find(const std::string& spelling) const {
  for (const Option& option : options_) {
    if (std::find(option.spellings.begin(), option.spellings.end(), spelling) != option.spellings.end())
      return &option;
  }
  return nullptr;
}

ArgumentParser::Option* ArgumentParser::find(const std::string& spelling) {
  return const_cast<Option*>(std::as_const(*this).find(spelling));
}

void ArgumentParser::parse(const std::vector<std::string>& arguments) {
  std::size_t next_positional = 0;
  bool options_ended = false;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    const bool looks_like_option = !options_ended && argument.size() > 1 && argument[0] == '-' &&
                                   !(argument.size() > 1 && (std::isdigit(static_cast<unsigned char>(argument[1])) ||
                                                             argument[1] == '.'));
    if (!options_ended && argument == "--") {
      options_ended = true;
      continue;
    }
    if (looks_like_option) {
      std::string name = argument;
      std::optional<std::string> inline_value;
      if (const auto equals = argument.find('='); equals != std::string::npos && argument.starts_with("--")) {
        name = argument.substr(0, equals);
        inline_value = argument.substr(equals + 1);
      }
      Option* option = find(name);
      if (option == nullptr) throw UsageError("unknown option '" + name + "' (see " + program_ + " --help)");
      if (option->seen) throw UsageError("option '" + name + "' given more than once");
      option->seen = true;
      if (option->value_name.empty()) {
        if (inline_value) throw UsageError("option '" + name + "' takes no value");
        continue;
      }
      if (inline_value) {
        option->value = *inline_value;
      } else {
        if (i + 1 >= arguments.size()) throw UsageError("option '" + name + "' needs a value " + option->value_name);
        option->value = arguments[++i];
      }
      continue;
    }
    if (next_positional >= positionals_.size()) throw UsageError("unexpected argument '" + argument + "'");
    positionals_[next_positional++].value = argument;
  }
  for (const Positional& positional : positionals_) {
    if (positional.required && !positional.value) throw UsageError("missing argument " + positional.name);
  }
}

bool ArgumentParser::parse_or_help(const std::vector<std::string>& arguments, std::ostream& out) {
  for (const std::string& argument : arguments) {
    if (argument == "--") break;
    if (argument == "-h" || argument == "--help") {
      out << help();
      return false;
    }
  }
  parse(arguments);
  return true;
}

bool ArgumentParser::has(const std::string& spelling) const {
  const Option* option = find(spelling);
  return option != nullptr && (option->seen || option->default_value.has_value());
}

std::optional<std::string> ArgumentParser::optional_value(const std::string& spelling) const {
  const Option* option = find(spelling);
  if (option == nullptr) return std::nullopt;
  if (option->value) return option->value;
  return option->default_value;
}

std::string ArgumentParser::value(const std::string& spelling) const {
  auto result = optional_value(spelling);
  if (!result) throw UsageError("option '" + spelling + "' is required");
  return *result;
}

long long ArgumentParser::integer(const std::string& spelling) const {
  const std::string text = value(spelling);
  errno = 0;
  char* end = nullptr;
  const long long parsed = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE)
    throw UsageError("option '" + spelling + "' expects an integer, got '" + text + "'");
  return parsed;
}

double ArgumentParser::number(const std::string& spelling) const {
  const std::string text = value(spelling);
  errno = 0;
  char* end = nullptr;
  const double parsed = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE)
    throw UsageError("option '" + spelling + "' expects a number, got '" + text + "'");
  return parsed;
}

std::optional<std::string> ArgumentParser::positional(const std::string& name) const {
  for (const Positional& positional : positionals_) {
    if (positional.name == name) return positional.value;
  }
  return std::nullopt;
}

std::string ArgumentParser::help() const {
  std::ostringstream out;
  out << "usage: " << program_;
  if (!options_.empty()) out << " [options]";
  for (const Positional& positional : positionals_)
    out << ' ' << (positional.required ? "" : "[") << positional.name << (positional.required ? "" : "]");
  out << "\n\n" << summary_ << "\n";
  if (!positionals_.empty() || !options_.empty()) out << '\n';
  for (const Positional& positional : positionals_) out << "  " << positional.name << "\n      " << positional.help << '\n';
  for (const Option& option : options_) {
    out << "  ";
    for (std::size_t i = 0; i < option.spellings.size(); ++i) out << (i ? ", " : "") << option.spellings[i];
    if (!option.value_name.empty()) out << ' ' << option.value_name;
    out << "\n      " << option.help;
    if (option.default_value) out << " (default: " << *option.default_value << ")";
    out << '\n';
  }
  return out.str();
}

}  // namespace linea::cli
