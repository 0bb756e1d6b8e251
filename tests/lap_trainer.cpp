// tests/lap_trainer.cpp - the one instantiation of the lap-grid ICRL trainer's heavy members that
// the test files share (tests/lap_trainer.hpp).
#include "lap_trainer.hpp"

ICRL_TEST_LAP_TRAINER()
