// Math rewards (RM-Gallery's gallery/rm/math/).
#pragma once

#include "rmg/registry.h"

namespace rmg::gallery {

RewardSpec MathVerifySpec();  // math_verify_reward: final answer equal to label.reference

}  // namespace rmg::gallery
