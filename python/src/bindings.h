// The parts of the _rmg extension module defined outside module.cc.
#pragma once

#include <pybind11/pybind11.h>

// _rmg.chat (chat.cc).
void BindChat(pybind11::module_& m);

// _rmg.reply_tags, judge_violations and judge_best (judgment.cc).
void BindJudgment(pybind11::module_& m);

// _rmg.dump_model_json and _rmg.load_model_json (model_json.cc).
void BindModelJson(pybind11::module_& m);

// _rmg.refinement_feedback, refinement_prompt and without_thinking (refinement.cc).
void BindRefinement(pybind11::module_& m);
