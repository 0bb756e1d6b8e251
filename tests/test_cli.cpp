// tests/test_cli.cpp - the `icrl` program end to end: usage errors exit 2 with the accepted values
// in the message; a short training run writes config.txt, progress.csv, policy.ckpt and
// summary.json; `icrl eval` reads the policy back; bad policy files exit 1 naming the file.
// ICRL_EXE is the path of the built program (tests/meson.build).
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#ifndef ICRL_EXE
#error "ICRL_EXE must name the icrl program"
#endif
#ifndef ICRL_TEST_TMPDIR
#define ICRL_TEST_TMPDIR "."
#endif

namespace {

struct Run {
  int status = -1;     // exit status
  std::string output;  // stdout and stderr together
};

Run run(const std::string& args) {
  const std::string cmd = std::string("'") + ICRL_EXE + "' " + args + " 2>&1";
  Run r;
  std::FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int raw = pclose(p);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

std::string read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

const std::string kDir = std::string(ICRL_TEST_TMPDIR) + "/cli";

TEST_CASE("icrl: usage errors exit 2 and list what is accepted") {
  Run r = run("");
  CHECK(r.status == 2);
  CHECK(r.output.find("usage: icrl <command>") != std::string::npos);
  r = run("fly");
  CHECK(r.status == 2);
  CHECK(r.output.find("unknown command 'fly'") != std::string::npos);
  r = run("train --env pendulum --out " + kDir + "/x --colour blue");
  CHECK(r.status == 2);
  CHECK(r.output.find("unknown flag '--colour' (accepted: --env, --seed, --steps") != std::string::npos);
  r = run("train --env moon --out " + kDir + "/x");
  CHECK(r.status == 2);
  CHECK(r.output.find("unknown env 'moon' (accepted: pendulum, pendulum-constrained, cartpole") != std::string::npos);
  r = run("train --env pendulum --seed -4 --out " + kDir + "/x");
  CHECK(r.status == 2);
  CHECK(r.output.find("--seed needs a whole number in [0, 2147483647], got '-4'") != std::string::npos);
  r = run("train --env pendulum --set lr=fast --out " + kDir + "/x");
  CHECK(r.status == 2);
  CHECK(r.output.find("--set lr needs a finite number, got 'fast'") != std::string::npos);
  r = run("train --env pendulum --set speed=3 --out " + kDir + "/x");
  CHECK(r.status == 2);
  CHECK(r.output.find("unknown key 'speed' (accepted: n_steps, minibatch_size") != std::string::npos);
  r = run("train --env pendulum --set minibatch_size=100 --out " + kDir + "/x");
  CHECK(r.status == 2);
  CHECK(r.output.find("minibatch_size must be a positive multiple of 256") != std::string::npos);
  r = run("train --env pendulum --cost-limit 0.1 --out " + kDir + "/x");
  CHECK(r.status == 2);
  CHECK(r.output.find("trains without a cost stream") != std::string::npos);
  r = run("train --env pendulum");
  CHECK(r.status == 2);
  CHECK(r.output.find("missing required flag --out") != std::string::npos);
  r = run("eval --env pendulum --policy");
  CHECK(r.status == 2);
  CHECK(r.output.find("flag --policy needs a value") != std::string::npos);
}

TEST_CASE("icrl train writes its four files; icrl eval reads the policy back") {
  const std::string out = kDir + "/pendulum";
  Run r = run("train --env pendulum-constrained --seed 3 --steps 4096 --set n_steps=256 --set minibatch_size=256 "
              "--cost-limit 0.02 --out " + out);
  REQUIRE(r.status == 0);
  CHECK(r.output.find("[icrl train pendulum-constrained] iter 4/4  steps 4096") != std::string::npos);
  const std::string config = read_all(out + "/config.txt");
  CHECK(config.find("n_steps = 256") != std::string::npos);
  CHECK(config.find("cost_limit = 0.02") != std::string::npos);
  CHECK(config.find("seed = 3") != std::string::npos);
  const std::string progress = read_all(out + "/progress.csv");
  CHECK(progress.rfind("iteration,env_steps,wall_seconds,return,cost,episode_cost,nu,policy_loss,value_loss,", 0) == 0);
  int lines = 0;
  for (char c : progress) lines += c == '\n';
  CHECK(lines == 5);  // header + 4 iterations
  const std::string summary = read_all(out + "/summary.json");
  for (const char* key : {"\"env\": \"pendulum-constrained\"", "\"seed\": 3", "\"env_steps\": 4096", "\"wall_seconds\"",
                          "\"reward\"", "\"cost\"", "\"violation_rate\"", "\"eval_episodes\": 20"})
    CHECK_MESSAGE(summary.find(key) != std::string::npos, key);

  r = run("eval --env pendulum-constrained --policy " + out + "/policy.ckpt --episodes 3 --deterministic");
  CHECK(r.status == 0);
  CHECK(r.output.find("\"episodes\": 3, \"deterministic\": true, \"reward\": -") != std::string::npos);
  // Two evaluations with one seed agree.
  CHECK(run("eval --env pendulum-constrained --policy " + out + "/policy.ckpt --episodes 3 --seed 5").output ==
        run("eval --env pendulum-constrained --policy " + out + "/policy.ckpt --episodes 3 --seed 5").output);

  r = run("eval --env pendulum --policy " + out + "/policy.ckpt");
  CHECK(r.status == 1);
  CHECK(r.output.find("trained on env 'pendulum-constrained', not 'pendulum'") != std::string::npos);
  r = run("eval --env pendulum --policy " + out + "/config.txt");
  CHECK(r.status == 1);
  CHECK(r.output.find(out + "/config.txt") != std::string::npos);
  r = run("eval --env pendulum --policy " + out + "/missing.ckpt");
  CHECK(r.status == 1);
  CHECK(r.output.find("missing.ckpt") != std::string::npos);
}

TEST_CASE("icrl expert keeps the best true-env policy; icrl demos records, summarises and exports") {
  const std::string out = kDir + "/lap";
  Run r = run("expert --env lap-grid --seed 1 --steps 20480 --quiet --out " + out);
  REQUIRE(r.status == 0);
  const std::string summary = read_all(out + "/summary.json");
  CHECK(summary.find("\"expert_reward\"") != std::string::npos);
  CHECK(summary.find("\"expert_violation_rate\"") != std::string::npos);
  CHECK(read_all(out + "/expert.ckpt").rfind("ICRLPLCY", 0) == 0);
  CHECK(read_all(out + "/progress.csv").find(",true_reward,true_violation_rate\n") != std::string::npos);

  r = run("demos --env lap-grid --policy " + out + "/expert.ckpt --episodes 3 --out " + out + "/lap.demos");
  REQUIRE(r.status == 0);
  CHECK(r.output.find("{\"env\": \"lap-grid\", \"episodes\": 3, \"steps\": ") != std::string::npos);
  CHECK(r.output.find("\"obs_dim\": 1, \"act_dim\": 1") != std::string::npos);
  Run info = run("demos --info " + out + "/lap.demos");
  CHECK(info.status == 0);
  CHECK(info.output == r.output);
  r = run("demos --export " + out + "/lap.demos --format csv --out " + out + "/lap.csv");
  CHECK(r.status == 0);
  CHECK(read_all(out + "/lap.csv").rfind("episode,t,obs_0,act_0,reward,cost\n0,0,", 0) == 0);
  r = run("demos --export " + out + "/lap.demos --format xml --out " + out + "/lap.xml");
  CHECK(r.status == 2);
  CHECK(r.output.find("--format needs csv or npy, got 'xml'") != std::string::npos);
  r = run("demos --info " + out + "/summary.json");
  CHECK(r.status == 1);
  CHECK(r.output.find(out + "/summary.json") != std::string::npos);
  r = run("demos --env point-circle --policy " + out + "/expert.ckpt --out " + out + "/x.demos");
  CHECK(r.status == 1);
  CHECK(r.output.find("trained on env 'lap-grid', not 'point-circle'") != std::string::npos);

  r = run("expert --env grid:" + kDir + "/no-such.map --out " + out + "/g");
  CHECK(r.status == 1);
  CHECK(r.output.find("no-such.map") != std::string::npos);
  r = run("train --env grid: --out " + out + "/g");
  CHECK(r.status == 2);
  CHECK(r.output.find("grid env without a map") != std::string::npos);
}

}  // namespace

TEST_CASE("icrl learn and icrl transfer: a short ICRL run writes its files; transfer reuses the constraint") {
  const std::string out = kDir + "/learn";
  Run r = run("learn --env lap-grid --seed 2 --set outer_iters=2 --set forward_steps=1000 --set backward_iters=3 --out " +
              out + " --quiet");
  REQUIRE_MESSAGE(r.status == 0, r.output);
  CHECK(r.output.find("backward") != std::string::npos);  // the learned map
  CHECK(r.output.find("(expert 60.0)") != std::string::npos);
  const std::string progress = read_all(out + "/progress.csv");
  CHECK(progress.rfind("iteration,env_steps,wall_seconds,reward,reward_std,violations,violation_rate,feasible_reward,nu,", 0) == 0);
  CHECK(std::count(progress.begin(), progress.end(), '\n') == 3);  // header + 2 outer iterations
  const std::string summary = read_all(out + "/summary.json");
  for (const char* key : {"\"env\": \"lap-grid\"", "\"method\": \"icrl\"", "\"seed\": 2", "\"env_steps\"", "\"wall_seconds\"",
                          "\"reward\"", "\"violations\"", "\"violation_rate\"", "\"feasible_reward\"", "\"expert_reward\": 60"})
    CHECK_MESSAGE(summary.find(key) != std::string::npos, key);
  const std::string config = read_all(out + "/config.txt");
  CHECK(config.find("backward_iters = 3") != std::string::npos);
  CHECK(config.find("importance = episode") != std::string::npos);

  // The same constraint, frozen, in a fresh lap-grid run.
  r = run("transfer --constraint " + out + "/constraint.ckpt --env lap-grid --seed 1 --set outer_iters=1 "
          "--set forward_steps=1000 --out " + kDir + "/transfer --quiet");
  REQUIRE_MESSAGE(r.status == 0, r.output);
  CHECK(read_all(kDir + "/transfer/summary.json").find("\"method\": \"transfer\"") != std::string::npos);

  // A constraint the target env cannot run: exit 1, naming the file and the shapes.
  r = run("transfer --constraint " + out + "/constraint.ckpt --env point-circle --out " + kDir + "/t2");
  CHECK(r.status == 1);
  CHECK(r.output.find("constraint.ckpt") != std::string::npos);
  CHECK(r.output.find("cannot run in env 'point-circle'") != std::string::npos);

  // Usage errors: exit 2 with what is accepted.
  r = run("learn --env lap-grid --method magic --out " + kDir + "/x");
  CHECK(r.status == 2);
  CHECK(r.output.find("icrl, bc or gc") != std::string::npos);
  r = run("learn --env pendulum --out " + kDir + "/x");
  CHECK(r.status == 2);
  CHECK(r.output.find("without a constraint to learn") != std::string::npos);
  r = run("learn --env lap-grid --set importance=sometimes --out " + kDir + "/x");
  CHECK(r.status == 2);
  CHECK(r.output.find("episode, step or off") != std::string::npos);
  // Demonstrations of another env: exit 1 naming the file.
  r = run("learn --env grid:lake7 --demos " + std::string(ICRL_SOURCE_DIR) + "/envs/data/lap-grid.demos --out " + kDir + "/x");
  CHECK(r.status == 1);
  CHECK(r.output.find("lap-grid.demos") != std::string::npos);
}

TEST_CASE("icrl export writes a header from a policy and a learned constraint; bad inputs name the file") {
  const std::string data = std::string(ICRL_SOURCE_DIR) + "/envs/data/";
  const std::string learned = kDir + "/export-learn";
  Run r = run("learn --env lap-grid --seed 3 --set outer_iters=1 --set forward_steps=1000 --set backward_iters=1 --out " +
              learned + " --quiet");
  REQUIRE_MESSAGE(r.status == 0, r.output);

  r = run("export --policy " + data + "lap-grid.expert.ckpt --constraint " + learned + "/constraint.ckpt --out " + kDir +
          "/lap-grid_controller.hpp");
  REQUIRE_MESSAGE(r.status == 0, r.output);
  std::string header = read_all(kDir + "/lap-grid_controller.hpp");
  CHECK(header.find("namespace lap_grid_controller {") != std::string::npos);
  CHECK(header.find("inline int action(const float obs[kObsDim]) noexcept") != std::string::npos);
  CHECK(header.find("inline float cost(const float obs[kObsDim], int act) noexcept") != std::string::npos);
  CHECK(header.find("method 'icrl', learned in env 'lap-grid'") != std::string::npos);

  // A continuous policy gets its env's action box from the env registry.
  r = run("export --policy " + data + "point-circle.expert.ckpt --out " + kDir + "/pc.hpp");
  REQUIRE_MESSAGE(r.status == 0, r.output);
  header = read_all(kDir + "/pc.hpp");
  CHECK(header.find("action box  [-0.25, 0.25] x [-0.25, 0.25]") != std::string::npos);
  CHECK(header.find("kActLow[2]") != std::string::npos);

  // A constraint whose inputs the policy does not have: exit 1 naming the file and the fix.
  r = run("export --policy " + data + "point-circle.expert.ckpt --constraint " + learned + "/constraint.ckpt --out " +
          kDir + "/bad.hpp");
  CHECK(r.status == 1);
  CHECK(r.output.find(learned + "/constraint.ckpt': zeta input 1 ([a=0]) reads discrete action 0") != std::string::npos);
  CHECK(r.output.find("export it with a policy of env 'lap-grid'") != std::string::npos);
  // A missing policy: exit 1 naming it. A header name that is no namespace, or no --out: exit 2.
  r = run("export --policy " + kDir + "/missing.ckpt --out " + kDir + "/m.hpp");
  CHECK(r.status == 1);
  CHECK(r.output.find("missing.ckpt") != std::string::npos);
  r = run("export --policy " + data + "point-circle.expert.ckpt --out " + kDir + "/int.hpp");
  CHECK(r.status == 2);
  CHECK(r.output.find("C++ keyword") != std::string::npos);
  r = run("export --policy " + data + "point-circle.expert.ckpt");
  CHECK(r.status == 2);
  CHECK(r.output.find("--out") != std::string::npos);
}
