#include "audio/text/spoken_numbers.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace linea::audio {
namespace {

constexpr std::array<std::string_view, 20> kEnglishSmall = {
    "zero", "one",    "two",    "three",    "four",     "five",    "six",     "seven",     "eight",    "nine",
    "ten",  "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr std::array<std::string_view, 10> kEnglishTens = {"",      "",      "twenty",  "thirty", "forty",
                                                           "fifty", "sixty", "seventy", "eighty", "ninety"};
constexpr std::array<std::string_view, 6> kEnglishScales = {"",        "thousand", "million",
                                                            "billion", "trillion", "quadrillion"};

constexpr std::array<std::string_view, 20> kGermanSmall = {
    "null", "eins", "zwei",  "drei",     "vier",     "fünf",     "sechs",    "sieben",   "acht",     "neun",
    "zehn", "elf",  "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn"};
constexpr std::array<std::string_view, 10> kGermanTens = {"",        "zehn",    "zwanzig", "dreißig", "vierzig",
                                                          "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"};

constexpr std::array<std::string_view, 10> kChineseDigits = {"零", "一", "二", "三", "四",
                                                             "五", "六", "七", "八", "九"};

// ---- English ----------------------------------------------------------------------------------

std::string english_below_1000(unsigned n) {
  std::string out;
  if (n >= 100) {
    out.append(kEnglishSmall[n / 100]).append(" hundred");
    n %= 100;
    if (n) out.push_back(' ');
  }
  if (n >= 20) {
    out.append(kEnglishTens[n / 10]);
    if (n % 10) out.append("-").append(kEnglishSmall[n % 10]);
  } else if (n > 0) {
    out.append(kEnglishSmall[n]);
  }
  return out;
}

std::string english_cardinal(std::uint64_t value) {
  if (value == 0) return "zero";
  std::vector<std::string> parts;
  for (std::size_t scale = 0; value > 0; ++scale, value /= 1000) {
    const auto group = static_cast<unsigned>(value % 1000);
    if (group == 0) continue;
    std::string part = english_below_1000(group);
    if (scale > 0) part.append(" ").append(kEnglishScales[scale]);
    parts.push_back(std::move(part));
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) out.append(out.empty() ? "" : " ").append(*it);
  return out;
}

std::string english_year(unsigned year) {  // 1100..1999
  const unsigned high = year / 100;
  const unsigned low = year % 100;
  std::string out = english_below_1000(high);
  if (low == 0) return out + " hundred";
  if (low < 10) return out + " oh " + std::string(kEnglishSmall[low]);
  return out + " " + english_below_1000(low);
}

// ---- German -----------------------------------------------------------------------------------

// `final_one`: a lone 1 at the end of a number is "eins"; inside a compound it is "ein".
std::string german_below_100(unsigned n, bool final_one) {
  if (n == 1) return final_one ? "eins" : "ein";
  if (n < 20) return std::string(kGermanSmall[n]);
  const unsigned units = n % 10;
  std::string out;
  if (units) out.append(units == 1 ? "ein" : kGermanSmall[units]).append("und");
  return out.append(kGermanTens[n / 10]);
}

std::string german_below_1000(unsigned n, bool final_one) {
  std::string out;
  if (n >= 100) {
    out.append(n / 100 == 1 ? "ein" : kGermanSmall[n / 100]).append("hundert");
    n %= 100;
  }
  if (n) out.append(german_below_100(n, final_one));
  return out;
}

std::string german_cardinal(std::uint64_t value) {
  if (value == 0) return "null";
  struct Scale {
    std::uint64_t size;
    std::string_view one;
    std::string_view many;
  };
  static constexpr std::array<Scale, 3> kScales = {{{1'000'000'000'000ULL, "eine Billion", "Billionen"},
                                                    {1'000'000'000ULL, "eine Milliarde", "Milliarden"},
                                                    {1'000'000ULL, "eine Million", "Millionen"}}};
  std::vector<std::string> parts;
  for (const Scale& scale : kScales) {
    const auto count = static_cast<unsigned>(value / scale.size % 1000);
    if (count == 1) parts.emplace_back(scale.one);
    if (count > 1) parts.push_back(german_below_1000(count, false) + " " + std::string(scale.many));
  }
  const auto thousands = static_cast<unsigned>(value / 1000 % 1000);
  const auto rest = static_cast<unsigned>(value % 1000);
  std::string small;
  if (thousands) small.append(german_below_1000(thousands, false)).append("tausend");
  if (rest) small.append(german_below_1000(rest, true));
  if (!small.empty()) parts.push_back(std::move(small));
  std::string out;
  for (const std::string& part : parts) out.append(out.empty() ? "" : " ").append(part);
  return out;
}

std::string german_year(unsigned year) {  // 1100..1999
  std::string out = german_below_100(year / 100, false) + "hundert";
  if (year % 100) out.append(german_below_100(year % 100, true));
  return out;
}

// ---- Chinese ----------------------------------------------------------------------------------

// 0 < n < 10000. `leading`: the group opens the number, so 10..19 read 十.. rather than 一十..
std::string chinese_group(unsigned n, bool leading) {
  static constexpr std::array<std::string_view, 4> kUnits = {"千", "百", "十", ""};
  const std::array<unsigned, 4> digits = {n / 1000, n / 100 % 10, n / 10 % 10, n % 10};
  std::string out;
  bool pending_zero = false;
  bool started = false;
  for (std::size_t i = 0; i < 4; ++i) {
    if (digits[i] == 0) {
      pending_zero = started;
      continue;
    }
    if (pending_zero) out.append("零");
    pending_zero = false;
    const bool bare_ten = i == 2 && digits[i] == 1 && !started && leading;
    if (!bare_ten) out.append(kChineseDigits[digits[i]]);
    out.append(kUnits[i]);
    started = true;
  }
  return out;
}

std::string chinese_cardinal(std::uint64_t value, bool leading = true) {
  if (value == 0) return std::string(kChineseDigits[0]);
  constexpr std::uint64_t kYi = 100'000'000ULL;
  constexpr std::uint64_t kWan = 10'000ULL;
  if (value >= kYi) {
    std::string out = chinese_cardinal(value / kYi, leading) + "亿";
    const std::uint64_t low = value % kYi;
    if (low == 0) return out;
    if (low < kYi / 10) out.append("零");
    return out + chinese_cardinal(low, false);
  }
  if (value >= kWan) {
    std::string out = chinese_group(static_cast<unsigned>(value / kWan), leading) + "万";
    const auto low = static_cast<unsigned>(value % kWan);
    if (low == 0) return out;
    if (low < 1000) out.append("零");
    return out + chinese_group(low, false);
  }
  return chinese_group(static_cast<unsigned>(value), leading);
}

// ---- shared -----------------------------------------------------------------------------------

std::string_view word_for_digit(char digit, SpeechLanguage language) {
  const auto d = static_cast<std::size_t>(digit - '0');
  switch (language) {
    case SpeechLanguage::german: return kGermanSmall[d];
    case SpeechLanguage::chinese: return kChineseDigits[d];
    default: return kEnglishSmall[d];
  }
}

std::string_view separator(SpeechLanguage language) { return language == SpeechLanguage::chinese ? "" : " "; }

std::string_view decimal_word(SpeechLanguage language) {
  switch (language) {
    case SpeechLanguage::german: return "Komma";
    case SpeechLanguage::chinese: return "点";
    default: return "point";
  }
}

std::string_view dotted_word(SpeechLanguage language) {
  return language == SpeechLanguage::german ? "Punkt" : decimal_word(language);
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::uint64_t parse_digits(std::string_view digits) {
  std::uint64_t value = 0;
  for (const char c : digits) value = value * 10 + static_cast<std::uint64_t>(c - '0');
  return value;
}

std::vector<std::string_view> split(std::string_view text, char by) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == by) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

// "1,234" style groups: a first group of 1-3 digits, then groups of exactly 3.
bool valid_grouping(const std::vector<std::string_view>& groups) {
  if (groups.size() < 2 || groups[0].empty() || groups[0].size() > 3) return false;
  return std::all_of(groups.begin() + 1, groups.end(), [](std::string_view g) { return g.size() == 3; });
}

std::string join_parts(const std::vector<std::string_view>& parts, std::string_view glue,
                       std::string (*speak)(std::string_view, SpeechLanguage), SpeechLanguage language) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out.append(glue);
    out.append(speak(parts[i], language));
  }
  return out;
}

// A whole number from its digits: digit by digit with a leading zero or beyond the largest value.
std::string spoken_integer(std::string_view digits, SpeechLanguage language) {
  if ((digits.size() > 1 && digits[0] == '0') || digits.size() > 15) return spoken_digits(digits, language);
  return spoken_cardinal(parse_digits(digits), language);
}

struct NumberToken {
  std::string integer;   // digits only
  std::string fraction;  // digits after the decimal mark, may be empty
  bool has_fraction = false;
};

// Reads a token of digits with '.' and ',' between them by the language's conventions. Returns
// false for shapes that are not one number (dotted versions, comma lists), handled by the caller.
bool parse_number_token(std::string_view token, SpeechLanguage language, NumberToken& number) {
  const char group_mark = language == SpeechLanguage::german ? '.' : ',';
  const char decimal_mark = language == SpeechLanguage::german ? ',' : '.';
  const auto decimal_parts = split(token, decimal_mark);
  if (decimal_parts.size() > 2) return false;
  std::string_view integer_part = decimal_parts[0];
  if (decimal_parts.size() == 2) {
    number.has_fraction = true;
    number.fraction = std::string(decimal_parts[1]);
  }
  const auto groups = split(integer_part, group_mark);
  if (groups.size() > 1) {
    if (!valid_grouping(groups)) {
      // German text with an English decimal point ("1.5") reads as a decimal.
      if (language == SpeechLanguage::german && groups.size() == 2 && !number.has_fraction) {
        number.integer = std::string(groups[0]);
        number.fraction = std::string(groups[1]);
        number.has_fraction = true;
        return all_digits(number.integer) && all_digits(number.fraction);
      }
      return false;
    }
    for (std::string_view group : groups) number.integer.append(group);
  } else {
    number.integer = std::string(integer_part);
  }
  return all_digits(number.integer) && (!number.has_fraction || all_digits(number.fraction));
}

std::string spoken_number(const NumberToken& number, SpeechLanguage language) {
  std::string out = spoken_integer(number.integer, language);
  if (number.has_fraction) {
    out.append(separator(language)).append(decimal_word(language)).append(separator(language));
    out.append(spoken_digits(number.fraction, language));
  }
  return out;
}

std::string spoken_token(std::string_view token, SpeechLanguage language) {
  NumberToken number;
  if (parse_number_token(token, language, number)) return spoken_number(number, language);
  if (token.find(',') == std::string_view::npos) {  // "1.2.3", "192.168.0.1": each part on its own
    const std::string glue =
        std::string(separator(language)) + std::string(dotted_word(language)) + std::string(separator(language));
    return join_parts(split(token, '.'), glue, spoken_integer, language);
  }
  return join_parts(split(token, ','), ", ", spoken_token, language);  // "3,14" in English: two numbers
}

std::string spoken_time(unsigned hours, unsigned minutes, SpeechLanguage language) {
  switch (language) {
    case SpeechLanguage::german: {
      std::string out = hours == 1 ? "ein" : german_cardinal(hours);
      out.append(" Uhr");
      if (minutes) out.append(" ").append(german_cardinal(minutes));
      return out;
    }
    case SpeechLanguage::chinese: {
      std::string out = chinese_cardinal(hours) + "点";
      if (minutes == 0) return out;
      if (minutes < 10) out.append("零");
      return out + chinese_cardinal(minutes) + "分";
    }
    default: {
      std::string out = english_cardinal(hours);
      if (minutes == 0) return out + " o'clock";
      if (minutes < 10) return out + " oh " + std::string(kEnglishSmall[minutes]);
      return out + " " + english_below_1000(minutes);
    }
  }
}

bool is_ascii_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_ascii_digit_char(char c) { return c >= '0' && c <= '9'; }

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The word just before position `at` (letters only), lowercased.
std::string previous_word(std::string_view text, std::size_t at) {
  std::size_t end = at;
  while (end > 0 && text[end - 1] == ' ') --end;
  std::size_t start = end;
  while (start > 0 && is_ascii_alpha(text[start - 1])) --start;
  return lowercase(text.substr(start, end - start));
}

bool is_year_cue(const std::string& word, SpeechLanguage language) {
  static constexpr std::array<std::string_view, 10> kEnglish = {"in", "since", "until",  "till",   "from",
                                                                "by", "year",  "around", "before", "after"};
  static constexpr std::array<std::string_view, 9> kGerman = {"im",  "jahr", "jahre", "jahres", "seit",
                                                              "bis", "von",  "anno",  "ab"};
  if (language == SpeechLanguage::english) return std::find(kEnglish.begin(), kEnglish.end(), word) != kEnglish.end();
  if (language == SpeechLanguage::german) return std::find(kGerman.begin(), kGerman.end(), word) != kGerman.end();
  return false;
}

}  // namespace

std::string spoken_cardinal(std::uint64_t value, SpeechLanguage language) {
  switch (language) {
    case SpeechLanguage::german: return german_cardinal(value);
    case SpeechLanguage::chinese: return chinese_cardinal(value);
    default: return english_cardinal(value);
  }
}

std::string spoken_ordinal_english(std::uint64_t value) {
  std::string words = english_cardinal(value);
  const std::size_t last_start = words.find_last_of(" -") == std::string::npos ? 0 : words.find_last_of(" -") + 1;
  const std::string last = words.substr(last_start);
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kIrregular = {{{"one", "first"},
                                                                                               {"two", "second"},
                                                                                               {"three", "third"},
                                                                                               {"five", "fifth"},
                                                                                               {"eight", "eighth"},
                                                                                               {"twelve", "twelfth"}}};
  for (const auto& [cardinal, ordinal] : kIrregular) {
    if (last == cardinal) return words.substr(0, last_start) + std::string(ordinal);
  }
  if (last == "nine") return words.substr(0, last_start) + "ninth";
  if (last.ends_with('y')) return words.substr(0, words.size() - 1) + "ieth";
  return words + "th";
}

std::string spoken_digits(std::string_view digits, SpeechLanguage language) {
  std::string out;
  for (const char digit : digits) {
    if (!out.empty()) out.append(separator(language));
    out.append(word_for_digit(digit, language));
  }
  return out;
}

namespace {

enum class Currency { none, dollar, euro };

constexpr std::string_view kEuroSign = "\xE2\x82\xAC";   // €
constexpr std::string_view kMinusSign = "\xE2\x88\x92";  // U+2212

std::string german_ordinal_dative(std::uint64_t value) {  // "am 3. Mai" -> "am dritten Mai"
  if (value == 1) return "ersten";
  if (value == 3) return "dritten";
  if (value == 7) return "siebten";
  if (value == 8) return "achten";
  return german_cardinal(value) + (value < 20 ? "ten" : "sten");
}

std::string spoken_money(const NumberToken& number, Currency currency, SpeechLanguage language) {
  const bool cents = number.has_fraction && number.fraction.size() == 2;
  const std::uint64_t whole = parse_digits(number.integer);
  if (language == SpeechLanguage::chinese) {
    return spoken_number(number, language) + (currency == Currency::dollar ? "美元" : "欧元");
  }
  if (language == SpeechLanguage::german) {
    std::string out = (whole == 1 ? std::string("ein") : spoken_integer(number.integer, language)) +
                      (currency == Currency::dollar ? " Dollar" : " Euro");
    if (cents && number.fraction != "00")
      out.append(" ").append(spoken_cardinal(parse_digits(number.fraction), language));
    if (number.has_fraction && !cents)
      return spoken_number(number, language) + (currency == Currency::dollar ? " Dollar" : " Euro");
    return out;
  }
  if (number.has_fraction && !cents)
    return spoken_number(number, language) + (currency == Currency::dollar ? " dollars" : " euros");
  const std::string unit = currency == Currency::dollar ? "dollar" : "euro";
  std::string out = spoken_integer(number.integer, language) + " " + unit + (whole == 1 ? "" : "s");
  if (cents && number.fraction != "00") {
    const std::uint64_t cent_value = parse_digits(number.fraction);
    out.append(" and ").append(english_cardinal(cent_value)).append(cent_value == 1 ? " cent" : " cents");
  }
  return out;
}

bool starts_with_german_month(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kMonths = {"Januar",    "Februar", "März",     "April",
                                                               "Mai",       "Juni",    "Juli",     "August",
                                                               "September", "Oktober", "November", "Dezember"};
  for (const std::string_view month : kMonths) {
    if (text.starts_with(month) && (text.size() == month.size() || !is_ascii_alpha(text[month.size()]))) return true;
  }
  return false;
}

}  // namespace

std::string expand_numbers(std::string_view text, SpeechLanguage language) {
  if (language == SpeechLanguage::other) return std::string(text);
  const bool chinese = language == SpeechLanguage::chinese;
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_ascii_digit_char(text[i])) {
      out.push_back(text[i++]);
      continue;
    }
    const char before = i > 0 ? text[i - 1] : ' ';
    if (is_ascii_alpha(before) || before == '_') {  // "H100", "mp3", "x_2", "v1.2": part of a name
      while (i < text.size()) {
        const bool name_char = std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_';
        const bool inner_dot = (text[i] == '.' || text[i] == '-') && i + 1 < text.size() &&
                               std::isalnum(static_cast<unsigned char>(text[i + 1]));
        if (!name_char && !inner_dot) break;
        out.push_back(text[i++]);
      }
      continue;
    }
    std::size_t end = i;
    while (end < text.size()) {
      if (is_ascii_digit_char(text[end])) {
        ++end;
      } else if ((text[end] == '.' || text[end] == ',') && end + 1 < text.size() &&
                 is_ascii_digit_char(text[end + 1])) {
        ++end;
      } else {
        break;
      }
    }
    const std::string_view token = text.substr(i, end - i);
    const std::string_view rest = text.substr(end);
    const std::uint64_t integer_value = all_digits(token) && token.size() <= 15 ? parse_digits(token) : 0;

    // Signs and units written before the number: "-5", "−5", "$5", "€5".
    std::size_t prefix_bytes = 0;
    bool negative = false;
    Currency currency = Currency::none;
    const std::string_view head = text.substr(0, i);
    if (head.ends_with('$'))
      currency = Currency::dollar, prefix_bytes = 1;
    else if (head.ends_with(kEuroSign))
      currency = Currency::euro, prefix_bytes = kEuroSign.size();
    const std::string_view before_unit = head.substr(0, head.size() - prefix_bytes);
    const auto sign_allowed = [&](std::size_t sign_bytes) {
      return before_unit.size() == sign_bytes || before_unit[before_unit.size() - sign_bytes - 1] == ' ' ||
             before_unit[before_unit.size() - sign_bytes - 1] == '(';
    };
    if (before_unit.ends_with('-') && sign_allowed(1))
      negative = true, prefix_bytes += 1;
    else if (before_unit.ends_with(kMinusSign) && sign_allowed(kMinusSign.size()))
      negative = true, prefix_bytes += kMinusSign.size();

    std::string words;
    std::size_t consumed_end = end;
    const auto two_letter_suffix = [&] {
      return rest.size() >= 2 && (rest.size() == 2 || !is_ascii_alpha(rest[2])) ? lowercase(rest.substr(0, 2))
                                                                                : std::string();
    };
    if (all_digits(token) && token.size() <= 2 && rest.size() >= 3 && rest[0] == ':' && all_digits(rest.substr(1, 2)) &&
        (rest.size() == 3 || !is_ascii_digit_char(rest[3])) && integer_value <= 24 &&
        parse_digits(rest.substr(1, 2)) < 60) {
      words = spoken_time(static_cast<unsigned>(integer_value), static_cast<unsigned>(parse_digits(rest.substr(1, 2))),
                          language);
      consumed_end = end + 3;
    } else if (chinese && all_digits(token) && token.size() == 4 && rest.starts_with("年")) {
      words = spoken_digits(token, language);  // 2024年: years are read digit by digit
    } else if (language == SpeechLanguage::english && all_digits(token) && token[0] != '0' && token.size() <= 15 &&
               (two_letter_suffix() == "st" || two_letter_suffix() == "nd" || two_letter_suffix() == "rd" ||
                two_letter_suffix() == "th")) {
      words = spoken_ordinal_english(integer_value);
      consumed_end = end + 2;
    } else if (language == SpeechLanguage::german && all_digits(token) && token.size() <= 2 && token[0] != '0' &&
               rest.size() > 2 && rest[0] == '.' && rest[1] == ' ' && starts_with_german_month(rest.substr(2))) {
      words = german_ordinal_dative(integer_value);
      consumed_end = end + 1;
    } else if (all_digits(token) && token.size() == 4 && token[0] != '0' && integer_value >= 1100 &&
               integer_value <= 1999 && !negative && currency == Currency::none &&
               is_year_cue(previous_word(text, i), language)) {
      const auto year = static_cast<unsigned>(integer_value);
      words = language == SpeechLanguage::german ? german_year(year) : english_year(year);
    } else {
      // Units written after the number: "5 €", "5€", "50%", "50 %".
      if (currency == Currency::none && rest.starts_with(kEuroSign))
        currency = Currency::euro, consumed_end += kEuroSign.size();
      else if (currency == Currency::none && rest.starts_with(" ") && rest.substr(1).starts_with(kEuroSign))
        currency = Currency::euro, consumed_end += 1 + kEuroSign.size();
      NumberToken number;
      if (currency != Currency::none && parse_number_token(token, language, number)) {
        words = spoken_money(number, currency, language);
      } else {
        words = spoken_token(token, language);
        if (currency != Currency::none) prefix_bytes -= currency == Currency::dollar ? 1 : kEuroSign.size();
      }
    }

    bool percent = false;
    if (consumed_end < text.size() && text[consumed_end] == '%') {
      percent = true;
      consumed_end += 1;
    } else if (consumed_end + 1 < text.size() && text[consumed_end] == ' ' && text[consumed_end + 1] == '%') {
      percent = true;
      consumed_end += 2;
    }
    out.erase(out.size() - std::min(prefix_bytes, out.size()));
    if (negative) words = (chinese ? "负" : "minus ") + words;
    if (percent) {
      if (chinese)
        words = "百分之" + words;
      else
        words.append(language == SpeechLanguage::german ? " Prozent" : " percent");
    }
    if (!chinese && !out.empty() && std::isalnum(static_cast<unsigned char>(out.back()))) out.push_back(' ');
    out.append(words);
    if (!chinese && consumed_end < text.size() && std::isalnum(static_cast<unsigned char>(text[consumed_end])))
      out.push_back(' ');
    i = consumed_end;
  }
  return out;
}

}  // namespace linea::audio
