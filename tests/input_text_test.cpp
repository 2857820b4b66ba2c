// Untrusted text in messages and numbers (core/params.h): shown_text() keeps a message on one
// line whatever the bytes, and numbers given as text parse the same way for the CLI, the URL
// and the wasm API (they all go through check_param).
#include <string>

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

TEST(NumberText, UnknownNamesAreShownEscaped) {
  EXPECT_EQ(unknown_parameter("a\nb", {"x", "y"}), "unknown parameter 'a\\nb' (known: x, y)");
}

}  // namespace
