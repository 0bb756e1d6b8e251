// cli/instances/grid4.cpp - the `icrl` commands for the 4-action grid maps; see instance.hpp.
#define ICRL_CLI_ENTRY Grid4Entry
#define ICRL_CLI_ZETA ZetaShape6
#define ICRL_CLI_TABULAR
#include "instance.hpp"
