// examples/embedded_cortex_m.cpp - a bare-metal control tick for a Cortex-M4F microcontroller:
// the exported policy acts, the exported learned constraint vetoes. Not part of the Meson build
// (it needs an exported header and an arm-none-eabi toolchain); BENCHMARKS.md measured it so:
//
//   build/cli/icrl learn --env point-circle --seed 1 --out runs/pc
//   build/cli/icrl export --policy runs/pc/policy.ckpt --constraint runs/pc/constraint.ckpt --out pc_controller.hpp
//   apt-get install gcc-arm-none-eabi libstdc++-arm-none-eabi-newlib libnewlib-arm-none-eabi
//   arm-none-eabi-g++ -std=c++17 -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -Os
//       -fno-exceptions -fno-rtti -Wall -Wextra -Werror -ffunction-sections -fdata-sections
//       -Wl,--gc-sections --specs=nano.specs --specs=nosys.specs -I. examples/embedded_cortex_m.cpp
//       -o controller.elf              (one command line)
//   arm-none-eabi-size controller.elf
//
// In firmware, `sensor` and `actuator` are the board's registers or DMA buffers, and the loop
// body runs from the control-rate timer interrupt.
#include "pc_controller.hpp"

volatile float sensor[pc_controller::kObsDim];    // observations, in the env's units
volatile float actuator[pc_controller::kActDim];  // commands

int main() {
  for (;;) {
    float obs[pc_controller::kObsDim], act[pc_controller::kActDim];
    for (int i = 0; i < pc_controller::kObsDim; ++i) obs[i] = sensor[i];
    pc_controller::action(obs, act);                               // the policy's mean action
    const bool allowed = pc_controller::cost(obs, act) < 0.5f;     // cost = 1 - zeta(s, a)
    for (int i = 0; i < pc_controller::kActDim; ++i) actuator[i] = allowed ? act[i] : 0.0f;
  }
}
