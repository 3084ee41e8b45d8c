// The XML-tag output contract of RM-Gallery's judge prompts: the "Output
// Requirement" text that asks for <field>...</field> blocks, and the reader that
// takes them back out of a model's reply.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace rmg::llm {

// One tag the judge must write: <name>description</name> in the schema text.
struct OutputField {
  std::string name;
  std::string description;
};

// RM-Gallery's first field of every template: {"reason", "your reasoning trace"}.
OutputField ReasonField();

// BasePromptTemplate.schema(): "Note: Ensure all outputs are placed within the tags
// like <tag> </tag> as required!!!\n" then "<name>\ndescription\n</name>\n" per field,
// in order. With `enable_thinking` the field named "reason" is left out, because a
// thinking model's reasoning arrives in its own channel.
std::string RenderOutputSchema(const std::vector<OutputField>& fields, bool enable_thinking);

// True if `name` matches [A-Za-z_][A-Za-z0-9_.-]*, the tag names ParseOutputTags() reads.
bool IsTagName(std::string_view name);

// The tags of a reply: for each tag name, the body of its last complete
// <name>...</name> pair (the one closing last), stripped of (Python) whitespace.
// Text around tags is ignored, an open tag without its close is ignored, and other
// tags inside a body stay in it. Tags inside a <reason> or <think> body are what the
// reasoning quotes, not fields ("<reason>not <best>1</best></reason><best>2</best>"
// gives best = "2", and "<reason>... <best>3</best> ...</reason>" no best); inside
// any other tag, such as an <answer> wrapper, they are fields. Tag names match
// [A-Za-z_][A-Za-z0-9_.-]*; anything else in angle brackets ("<3", "<a href=...>")
// is text. A close tag matches the nearest open tag of its name before it, so
// "<a>x<a>y</a>z</a>" gives a = "x<a>y</a>z".
//
// RM-Gallery parses with re.findall(r"<([^>]+)>(.*)</\1>", DOTALL), which is greedy:
// a body runs from the first open tag to the last close tag of that name, so
// "<best>1</best> ... <best>2</best>" gives best = "1</best> ... <best>2", which
// int() rejects, and a <think> block that opens the reply swallows every tag inside
// it. Here a model that corrects itself ("<best>1</best>, no: <best>2</best>") is
// read as its final word, and SplitThinking() keeps tags in the reasoning out.
//
// Each '<' is looked at once, the complete pairs are sorted, and only the final
// body of each name is copied.
std::map<std::string, std::string> ParseOutputTags(std::string_view text);

// The judge's reasoning: the <think> body when it is non-empty (RM-Gallery's rubric
// parsers prefer the `think` alias), else the <reason> body, else "".
std::string ReasonText(const std::map<std::string, std::string>& tags);

// A reply split into the reasoning a thinking model wrote before its answer and the
// answer itself. Views into the content passed to SplitThinking().
struct ThinkingSplit {
  std::string_view thinking;
  std::string_view answer;
};

// Separates leading reasoning from the answer, so that tags a model drafts while
// thinking ("maybe <best>1</best>? no...") are not read as its verdict:
//  - content that starts (after whitespace) with <think>: thinking is the text up to
//    the first </think>, answer what follows it; with no </think> the whole reply is
//    thinking and the answer is empty (the model ran out of tokens while thinking);
//  - content with a </think> but no <think> before it (reasoning models whose chat
//    template already opened the block in the prompt): thinking is the text before
//    it, answer what follows;
//  - anything else: no thinking, the whole content is the answer.
ThinkingSplit SplitThinking(std::string_view content);

}  // namespace rmg::llm
