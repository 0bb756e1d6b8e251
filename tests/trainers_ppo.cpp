// tests/trainers_ppo.cpp - the one instantiation of the shared PPO trainers' heavy members
// (tests/trainers.hpp).
#include "trainers.hpp"

ICRL_TEST_PPO(, icrl::test::PendulumTrainer)
ICRL_TEST_PPO(, icrl::test::CartPoleTrainer)
