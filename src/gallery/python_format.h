// Python's number formatting, for reason texts that must read exactly as
// RM-Gallery's f-strings do.
#pragma once

#include <string>

namespace rmg::gallery {

// f"{value:.{digits}f}"
std::string FormatFixed(double value, int digits);

// str(value) / repr(value) of a Python float: shortest round-trip digits, "1.0",
// "1e-07", "-0.0", "inf", "nan".
std::string PythonFloatRepr(double value);

}  // namespace rmg::gallery
