// tests/test_run_dir.cpp - the run directory (icrl/run_dir.hpp): a fresh run writes its settings,
// its table and its state; a resumed one continues from the last commit with the table cut back
// to it; changed settings, an edited table and a damaged state are refused with the file named.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "icrl/checkpoint.hpp"
#include "icrl/error.hpp"
#include "icrl/run_dir.hpp"

using namespace icrl;

namespace {

std::string fresh_dir(const std::string& name) {
  const std::string d = std::string(ICRL_TEST_TMPDIR) + "/run_dir_" + name;
  std::filesystem::remove_all(d);
  return d;
}

// One iteration of a pretend run: a row, then the commit with the iteration number as its state.
void iterate(RunDir& dir, int i) {
  dir.progress_row(std::to_string(i) + "," + std::to_string(i * i));
  CheckpointWriter state("TEST");
  state.add_int("iteration", i);
  dir.commit(state);
}

}  // namespace

TEST_CASE("run directory: fresh run, kill after a row but before its commit, resume") {
  const std::string d = fresh_dir("resume");
  {
    RunDir dir(d + "/nested", "lr = 0.1\n", "TEST", /*resume=*/true);  // nothing to resume: fresh
    CHECK(!dir.resumed());
    dir.open_progress("iteration,square");
    iterate(dir, 1);
    iterate(dir, 2);
    dir.progress_row("3,9");  // killed here: the row is on disk, the state is still iteration 2's
  }
  CHECK(read_text_file(d + "/nested/config.txt") == "lr = 0.1\n");
  CHECK(read_text_file(d + "/nested/progress.csv") == "iteration,square\n1,1\n2,4\n3,9\n");

  RunDir dir(d + "/nested", "lr = 0.1\n", "TEST", true);
  REQUIRE(dir.resumed());
  CHECK(dir.state().read_int("iteration") == 2);
  dir.open_progress("iteration,square");
  iterate(dir, 3);
  dir.close();
  CHECK(read_text_file(d + "/nested/progress.csv") == "iteration,square\n1,1\n2,4\n3,9\n");
  dir.write_text("summary.json", "{}\n");
  CHECK(read_text_file(d + "/nested/summary.json") == "{}\n");
  CHECK(dir.last_state() == d + "/nested/state.ckpt");

  // Without resume the same directory starts over: the old state is gone, the table rewritten.
  RunDir again(d + "/nested", "lr = 0.2\n", "TEST", false);
  CHECK(!again.resumed());
  CHECK(again.last_state().empty());
  again.open_progress("iteration,square");
  again.close();
  CHECK(read_text_file(d + "/nested/progress.csv") == "iteration,square\n");
  CHECK(read_text_file(d + "/nested/config.txt") == "lr = 0.2\n");
}

TEST_CASE("run directory: changed settings, an edited table and a damaged state are refused") {
  const std::string d = fresh_dir("refuse");
  {
    RunDir dir(d, "lr = 0.1\n", "TEST", false);
    dir.open_progress("iteration,square");
    iterate(dir, 1);
  }
  CHECK_THROWS_WITH_AS(RunDir(d, "lr = 0.5\n", "TEST", true), doctest::Contains((d + "/config.txt' differs").c_str()), Error);
  CHECK_THROWS_WITH_AS(RunDir(d, "lr = 0.1\n", "PLCY", true), doctest::Contains("state.ckpt"), Error);

  std::filesystem::resize_file(d + "/progress.csv", 5);  // shorter than the state recorded
  {
    RunDir dir(d, "lr = 0.1\n", "TEST", true);
    CHECK_THROWS_WITH_AS(dir.open_progress("iteration,square"), doctest::Contains("progress.csv' is 5 bytes"), Error);
  }
  {
    std::ofstream f(d + "/state.ckpt", std::ios::binary | std::ios::trunc);
    f << "not a checkpoint";
  }
  CHECK_THROWS_WITH_AS(RunDir(d, "lr = 0.1\n", "TEST", true), doctest::Contains("state.ckpt"), Error);

  // A file where the directory should be.
  const std::string blocked = fresh_dir("blocked");
  { std::ofstream f(blocked); }
  CHECK_THROWS_WITH_AS(RunDir(blocked, "x\n", "TEST", false), doctest::Contains("cannot create the run directory"), Error);
}
