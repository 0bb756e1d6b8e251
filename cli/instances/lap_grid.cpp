// cli/instances/lap_grid.cpp - the `icrl` commands for lap-grid; see instance.hpp.
#define ICRL_CLI_ENTRY LapGridEntry
#define ICRL_CLI_ZETA ZetaShape3
#define ICRL_CLI_TABULAR
#include "instance.hpp"
