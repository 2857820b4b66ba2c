// Untrusted text in messages and numbers (core/params.h): shown_text() keeps a message on one
// line whatever the bytes, and numbers given as text parse the same way for the CLI, the URL
// and the wasm API (they all go through check_param).
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/params.h"

namespace {

using namespace rnn_lesson;

TEST(ShownText, EscapesLineBreaksAndControlCharacters) {
  EXPECT_EQ(shown_text("a\nb"), "a\\nb");
  EXPECT_EQ(shown_text("a\r\n\tb"), "a\\r\\n\\tb");
  EXPECT_EQ(shown_text(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(shown_text("\x1b[31m\x7f"), "\\x1b[31m\\x7f");
  EXPECT_EQ(shown_text("\xc2\x85"), "\\x85");                      // NEL, a C1 control
  EXPECT_EQ(shown_text("x\xe2\x80\xa8y\xe2\x80\xa9"), "x\\u2028y\\u2029");  // line/paragraph separators
}

TEST(ShownText, KeepsPrintableUnicodeAndEscapesBytesThatAreNotUtf8) {
  EXPECT_EQ(shown_text("h\xc3\xa9llo \xe2\x86\x92 \xf0\x9f\x99\x82"), "h\xc3\xa9llo \xe2\x86\x92 \xf0\x9f\x99\x82");
  EXPECT_EQ(shown_text("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(shown_text("\xc0\xaf"), "\\xc0\\xaf");          // overlong '/'
  EXPECT_EQ(shown_text("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a UTF-16 surrogate
  EXPECT_EQ(shown_text("ab\xe2\x86"), "ab\\xe2\\x86");       // cut short
}

TEST(ShownText, CutsLongTextAtACharacterBoundary) {
  EXPECT_EQ(shown_text(std::string(40, 'x')), std::string(40, 'x'));
  EXPECT_EQ(shown_text(std::string(41, 'x')), std::string(40, 'x') + "...");
  std::string arrows;
  for (int i = 0; i < 50; ++i) arrows += "\xe2\x86\x92";
  std::string forty;
  for (int i = 0; i < 40; ++i) forty += "\xe2\x86\x92";
  EXPECT_EQ(shown_text(arrows), forty + "...");
  EXPECT_EQ(shown_text(std::string(100, '\n'), 3), "\\n\\n\\n...");
}

ParamSpec real_spec() {
  ParamSpec s;
  s.name = "scale";
  s.type = ParamType::Real;
  s.min = 0;
  s.max = 10;
  return s;
}

std::string check(const std::string& text) {
  CheckedValue v;
  return check_param(real_spec(), ParamInput::from_text(text), v);
}

TEST(NumberText, SpacesAndTabsAroundAreIgnoredOtherWhitespaceIsRefusedOnBothSides) {
  EXPECT_EQ(check(" 1.5\t"), "");
  EXPECT_EQ(check("\t2 "), "");
  for (const char* bad : {"\n1", "1\n", "\r1", "1\r", "\v1", "1\f", "1 2"})
    EXPECT_NE(check(bad), "") << bad;
  EXPECT_EQ(check("1\n"), "scale must be a number from 0 to 10 (got '1\\n', not a number)");
}

TEST(NumberText, UnderflowOfANonZeroLiteralIsRefused) {
  EXPECT_EQ(check("1e-400"), "scale must be a number from 0 to 10 (got '1e-400', too small to represent: it would become 0)");
  EXPECT_NE(check("-2.5e-999"), "");
  EXPECT_NE(check("0.0001e-320"), "");
  EXPECT_EQ(check("0e-400"), "");   // zero, written with an exponent
  EXPECT_EQ(check("0.000"), "");
  EXPECT_EQ(check("1e-300"), "");   // small but representable
  EXPECT_EQ(check("5e-324"), "");   // the least subnormal is still not 0
}

TEST(NumberText, OnlyDecimalLiteralsAreNumbersNotTheWordsStrtodKnows) {
  for (const char* word : {"inf", "-Infinity", "INF", "nan", "NaN", "nan(1)", "+inf", "0x10", "-0X1p3", "+-1", "."})
    EXPECT_EQ(check(word), std::string("scale must be a number from 0 to 10 (got '") + word + "', not a number)");
  EXPECT_EQ(check("1e400"), "scale must be a number from 0 to 10 (got Infinity)");  // a number, out of range
  EXPECT_EQ(check("-.5e+1"), "scale must be a number from 0 to 10 (got -5)");
}

// read_text(): what the page's reading (the module's readText) gives, before any range.
TEST(ReadText, GivesEachElementAsReadWithItsTextAndNoRangeJudgement) {
  ParamSpec list = real_spec();
  list.type = ParamType::IntegerList;
  list.min = 1;
  list.max = 100;
  list.max_count = 4;
  const TextReading r = read_text(&list, " 2.5, 1e400,\t-1e-400 ,7");
  EXPECT_EQ(r.refused, "");
  ASSERT_EQ(r.numbers.size(), 4u);
  EXPECT_EQ(r.numbers[0], 2.5);
  EXPECT_EQ(r.numbers[1], std::numeric_limits<double>::infinity());
  EXPECT_EQ(r.numbers[2], 0.0);
  EXPECT_TRUE(std::signbit(r.numbers[2]));
  EXPECT_EQ(r.tiny, std::vector<int>{2});
  EXPECT_EQ(r.parts, (std::vector<std::string>{"2.5", "1e400", "-1e-400", "7"}));
  EXPECT_EQ(read_text(&list, "1,2,3,4,5").refused, "scale must be a list of 1 to 4 integers, each from 1 to 100 (got 5 values)");
  EXPECT_EQ(read_text(&list, "1,x").refused, "scale must be a list of 1 to 4 integers, each from 1 to 100 (got 'x', not a number)");
  EXPECT_EQ(read_text(&list, " \t").refused, "scale must be a list of 1 to 4 integers, each from 1 to 100 (got an empty list)");
  const ParamSpec one = real_spec();
  EXPECT_EQ(read_text(&one, "1,2").refused, "scale must be a number from 0 to 10 (got a list of 2)");
  EXPECT_EQ(read_text(&one, "-3").numbers, std::vector<double>{-3});  // out of range, still read
  // No spec: numbers of any count (a page's own setting).
  EXPECT_EQ(read_text(nullptr, "1,2,3").numbers, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(read_text(nullptr, "nan").refused, "the value must be numbers separated by commas (got 'nan', not a number)");
  EXPECT_EQ(read_text(&one, std::string(10, '1'), 5000).refused, "scale must be a number from 0 to 10 (got 5000 characters of text)");
}

TEST(ReadText, ChoiceListsAreReadByCheckParamAndSettingsByName) {
  ParamSpec names;
  names.name = "models";
  names.type = ParamType::ChoiceList;
  names.max_count = 3;
  names.choices = {"rnn", "lstm", "gru"};
  EXPECT_EQ(read_text(&names, "gru, rnn").names, (std::vector<std::string>{"gru", "rnn"}));
  CheckedValue v;
  EXPECT_EQ(read_text(&names, "rnn,rnn").refused, check_param(names, ParamInput::from_text("rnn,rnn"), v));
  TextReading r;
  EXPECT_EQ(read_setting({names, real_spec()}, "scale", "4", 0, r), "");
  EXPECT_EQ(r.numbers, std::vector<double>{4});
  EXPECT_EQ(read_setting({names, real_spec()}, "x", "4", 0, r), "unknown parameter 'x' (known: models, scale)");
  EXPECT_EQ(read_setting({}, "", "4,5", 0, r), "");
  EXPECT_EQ(r.numbers, (std::vector<double>{4, 5}));
}

TEST(NumberText, UnknownNamesAreShownEscaped) {
  EXPECT_EQ(unknown_parameter("a\nb", {"x", "y"}), "unknown parameter 'a\\nb' (known: x, y)");
}

}  // namespace
