// tests/trainers_icrl.cpp - the one instantiation of the shared ICRL trainers' heavy members
// (tests/trainers.hpp).
#include "trainers.hpp"

ICRL_TEST_ICRL(, icrl::test::LapTrainer, icrl::test::LapZeta)
ICRL_TEST_ICRL(, icrl::test::PointTrainer, icrl::test::PointZeta)
