// cli/tabular.cpp - Algorithm 1 with the exact forward step (icrl/tabular_icrl.hpp) from the
// command line: `icrl learn` on lap-grid and the grid maps (its default forward step there), and
// `icrl suite`, which generates a family of tasks (grid worlds, envs/grid_family.hpp; or navigation
// tasks solved on their grid, envs/navigation_grid.hpp, with an expert trained by PPO-Lagrangian,
// envs/navigation_expert.hpp) and runs the methods on every task and seed.
//
//   icrl learn --env lap-grid|grid:MAP|grid8:MAP [--forward exact] [--method icrl|bc|gc]
//              [--demos FILE] [--seed S] [--set key=value ...] --out DIR
//   icrl suite --family grids|navigation [--tasks N] [--seeds S] [--methods icrl,bc,gc] [--family-seed F]
//              [--set key=value ...] --out DIR
//
// learn writes DIR/config.txt, command.txt, progress.csv (one row per outer iteration),
// constraint.ckpt (a "TCST" table, tabular_icrl.hpp) and summary.json, each atomically. A run
// takes seconds, so --resume runs the recorded command again (the result is the same, bit for bit).
// suite writes DIR/tasks/ (each task's map or expert demonstrations), DIR/runs.csv (one row per
// task x seed x method, appended as each run finishes: a killed suite continues where it
// stopped when started again with the same flags) and DIR/summary.json.
#include "tabular.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "args.hpp"
#include "envs.hpp"
#include "envs/grid_family.hpp"
#include "envs/learned_map.hpp"
#include "envs/navigation_grid.hpp"
#include "envs/tabular_models.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/tabular_icrl.hpp"
#include "learn.hpp"
#include "output.hpp"
#include "run_files.hpp"

namespace icrl::cli {
namespace {

// ---- --set keys ----------------------------------------------------------------------------
struct TabularSetting {
  std::string key, comment;
  std::function<std::string(const TabularIcrlConfig&)> get;
  std::function<void(TabularIcrlConfig&, const std::string&)> set;
};

const std::vector<TabularSetting>& tabular_settings() {
  auto integer = [](const char* key, int TabularIcrlConfig::*outer, int ConstraintUpdateConfig::*inner, const char* comment) {
    return TabularSetting{key, comment,
                          [=](const TabularIcrlConfig& c) { return std::to_string(outer ? c.*outer : c.update.*inner); },
                          [=](TabularIcrlConfig& c, const std::string& v) {
                            (outer ? c.*outer : c.update.*inner) =
                                static_cast<int>(parse_integer(std::string("--set ") + key, v, 1, 100000));
                          }};
  };
  auto real = [](const char* key, double TabularIcrlConfig::*outer, double ConstraintUpdateConfig::*inner, const char* comment) {
    return TabularSetting{key, comment,
                          [=](const TabularIcrlConfig& c) { return format_number(outer ? c.*outer : c.update.*inner); },
                          [=](TabularIcrlConfig& c, const std::string& v) {
                            (outer ? c.*outer : c.update.*inner) = parse_number(std::string("--set ") + key, v);
                          }};
  };
  static const std::vector<TabularSetting> table = {
      integer("outer_iters", &TabularIcrlConfig::outer_iterations, nullptr, "N: outer iterations of Algorithm 1"),
      integer("nominal_episodes", &TabularIcrlConfig::nominal_episodes, nullptr, "M: nominal episodes sampled per outer iteration"),
      integer("backward_iters", nullptr, &ConstraintUpdateConfig::backward_iterations, "B: zeta updates per outer iteration (at most)"),
      real("zeta_lr", nullptr, &ConstraintUpdateConfig::lr, "lr_0 of Adam on zeta's logits"),
      real("zeta_anneal", nullptr, &ConstraintUpdateConfig::anneal, "lr_i = lr_0 anneal^i"),
      real("regularizer", nullptr, &ConstraintUpdateConfig::regularizer, "delta of eq. (8)"),
      real("kl_forward_limit", nullptr, &ConstraintUpdateConfig::kl_forward_limit, "eps_F of eq. (12)"),
      real("kl_reverse_limit", nullptr, &ConstraintUpdateConfig::kl_reverse_limit, "eps_R of eq. (12)"),
      TabularSetting{"importance", "eq. (10) weights: episode, step or off",
                     [](const TabularIcrlConfig& c) { return std::string(importance_mode_name(c.update.importance)); },
                     [](TabularIcrlConfig& c, const std::string& v) {
                       if (!parse_importance_mode(v, c.update.importance))
                         throw UsageError("--set importance needs episode, step or off, got '" + v + "'");
                     }},
      TabularSetting{"early_stopping", "eq. (12) KL early stopping of the backward loop",
                     [](const TabularIcrlConfig& c) { return std::string(c.update.early_stopping ? "true" : "false"); },
                     [](TabularIcrlConfig& c, const std::string& v) { c.update.early_stopping = parse_bool("--set early_stopping", v); }},
      real("beta", &TabularIcrlConfig::beta, nullptr, "eq. (1)'s beta; 0 = fitted to the demonstrations each iteration"),
      real("agent_beta", &TabularIcrlConfig::agent_beta, nullptr, "beta of the reported agent; 0 = the forward model's"),
      real("nu_max", &TabularIcrlConfig::nu_max, nullptr, "upper end of the multiplier (lagrangian forward model)"),
      TabularSetting{"exact_forward", "forward model: log_zeta (p prop. to exp(beta r) prod zeta) or lagrangian (beta r - nu (1 - zeta))",
                     [](const TabularIcrlConfig& c) { return std::string(exact_forward_name(c.forward)); },
                     [](TabularIcrlConfig& c, const std::string& v) {
                       if (v == "log_zeta") c.forward = ExactForward::log_zeta;
                       else if (v == "lagrangian") c.forward = ExactForward::lagrangian;
                       else throw UsageError("--set exact_forward needs log_zeta or lagrangian, got '" + v + "'");
                     }},
      TabularSetting{"agent", "the reported agent: model (the forward model's policy) or threshold (keys with zeta < 1/2 forbidden)",
                     [](const TabularIcrlConfig& c) { return std::string(c.agent == AgentModel::forward_model ? "model" : "threshold"); },
                     [](TabularIcrlConfig& c, const std::string& v) {
                       if (v == "model") c.agent = AgentModel::forward_model;
                       else if (v == "threshold") c.agent = AgentModel::threshold;
                       else throw UsageError("--set agent needs model or threshold, got '" + v + "'");
                     }},
  };
  return table;
}

void apply_tabular_setting(TabularIcrlConfig& c, const std::string& assignment) {
  const auto eq = assignment.find('=');
  const std::string key = assignment.substr(0, eq);
  if (eq != std::string::npos)
    for (const auto& s : tabular_settings())
      if (s.key == key) return s.set(c, assignment.substr(eq + 1));
  std::string keys;
  for (const auto& s : tabular_settings()) keys += (keys.empty() ? "" : ", ") + s.key;
  throw UsageError("--set '" + assignment + "': unknown key for the exact forward step (accepted: " + keys +
                   "; PPO's keys need --forward ppo)");
}

std::string describe_tabular(const TabularIcrlConfig& c) {
  std::string s;
  for (const auto& e : tabular_settings()) {
    std::string line = e.key + " = " + e.get(c);
    if (line.size() < 40) line.resize(40, ' ');
    s += line + "  # " + e.comment + "\n";
  }
  return s;
}

// The method's library defaults, then the user's --set (validated by the trainer).
TabularIcrlConfig config_for(IcrlMethod method, const std::vector<std::string>& sets) {
  TabularIcrlConfig c = tabular_defaults(method);
  for (const auto& kv : sets) apply_tabular_setting(c, kv);
  return c;
}

// The task of a tabular env name, and a function drawing a learned constraint on it.
struct TabularTask {
  TabularMdp mdp;
  std::function<std::string(const TabularConstraint&)> draw;
};
TabularTask tabular_task(const std::string& env) {
  if (env == "lap-grid") {
    const envs::LapGrid lap;
    return {envs::to_tabular(lap, env), [lap](const TabularConstraint& z) { return envs::learned_map(lap, z); }};
  }
  if (env.rfind("grid:", 0) == 0) {
    const auto w = envs::GridWorld<4>::load(grid_map_path(env.substr(5)));
    return {envs::to_tabular(w, env), [w](const TabularConstraint& z) { return envs::learned_map(w, z); }};
  }
  const auto w = envs::GridWorld<8>::load(grid_map_path(env.substr(6)));
  return {envs::to_tabular(w, env), [w](const TabularConstraint& z) { return envs::learned_map(w, z); }};
}

// Runs every outer iteration; calls row(stats) after each. Returns the last iteration's stats.
TabularOuterStats run_iterations(TabularIcrlTrainer& tr, const std::function<void(const TabularOuterStats&)>& row) {
  TabularOuterStats s;
  while (tr.iterations_done() < tr.config().outer_iterations) {
    s = tr.outer_iteration();
    if (row) row(s);
  }
  return s;
}

bool success(const TabularOuterStats& s, double expert_reward) {
  return s.reward >= 0.9 * expert_reward && s.violations <= 0.01;
}

// runs.csv: one row per task x seed x method, these columns.
const char* const kRunsHeader =
    "task,layout,rows,cols,actions,unsafe_cells,seed,method,reward,expert_reward,violations,violation_rate,precision,"
    "recall,learned_unsafe,beta,success,wall_seconds";
enum RunsColumn { kTask = 0, kLayout = 1, kSeed = 6, kMethod = 7, kReward = 8, kExpertReward = 9, kViolations = 10,
                  kPrecision = 12, kRecall = 13, kSuccess = 16, kNumColumns = 18 };

std::vector<std::string> split_row(const std::string& line) {
  std::vector<std::string> f;
  std::stringstream ls(line);
  std::string x;
  while (std::getline(ls, x, ',')) f.push_back(x);
  return f;
}
std::string run_id(const std::string& task, const std::string& seed, const std::string& method) {
  return task + "," + seed + "," + method;
}

const std::vector<FlagSpec> kSuiteFlags = {
    {"family", true, false, "the task family: grids (generated grid worlds) or navigation (generated point-robot tasks, solved on a 48 x 48 grid)"},
    {"tasks", true, false, "number of generated tasks (default 30)"},
    {"seeds", true, false, "seeds 1..S per task and method (default 3)"},
    {"methods", true, false, "comma-separated methods among icrl, bc, gc (default icrl,bc,gc)"},
    {"family-seed", true, false, "the seed the tasks are generated from (default 1)"},
    {"set", true, true, "override a setting of every run, key=value (keys: see icrl learn --env lap-grid's config.txt)"},
    {"out", true, false, "output directory: tasks/, runs.csv, summary.json"},
    {"quiet", false, false, "no progress lines on stderr"},
};

}  // namespace

bool is_tabular_env(const std::string& env) {
  return is_tabular_name(env);
}

int learn_tabular(const std::string& env, const std::string& method_text, const std::string& demos_arg, std::uint64_t seed,
                  const std::vector<std::string>& sets, const RecordedCommand& command, bool quiet) {
  const std::string& out = command.out;
  IcrlMethod method = IcrlMethod::icrl;
  if (!parse_method(method_text, method)) throw UsageError("--method must be icrl, bc or gc, got '" + method_text + "'");
  TabularIcrlConfig config = config_for(method, sets);
  const TabularTask task = tabular_task(env);
  const std::string demos_path = demos_arg.empty() ? shipped_demos(env) : demos_arg;
  const Demonstrations demos = Demonstrations::load(demos_path, env);
  try {
    TabularIcrlTrainer::validated(config, task.mdp);
  } catch (const Error& e) {
    throw UsageError(std::string(e.what()) + " (change it with --set)");
  }
  TabularIcrlTrainer tr(config, task.mdp, demos, demos_path, seed);
  if (tr.demos_nominal_optimal_share() >= 1.0)
    std::fprintf(stderr, "icrl learn: warning: every step of '%s' is optimal for the reward alone: the demonstrations "
                         "never leave the nominal optimum, so there is no constraint to learn from them\n", demos_path.c_str());
  // The run directory (icrl/run_dir.hpp), always fresh: a run takes seconds, so --resume runs the
  // recorded command again. The progress table is written at the end.
  make_out_dir(out);
  RunDir dir(out, "# icrl learn (exact forward step): every resolved setting of this run\nenv = " + env +
                      "\nmethod = " + method_name(method) + "\nforward = exact\nseed = " + std::to_string(seed) +
                      "\ndemos = " + demos_path + "  # " + std::to_string(demos.episodes()) + " episodes, mean return " +
                      format_number(demos.mean_return()) + "\n" + describe_tabular(config),
             "STAT", false);
  record_command(command);
  std::string csv = "iteration,wall_seconds,reward,nominal_return,violations,violation_rate,learned_cost,beta,nu,sample_violations,"
                    "precision,recall,learned_unsafe,backward_iters_done,kl_forward,kl_reverse,zeta_expert,zeta_nominal,zeta_loss\n";
  const TabularOuterStats s = run_iterations(tr, [&](const TabularOuterStats& r) {
    csv += std::to_string(r.iteration) + "," + csv_number(r.wall_seconds) + "," + csv_number(r.reward) + "," +
           csv_number(r.nominal_return) + "," + csv_number(r.violations) + "," + csv_number(r.violation_rate) + "," +
           csv_number(r.learned_cost) + "," + csv_number(r.beta) + "," + csv_number(r.nu) + "," +
           csv_number(r.sample_violations) + "," + csv_number(r.precision) + "," + csv_number(r.recall) + "," +
           std::to_string(r.learned_unsafe) + "," + std::to_string(r.backward.iterations_done) + "," +
           csv_number(r.backward.kl_forward) + "," + csv_number(r.backward.kl_reverse) + "," +
           csv_number(r.backward.zeta_expert) + "," + csv_number(r.backward.zeta_nominal) + "," +
           csv_number(r.backward.loss_last) + "\n";
    if (!quiet)
      std::fprintf(stderr, "[icrl learn %s %s exact] %d/%d reward %.2f violations %.4f beta %g\n", env.c_str(),
                   method_name(method), r.iteration, config.outer_iterations, r.reward, r.violations, r.beta);
  });
  dir.write_text("progress.csv", csv);
  tr.constraint().save(dir.path("constraint.ckpt"));
  std::string j = "{\n";
  j += "  \"env\": " + json_quote(env) + ",\n";
  j += "  \"method\": " + json_quote(method_name(method)) + ",\n";
  j += "  \"forward\": \"exact\",\n";
  j += "  \"seed\": " + std::to_string(seed) + ",\n";
  j += "  \"wall_seconds\": " + json_number(s.wall_seconds) + ",\n";
  j += "  \"outer_iterations\": " + std::to_string(s.iteration) + ",\n";
  j += "  \"nominal_episodes\": " + std::to_string(config.nominal_episodes) + ",\n";
  j += "  \"reward\": " + json_number(s.reward) + ",\n";
  j += "  \"violations\": " + json_number(s.violations) + ",\n";
  j += "  \"violation_rate\": " + json_number(s.violation_rate) + ",\n";
  j += "  \"beta\": " + json_number(s.beta) + ",\n";
  j += "  \"nu\": " + json_number(s.nu) + ",\n";
  j += "  \"precision\": " + json_number(s.precision) + ",\n";
  j += "  \"recall\": " + json_number(s.recall) + ",\n";
  j += "  \"learned_unsafe\": " + std::to_string(s.learned_unsafe) + ",\n";
  j += "  \"expert_reward\": " + json_number(tr.expert_reward()) + ",\n";
  j += "  \"success\": " + std::string(success(s, tr.expert_reward()) ? "true" : "false") + "\n}\n";
  dir.write_text("summary.json", j);
  std::printf("%s", task.draw(tr.constraint()).c_str());
  std::printf("%s %s (exact forward step, seed %llu): reward %.2f (expert %.2f), violations %.4f of nominal steps, "
              "precision %.2f, recall %.2f, %.2f s -> %s\n",
              env.c_str(), method_name(method), static_cast<unsigned long long>(seed), s.reward, tr.expert_reward(),
              s.violations, s.precision, s.recall, s.wall_seconds, out.c_str());
  return 0;
}

int suite(int argc, char** argv) {
  const Args args("suite", kSuiteFlags, argc, argv, 2);
  const std::string family = args.required("family");
  if (family != "grids" && family != "navigation")
    throw UsageError("--family '" + family + "' is not available (accepted: grids, navigation)");
  const int tasks = static_cast<int>(args.integer("tasks", 30, 1, 100000));
  const int seeds = static_cast<int>(args.integer("seeds", 3, 1, 1000));
  const std::uint64_t family_seed = args.seed("family-seed", 1);
  const std::string out = args.required("out");
  const bool quiet = args.has("quiet");
  std::vector<IcrlMethod> methods;
  {
    std::stringstream ss(args.get("methods", "icrl,bc,gc"));
    std::string m;
    while (std::getline(ss, m, ',')) {
      IcrlMethod x;
      if (!parse_method(m, x)) throw UsageError("--methods: '" + m + "' is not a method (accepted: icrl, bc, gc)");
      methods.push_back(x);
    }
    if (methods.empty()) throw UsageError("--methods is empty (accepted: icrl, bc, gc, comma-separated)");
  }
  const std::vector<std::string> sets = args.all("set");
  for (const IcrlMethod m : methods) config_for(m, sets);  // bad keys fail before any work
  make_out_dir(out + "/tasks");

  // Runs already done (resumable): "task,seed,method" of every complete row of runs.csv.
  const std::string header = kRunsHeader;
  const std::string runs_path = out + "/runs.csv";
  std::string runs = read_text_file(runs_path);
  if (runs.rfind(header + "\n", 0) != 0) runs = header + "\n";
  runs = runs.substr(0, runs.rfind('\n') + 1);  // drop a torn last row
  std::map<std::string, std::vector<std::string>> done;  // run_id -> the row's fields
  {
    std::stringstream ss(runs);
    std::string line;
    std::getline(ss, line);
    while (std::getline(ss, line)) {
      std::vector<std::string> f = split_row(line);
      if (f.size() == kNumColumns) done[run_id(f[kTask], f[kSeed], f[kMethod])] = std::move(f);
    }
  }
  write_text_atomic(runs_path, runs);

  // The tasks: the grid family's come with their solver demonstrations; a navigation task's
  // expert is trained here (tasks/task-K.demos, reused on resume) and its demonstrations mapped onto
  // the task's grid (envs/navigation_grid.hpp). A navigation task without an expert (fewer than 20
  // feasible episodes after training; tasks/task-K.skipped says why) is passed over and the next
  // index taken, so `tasks` counts tasks that have an expert.
  struct SuiteTask {
    std::string layout;
    int rows = 0, cols = 0, actions = 0, unsafe_cells = 0;
    TabularMdp mdp;
    Demonstrations demos;
    std::string demos_path;
  };
  const bool navigation = family == "navigation";
  std::string skipped_json;  // summary.json's "skipped" entries
  auto skip = [&](int k, const std::string& reason) {
    skipped_json += std::string(skipped_json.empty() ? "" : ",\n") + "    {\"task\": " + std::to_string(k) +
                    ", \"reason\": " + json_quote(reason) + "}";
    return false;
  };
  auto make_task = [&](int k, SuiteTask& st) -> bool {
    const std::string base = out + "/tasks/task-" + std::to_string(k);
    st.demos_path = base + ".demos";
    if (!navigation) {
      const envs::GridFamilyTask task = envs::make_grid_task(family_seed, k);
      write_text_atomic(base + ".map", task.map.to_text());
      if (!std::filesystem::exists(st.demos_path)) task.demos.save(st.demos_path);
      st.layout = task.layout;
      st.rows = task.map.rows;
      st.cols = task.map.cols;
      st.actions = task.map.actions;
      st.unsafe_cells = task.unsafe_cells;
      st.mdp = task.map.actions == 4 ? envs::to_tabular(envs::GridWorld<4>(task.map), task.name)
                                     : envs::to_tabular(envs::GridWorld<8>(task.map), task.name);
      st.demos = task.demos;
      return true;
    }
    const envs::NavigationTask task = envs::make_navigation_task(family_seed, k);
    const std::string skipped_path = base + ".skipped";
    if (std::filesystem::exists(skipped_path)) return skip(k, read_text_file(skipped_path));
    Demonstrations continuous;
    if (std::filesystem::exists(st.demos_path)) {
      continuous = Demonstrations::load(st.demos_path, envs::Navigation::kName);
    } else {
      if (!quiet) std::fprintf(stderr, "[icrl suite navigation] task %d: training its expert\n", k);
      try {
        continuous = navigation_expert_demos(task, 1);
      } catch (const Error& e) {
        write_text_atomic(skipped_path, e.what());
        if (!quiet) std::fprintf(stderr, "[icrl suite navigation] task %d skipped: %s\n", k, e.what());
        return skip(k, e.what());
      }
      continuous.save(st.demos_path);
    }
    const envs::NavigationGrid grid(task);
    const std::string name = "navigation-" + std::to_string(family_seed) + "-" + std::to_string(k);
    st.mdp = grid.mdp(name);
    st.demos = grid.walks(st.mdp, continuous, name);
    st.layout.clear();
    for (int r = 0; r < task.num_regions; ++r)
      st.layout += std::string(r ? "+" : "") + task.regions[static_cast<std::size_t>(r)].kind_name();
    st.rows = st.cols = grid.cells();
    st.actions = envs::NavigationGrid::kActions;
    for (const char u : st.mdp.key_unsafe) st.unsafe_cells += u != 0;
    return true;
  };

  const int total = tasks * seeds * static_cast<int>(methods.size());
  int finished = 0;
  std::vector<int> used;  // the task indexes in the suite
  for (int k = 0; static_cast<int>(used.size()) < tasks; ++k) {
    if (k >= 100 * tasks + 100) throw Error("icrl suite: fewer than " + std::to_string(tasks) + " tasks of family '" + family + "' have an expert");
    SuiteTask task;
    if (!make_task(k, task)) continue;
    used.push_back(k);
    for (int seed = 1; seed <= seeds; ++seed) {
      for (const IcrlMethod m : methods) {
        ++finished;
        const std::string id = run_id(std::to_string(k), std::to_string(seed), method_name(m));
        if (done.count(id)) continue;
        TabularIcrlTrainer tr(config_for(m, sets), task.mdp, task.demos, task.demos_path, static_cast<std::uint64_t>(seed));
        if (seed == 1 && m == methods.front() && tr.demos_nominal_optimal_share() >= 1.0)
          std::fprintf(stderr, "icrl suite: warning: task %d: every demonstrated step is optimal for the reward alone, so "
                               "there is no constraint to learn from them\n", k);
        const TabularOuterStats s = run_iterations(tr, nullptr);
        const bool ok = success(s, tr.expert_reward());
        std::vector<std::string> f = {std::to_string(k), task.layout, std::to_string(task.rows),
                                      std::to_string(task.cols), std::to_string(task.actions),
                                      std::to_string(task.unsafe_cells), std::to_string(seed), method_name(m),
                                      csv_number(s.reward), csv_number(tr.expert_reward()), csv_number(s.violations),
                                      csv_number(s.violation_rate), csv_number(s.precision), csv_number(s.recall),
                                      std::to_string(s.learned_unsafe), csv_number(s.beta), ok ? "1" : "0",
                                      csv_number(s.wall_seconds)};
        for (std::size_t i = 0; i < f.size(); ++i) runs += (i ? "," : "") + f[i];
        runs += "\n";
        write_text_atomic(runs_path, runs);
        done[id] = std::move(f);
        if (!quiet)
          std::fprintf(stderr, "[icrl suite %s] %d/%d task %d (%s, %dx%d, %d actions) seed %d %s: reward %.2f / %.2f, "
                               "violations %.4f %s\n", family.c_str(), finished, total, k, task.layout.c_str(), task.rows,
                       task.cols, task.actions, seed, method_name(m), s.reward, tr.expert_reward(), s.violations,
                       ok ? "ok" : "FAILED");
      }
    }
  }

  // summary.json over the requested tasks x seeds x methods.
  std::string j = "{\n  \"family\": " + json_quote(family) + ",\n  \"family_seed\": " + std::to_string(family_seed) +
                  ",\n  \"tasks\": " + std::to_string(tasks) + ",\n  \"seeds\": " + std::to_string(seeds) +
                  ",\n  \"success\": \"reward >= 0.9 x expert and violations <= 0.01\",\n  \"methods\": {\n";
  std::string per_run, report;
  for (std::size_t mi = 0; mi < methods.size(); ++mi) {
    const std::string mname = method_name(methods[mi]);
    int n = 0, ok = 0, np = 0, nr = 0;
    double prec = 0, rec = 0;
    for (const int k : used)
      for (int seed = 1; seed <= seeds; ++seed) {
        const auto& f = done.at(run_id(std::to_string(k), std::to_string(seed), mname));
        ++n;
        ok += f[kSuccess] == "1";
        if (!f[kPrecision].empty()) prec += std::stod(f[kPrecision]), ++np;
        if (!f[kRecall].empty()) rec += std::stod(f[kRecall]), ++nr;
        per_run += std::string(per_run.empty() ? "" : ",\n") + "    {\"task\": " + f[kTask] + ", \"layout\": " +
                   json_quote(f[kLayout]) + ", \"seed\": " + f[kSeed] + ", \"method\": " + json_quote(f[kMethod]) +
                   ", \"reward\": " + f[kReward] + ", \"expert_reward\": " + f[kExpertReward] + ", \"violations\": " +
                   f[kViolations] + ", \"precision\": " + (f[kPrecision].empty() ? "null" : f[kPrecision]) +
                   ", \"recall\": " + (f[kRecall].empty() ? "null" : f[kRecall]) + ", \"success\": " +
                   (f[kSuccess] == "1" ? "true" : "false") + "}";
      }
    j += "    " + json_quote(mname) + ": {\"runs\": " + std::to_string(n) + ", \"success_rate\": " +
         json_number(static_cast<double>(ok) / n) + ", \"precision\": " + json_number(np ? prec / np : NAN) +
         ", \"recall\": " + json_number(nr ? rec / nr : NAN) + "}" + (mi + 1 < methods.size() ? "," : "") + "\n";
    report += family + " (family seed " + std::to_string(family_seed) + ", " + std::to_string(tasks) + " tasks x " +
              std::to_string(seeds) + " seeds) " + mname + ": success " + std::to_string(ok) + " / " + std::to_string(n) + "\n";
  }
  j += "  },\n";
  if (navigation)
    j += "  \"grid_cells\": " + std::to_string(envs::kNavigationGridCells) + ",\n  \"expert_keep_out\": " +
         json_number(envs::kNavigationExpertKeepOut) + ",\n  \"skipped\": [" + (skipped_json.empty() ? "" : "\n" + skipped_json + "\n  ") + "],\n";
  j += "  \"runs\": [\n" + per_run + "\n  ]\n}\n";
  write_text_atomic(out + "/summary.json", j);
  std::printf("%s", report.c_str());
  std::printf("-> %s/summary.json\n", out.c_str());
  return 0;
}

std::string suite_usage() { return usage_text("suite", "--family grids|navigation --out DIR [flags]", kSuiteFlags); }

}  // namespace icrl::cli
