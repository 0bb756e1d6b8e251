// tests/test_cli.cpp - the `icrl` program end to end: usage errors exit 2 with the accepted values
// in the message; a short training run writes config.txt, progress.csv, policy.ckpt and
// summary.json; `icrl eval` reads the policy back; bad policy files exit 1 naming the file.
// ICRL_EXE is the path of the built program (tests/meson.build).
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

#include <algorithm>
#include <cstdio>
#include <filesystem>
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
  // Not a terminal: no progress lines (quiet in CI logs) ...
  CHECK(r.output.find(" iter ") == std::string::npos);
  // ... unless asked for; they carry steps/s and the ETA.
  r = run("train --env pendulum-constrained --seed 3 --steps 4096 --set n_steps=256 --set minibatch_size=256 "
          "--cost-limit 0.02 --verbose --out " + out);
  REQUIRE(r.status == 0);
  CHECK(r.output.find("[icrl train pendulum-constrained] iter 4/4  steps 4096  ") != std::string::npos);
  CHECK(r.output.find(" steps/s  ETA ") != std::string::npos);
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

TEST_CASE("icrl train stops on a diverged update, naming the update and the quantity, and saves nothing of it") {
  const std::string out = kDir + "/diverged";
  std::filesystem::remove_all(out);
  // A learning rate of 1e30 sends the first Adam step to infinity.
  const Run r = run("train --env pendulum --seed 1 --steps 1024 --set n_steps=256 --set minibatch_size=256 "
                    "--set lr=1e30 --out " + out);
  CHECK(r.status == 1);
  CHECK_MESSAGE(r.output.find("icrl train: error: update 1: non-finite ") != std::string::npos, r.output);
  CHECK(r.output.find("lower lr or max_grad_norm") != std::string::npos);
  // Nothing of the diverged update is saved: no policy, no summary, no training state.
  CHECK(read_all(out + "/policy.ckpt").empty());
  CHECK(read_all(out + "/summary.json").empty());
  CHECK(read_all(out + "/state.ckpt").empty());
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
  // CSV back in: the same demonstrations; the wrong env's dimensions are refused with exit 1.
  r = run("demos --import " + out + "/lap.csv --env lap-grid --out " + out + "/lap-back.demos");
  CHECK(r.status == 0);
  CHECK(r.output == info.output);
  r = run("demos --export " + out + "/lap-back.demos --format csv --out " + out + "/lap-back.csv");
  CHECK(r.status == 0);
  CHECK(read_all(out + "/lap-back.csv") == read_all(out + "/lap.csv"));
  r = run("demos --import " + out + "/lap.csv --env point-circle --out " + out + "/pc.demos");
  CHECK(r.status == 1);
  CHECK(r.output.find(out + "/lap.csv': line 1: 1 observation columns (obs_0..obs_0), but env 'point-circle' observes 4") !=
        std::string::npos);
  CHECK(!std::ifstream(out + "/pc.demos").good());
  // .npy back in: the same demonstrations, byte for byte.
  r = run("demos --export " + out + "/lap.demos --format npy --out " + out + "/lap");
  CHECK(r.status == 0);
  r = run("demos --import " + out + "/lap_observations.npy --env lap-grid --out " + out + "/lap-npy.demos");
  CHECK(r.status == 0);
  CHECK(r.output == info.output);
  CHECK(read_all(out + "/lap-npy.demos") == read_all(out + "/lap-back.demos"));
  r = run("demos --import " + out + "/lap.txt --env lap-grid --out " + out + "/x.demos");
  CHECK(r.status == 2);
  CHECK(r.output.find("--import reads FILE.csv or PREFIX_observations.npy") != std::string::npos);
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
  Run r = run("learn --env lap-grid --forward ppo --seed 2 --set outer_iters=2 --set forward_steps=1000 --set backward_iters=3 --out " +
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

  // The learned policy is a file of env lap-grid: icrl eval reads it with the same --env.
  r = run("eval --env lap-grid --policy " + out + "/policy.ckpt --episodes 2");
  CHECK_MESSAGE(r.status == 0, r.output);

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

TEST_CASE("icrl learn with the exact forward step (grid maps, lap-grid) and icrl suite on the generated grids family") {
  const std::string out = kDir + "/learn-exact";
  Run r = run("learn --env grid:lake7 --seed 1 --set outer_iters=3 --quiet --out " + out);
  REQUIRE(r.status == 0);
  CHECK(r.output.find("learned constraint") != std::string::npos);
  const std::string summary = read_all(out + "/summary.json");
  for (const char* key : {"\"forward\": \"exact\"", "\"method\": \"icrl\"", "\"precision\"", "\"recall\"", "\"beta\""})
    CHECK(summary.find(key) != std::string::npos);
  CHECK(read_all(out + "/progress.csv").find("iteration,wall_seconds,reward") == 0);
  CHECK(read_all(out + "/config.txt").find("zeta_lr = 0.3") != std::string::npos);
  CHECK(!read_all(out + "/constraint.ckpt").empty());
  r = run("learn --env lap-grid --method bc --seed 1 --set outer_iters=2 --quiet --out " + kDir + "/learn-exact-lap");
  CHECK(r.status == 0);
  CHECK(r.output.find("backward") != std::string::npos);
  // Settings of the exact step are checked and named; PPO's keys need --forward ppo.
  r = run("learn --env grid:lake7 --set beta=-1 --out " + kDir + "/x");
  CHECK(r.status == 2);
  CHECK(r.output.find("'beta'") != std::string::npos);
  r = run("learn --env grid:lake7 --set forward_steps=10 --out " + kDir + "/x");
  CHECK(r.status == 2);
  CHECK(r.output.find("--forward ppo") != std::string::npos);
  r = run("learn --env point-circle --forward exact --out " + kDir + "/x");
  CHECK(r.status == 2);
  CHECK(r.output.find("tabular env") != std::string::npos);

  const std::string suite = kDir + "/suite";
  const std::string cmd = "suite --family grids --tasks 2 --seeds 1 --methods icrl,bc --set outer_iters=2 --quiet --out " + suite;
  r = run(cmd);
  REQUIRE(r.status == 0);
  const std::string s1 = read_all(suite + "/summary.json");
  CHECK(s1.find("\"family\": \"grids\"") != std::string::npos);
  CHECK(s1.find("\"icrl\": {\"runs\": 2, \"success_rate\"") != std::string::npos);
  CHECK(s1.find("\"bc\": {\"runs\": 2") != std::string::npos);
  const std::string runs = read_all(suite + "/runs.csv");
  CHECK(std::count(runs.begin(), runs.end(), '\n') == 5);
  CHECK(!read_all(suite + "/tasks/task-1.map").empty());
  // Started again, it finds every run done and writes the same summary.
  r = run(cmd);
  CHECK(r.status == 0);
  CHECK(read_all(suite + "/runs.csv") == runs);
  CHECK(read_all(suite + "/summary.json") == s1);
  r = run("suite --family mazes --out " + kDir + "/x");
  CHECK(r.status == 2);
  CHECK(r.output.find("accepted: grids, navigation") != std::string::npos);
}

TEST_CASE("icrl export writes a header from a policy and a learned constraint; bad inputs name the file") {
  const std::string data = std::string(ICRL_SOURCE_DIR) + "/envs/data/";
  const std::string learned = kDir + "/export-learn";
  Run r = run("learn --env lap-grid --forward ppo --seed 3 --set outer_iters=1 --set forward_steps=1000 --set backward_iters=1 --out " +
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

// ---- crash safety: SIGKILL at any moment, then --resume ----------------------------------------
namespace {

// Starts the program with `args` (split on spaces), output to /dev/null; returns its pid.
pid_t spawn(const std::string& args) {
  std::vector<std::string> words = {ICRL_EXE};
  std::istringstream in(args);
  for (std::string w; in >> w;) words.push_back(w);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

// Waits for pid; its exit status, or -signal when a signal ended it.
int reap(pid_t pid) {
  int raw = 0;
  waitpid(pid, &raw, 0);
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : -WTERMSIG(raw);
}

bool finished(pid_t pid, int& status) {
  int raw = 0;
  if (waitpid(pid, &raw, WNOHANG) != pid) return false;
  status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -WTERMSIG(raw);
  return true;
}

long file_size(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? static_cast<long>(st.st_size) : -1;
}

// Everything but the lines/columns that measure wall time.
std::string without_wall(const std::string& text, bool csv) {
  std::istringstream in(text);
  std::string out, line;
  while (std::getline(in, line)) {
    if (!csv) {
      if (line.find("wall_seconds") == std::string::npos && line.find("steps_per_second") == std::string::npos)
        out += line + "\n";
      continue;
    }
    // progress.csv: drop column 3 (wall_seconds), from the second comma to the third.
    const std::size_t first = line.find(',');
    REQUIRE(first != std::string::npos);
    const std::size_t a = line.find(',', first + 1), b = a == std::string::npos ? a : line.find(',', a + 1);
    REQUIRE(b != std::string::npos);
    out += line.substr(0, a) + line.substr(b) + "\n";
  }
  return out;
}

// Starts `fresh`, then `resume` after every kill, killing each at the next moment: milliseconds
// after its start, or -k: right after progress.csv grew for the k-th time (between the table row
// and the state write). A run that finishes first must exit 0. Returns the kills that landed.
int kill_and_resume(const std::string& fresh, const std::string& resume, const std::string& dir,
                    const std::vector<int>& moments) {
  int kills = 0;
  bool first = true;
  for (const int m : moments) {
    const pid_t pid = spawn(first ? fresh : resume);
    first = false;
    int status = 0;
    bool done = false;
    if (m >= 0) {
      const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(m);
      while (std::chrono::steady_clock::now() < until && !(done = finished(pid, status)))
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    } else {
      long size = file_size(dir + "/progress.csv");
      int grown = 0;
      while (grown < -m && !(done = finished(pid, status))) {
        const long now = file_size(dir + "/progress.csv");
        if (now != size && now > 0) ++grown, size = now;
        else std::this_thread::sleep_for(std::chrono::microseconds(50));
      }
    }
    if (done) {
      CHECK(status == 0);
      continue;
    }
    kill(pid, SIGKILL);
    CHECK(reap(pid) == -SIGKILL);
    ++kills;
  }
  return kills;
}

}  // namespace

TEST_CASE("icrl learn --resume: runs killed with SIGKILL at many moments end as the uninterrupted run") {
  const std::string settings = "learn --env lap-grid --forward ppo --seed 4 --set outer_iters=6 --set forward_steps=6000 --set backward_iters=5 --quiet --out ";
  const std::string ref = kDir + "/resume-ref", dir = kDir + "/resume-killed";
  const auto t0 = std::chrono::steady_clock::now();
  Run r = run(settings + ref);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  const int ms = static_cast<int>(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  MESSAGE("uninterrupted run: " << ms << " ms");

  // Kills spread over the run (each resumed run is killed again), and kills right after a table
  // row was appended, before the state that commits it.
  std::vector<int> moments = {ms / 9, ms / 5, -1, ms / 3, -2, ms / 7, -1, ms / 2, -3};
  moments.push_back(100000);  // the last one runs to the end
  const pid_t cleanup = fork();
  if (cleanup == 0) execl("/bin/rm", "rm", "-rf", dir.c_str(), static_cast<char*>(nullptr)), _exit(127);
  reap(cleanup);
  const int kills = kill_and_resume(settings + dir, "learn --resume " + dir, dir, moments);
  MESSAGE(kills << " kills");
  CHECK(kills >= 4);

  CHECK(read_all(dir + "/policy.ckpt") == read_all(ref + "/policy.ckpt"));
  CHECK(read_all(dir + "/constraint.ckpt") == read_all(ref + "/constraint.ckpt"));
  CHECK(without_wall(read_all(dir + "/progress.csv"), true) == without_wall(read_all(ref + "/progress.csv"), true));
  CHECK(without_wall(read_all(dir + "/summary.json"), false) == without_wall(read_all(ref + "/summary.json"), false));
  CHECK(read_all(dir + "/config.txt") == read_all(ref + "/config.txt"));

  // Resuming a finished run changes nothing.
  const std::string policy = read_all(dir + "/policy.ckpt");
  r = run("learn --resume " + dir + " --quiet");
  CHECK(r.status == 0);
  CHECK(read_all(dir + "/policy.ckpt") == policy);

  // Misuse: other flags with --resume (2); a directory without a run, a damaged table, another
  // command's run (1, naming the file).
  r = run("learn --resume " + dir + " --seed 5");
  CHECK(r.status == 2);
  CHECK(r.output.find("drop '--seed'") != std::string::npos);
  r = run("learn --resume " + kDir + "/no-such-run");
  CHECK(r.status == 1);
  CHECK(r.output.find("no-such-run/command.txt' is missing") != std::string::npos);
  r = run("transfer --resume " + dir);
  CHECK(r.status == 1);
  CHECK(r.output.find("records a run of `icrl learn`") != std::string::npos);
  {
    std::ofstream(dir + "/progress.csv", std::ios::trunc) << "iteration\n";
  }
  r = run("learn --resume " + dir);
  CHECK(r.status == 1);
  CHECK(r.output.find("progress.csv' is 10 bytes but the saved state was written after") != std::string::npos);
}

TEST_CASE("icrl train --resume: a PPO run killed with SIGKILL ends as the uninterrupted run") {
  const std::string settings = "train --env pendulum-constrained --seed 6 --steps 40960 --set n_steps=256 "
                               "--set minibatch_size=256 --cost-limit 0.02 --quiet --out ";
  const std::string ref = kDir + "/train-ref", dir = kDir + "/train-killed";
  Run r = run(settings + ref);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  // Kill after the 5th, then the 7th and the 20th new table rows; then finish.
  const int kills = kill_and_resume(settings + dir, "train --resume " + dir + " --quiet", dir, {-5, -7, -20, 100000});
  CHECK(kills == 3);
  CHECK(read_all(dir + "/policy.ckpt") == read_all(ref + "/policy.ckpt"));
  CHECK(without_wall(read_all(dir + "/progress.csv"), true) == without_wall(read_all(ref + "/progress.csv"), true));
  CHECK(without_wall(read_all(dir + "/summary.json"), false) == without_wall(read_all(ref + "/summary.json"), false));
}
