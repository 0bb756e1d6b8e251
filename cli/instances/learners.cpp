// cli/instances/learners.cpp - the constraint learners' backward steps (ConstraintLearner::backward
// and ::bce_step), one per zeta shape of cli/envs.hpp, two shapes per compile (ICRL_CLI_PART,
// cli/meson.build).
#include "envs.hpp"

namespace icrl {

#if ICRL_CLI_PART == 4
ICRL_CLI_LEARNER(, ZetaShape3)
ICRL_CLI_LEARNER(, ZetaShape6)
#elif ICRL_CLI_PART == 5
ICRL_CLI_LEARNER(, ZetaShape10)
ICRL_CLI_LEARNER(, ZetaShapeX)
#elif ICRL_CLI_PART == 6 && defined(ICRL_HAVE_BOX2D)
ICRL_CLI_LEARNER(, ZetaShape24)
ICRL_CLI_LEARNER(, ZetaShape30)
#endif

}  // namespace icrl
