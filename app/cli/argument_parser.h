// A small, strict command-line parser: declared flags and options, positionals, generated help.
// Unknown flags, missing values and bad numbers are usage errors that name the offending argument.
#pragma once

#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace linea::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ArgumentParser {
 public:
  ArgumentParser(std::string program, std::string summary);

  // A boolean switch, e.g. add_flag({"--json"}, "print one JSON object").
  void add_flag(std::vector<std::string> spellings, std::string help);
  // An option taking one value, e.g. add_option({"-n", "--n-predict"}, "N", "tokens to generate").
  void add_option(std::vector<std::string> spellings, std::string value_name, std::string help,
                  std::optional<std::string> default_value = std::nullopt);
  void add_positional(std::string name, std::string help, bool required = true);

  // Throws UsageError. "--" ends option parsing; "--name=value" is accepted for options.
  void parse(const std::vector<std::string>& arguments);
  // parse(), unless "-h" or "--help" appears before "--": then prints help() to `out` and returns
  // false without checking the rest (so a command's help works without its required arguments).
  bool parse_or_help(const std::vector<std::string>& arguments, std::ostream& out);

  bool has(const std::string& spelling) const;  // flag given, or option given / defaulted
  std::string value(const std::string& spelling) const;  // throws UsageError when absent
  std::optional<std::string> optional_value(const std::string& spelling) const;
  long long integer(const std::string& spelling) const;  // value() parsed strictly as an integer
  double number(const std::string& spelling) const;      // value() parsed strictly as a number
  std::optional<std::string> positional(const std::string& name) const;

  std::string help() const;

 private:
  struct Option {
    std::vector<std::string> spellings;
    std::string value_name;  // empty for a flag
    std::string help;
    std::optional<std::string> default_value;
    std::optional<std::string> value;
    bool seen = false;
  };
  struct Positional {
    std::string name;
    std::string help;
    bool required;
    std::optional<std::string> value;
  };

  const Option* find(const std::string& spelling) const;
  Option* find(const std::string& spelling);

  std::string program_;
  std::string summary_;
  std::vector<Option> options_;
  std::vector<Positional> positionals_;
};

}  // namespace linea::cli
