// LabelReferences: where the translation metrics find an answer's references, and
// what they say when there are none.
#include "gallery/general/references.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace rmg::gallery {
namespace {

Step ReferencesStep(const Json& label) {
  Step step;
  step.role = "assistant";
  step.content = "hypothesis";
  step.label = label;
  return step;
}

std::vector<std::string> ReferencesOf(const Step& step) {
  std::vector<std::string> copies;
  for (std::string_view view : LabelReferences(step)) copies.emplace_back(view);
  return copies;
}

// The message LabelReferences throws for `label`, or "" if it does not throw.
std::string ReferencesError(const Json& label) {
  try {
    LabelReferences(ReferencesStep(label));
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

constexpr const char* kNoReferenceMessage = "answer.label has no reference (label.reference or label.references)";

TEST(LabelReferencesTest, ASingleReferenceIsAOneElementList) {
  EXPECT_EQ(ReferencesOf(ReferencesStep({{"reference", "the cat sat"}})), std::vector<std::string>{"the cat sat"});
}

TEST(LabelReferencesTest, TheListKeepsItsOrderAndDuplicates) {
  const Step step = ReferencesStep({{"references", {"b", "a", "b", ""}}});
  EXPECT_EQ(ReferencesOf(step), (std::vector<std::string>{"b", "a", "b", ""}));
}

TEST(LabelReferencesTest, TheListWinsOverTheSingleReference) {
  const Step step = ReferencesStep({{"reference", "single"}, {"references", {"first", "second"}}});
  EXPECT_EQ(ReferencesOf(step), (std::vector<std::string>{"first", "second"}));
}

// An empty list is no list: the single reference is used, and without one the
// answer has no reference at all.
TEST(LabelReferencesTest, AnEmptyListFallsBackToTheSingleReference) {
  EXPECT_EQ(ReferencesOf(ReferencesStep({{"references", Json::array()}, {"reference", "single"}})),
            std::vector<std::string>{"single"});
  EXPECT_EQ(ReferencesError({{"references", Json::array()}}), kNoReferenceMessage);
}

// The views point into the label itself: no copy per answer.
TEST(LabelReferencesTest, ViewsPointIntoTheLabel) {
  const Step step = ReferencesStep({{"reference", "one"}, {"references", {"two", "three"}}});
  const std::vector<std::string_view> views = LabelReferences(step);
  ASSERT_EQ(views.size(), 2u);
  EXPECT_EQ(views[0].data(), step.label["references"][0].get_ref<const std::string&>().data());
  EXPECT_EQ(views[1].data(), step.label["references"][1].get_ref<const std::string&>().data());
  const Step single = ReferencesStep({{"reference", "one"}});
  EXPECT_EQ(LabelReferences(single)[0].data(), single.label["reference"].get_ref<const std::string&>().data());
}

TEST(LabelReferencesTest, TextIsPassedOnByteForByte) {
  const std::string text = std::string("  Grüße, 世界 \t\n", 19) + std::string("\0x", 2);
  EXPECT_EQ(ReferencesOf(ReferencesStep({{"references", {text}}})), std::vector<std::string>{text});
}

TEST(LabelReferencesTest, AnswersWithoutAReferenceAreRejected) {
  EXPECT_EQ(ReferencesError(nullptr), kNoReferenceMessage);
  EXPECT_EQ(ReferencesError(Json::object()), kNoReferenceMessage);
  EXPECT_EQ(ReferencesError({{"reference", nullptr}}), kNoReferenceMessage);
  EXPECT_EQ(ReferencesError({{"ground_truth", "x"}}), kNoReferenceMessage);
  // A label that is not an object has no fields at all.
  EXPECT_EQ(ReferencesError("the cat sat"), kNoReferenceMessage);
  EXPECT_EQ(ReferencesError(Json::array({"the cat sat"})), kNoReferenceMessage);
}

TEST(LabelReferencesTest, ListItemsMustBeStrings) {
  EXPECT_EQ(ReferencesError({{"references", {"fine", 42}}}), "label.references must hold strings, got number");
  EXPECT_EQ(ReferencesError({{"references", {nullptr}}}), "label.references must hold strings, got null");
  EXPECT_EQ(ReferencesError({{"references", {{"nested"}}}, {"reference", "x"}}),
            "label.references must hold strings, got array");
}

// A reference that is there but not text (or a list that is not a list) must not be
// reported as missing: the user would look for a typo in the key instead of at the
// value.
TEST(LabelReferencesTest, AMistypedReferenceIsNotCalledMissing) {
  for (const Json& label : {Json{{"reference", 42}}, Json{{"reference", {"a", "b"}}}, Json{{"references", "one"}}}) {
    const std::string error = ReferencesError(label);
    EXPECT_NE(error, kNoReferenceMessage) << label.dump();
    EXPECT_NE(error, "") << label.dump();
    EXPECT_NE(error.find("label.reference"), std::string::npos) << label.dump() << ": " << error;
  }
}

}  // namespace
}  // namespace rmg::gallery
