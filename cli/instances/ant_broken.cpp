// cli/instances/ant_broken.cpp - the `icrl` commands for ant-broken (Box2D); see instance.hpp.
#define ICRL_CLI_ENTRY AntBrokenEntry
#define ICRL_CLI_ZETA ZetaShape30
#include "instance.hpp"
