// cli/instances/point_circle.cpp - the `icrl` commands for point-circle (ICRL); see instance.hpp.
#define ICRL_CLI_ENTRY PointCircleEntry
#define ICRL_CLI_ZETA ZetaShape6
#define ICRL_CLI_ZETA_X ZetaShapeX
#include "instance.hpp"
