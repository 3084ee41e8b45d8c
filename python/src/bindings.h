// The parts of the _rmg extension module defined outside module.cc.
#pragma once

#include <pybind11/pybind11.h>

// _rmg.chat (chat.cc).
void BindChat(pybind11::module_& m);
