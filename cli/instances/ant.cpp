// cli/instances/ant.cpp - the `icrl` commands for the ant (ICRL, Box2D); see instance.hpp.
#define ICRL_CLI_ENTRY AntEntry
#define ICRL_CLI_ZETA ZetaShape30
#define ICRL_CLI_ZETA_X ZetaShapeX
#include "instance.hpp"
