// cli/instances/grid8.cpp - the `icrl` commands for the 8-action grid maps; see instance.hpp.
#define ICRL_CLI_ENTRY Grid8Entry
#define ICRL_CLI_ZETA ZetaShape10
#define ICRL_CLI_TABULAR
#include "instance.hpp"
