// tests/test_box2d_alloc.cpp - proof that the Box2D environments touch no heap after warm-up.
//
// Box2D allocates with malloc (b2Alloc), inside libbox2d, where the counting operator new of
// tests/test_alloc.cpp cannot see it. This executable interposes the C allocator itself: malloc,
// calloc, realloc, free and the aligned variants (aligned_alloc, posix_memalign, memalign, valloc,
// pvalloc) are defined here, count while g_counting is set, and forward to glibc's own
// implementations (__libc_malloc, ...). A function defined in the executable wins the dynamic
// symbol lookup of every shared library, libbox2d and libstdc++ included; with a static Box2D the
// link resolves to it directly. operator new and delete are replaced too, counting on their own.
//
// What is checked, for cheetah, ant and ant-broken: after construction, a reset and a few warm-up
// episodes, N resets and steps with random actions allocate and free nothing, in the true env
// (a violation ends the episode) and in the nominal env with the true cost, and so does a VecEnv
// of five copies stepped in lockstep with automatic resets, as PPO steps it (cli/envs.hpp). Positive
// controls show that the counters fire: on a malloc, calloc, realloc, aligned_alloc, new and free
// inside the window, on Box2D's own mallocs when a world is built, and on the one malloc of a fresh
// world's first contacts (which the counting operator new of test_alloc.cpp does not see).
//
// AddressSanitizer, ThreadSanitizer and MemorySanitizer own malloc themselves and cannot share it:
// tests/meson.build builds this test only when b_sanitize has none of them (UBSan alone is fine),
// and this file refuses to compile under them rather than pass without counting. glibc only
// (__libc_malloc).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ICRL_MALLOC_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define ICRL_MALLOC_SANITIZED 1
#endif
#endif
#ifdef ICRL_MALLOC_SANITIZED
#error "test_box2d_alloc.cpp interposes malloc, which this sanitizer owns; tests/meson.build leaves it out of b_sanitize=address/thread/memory builds"
#endif

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <new>

#if !defined(__GLIBC__)
#error "test_box2d_alloc.cpp forwards to glibc's __libc_malloc family; it needs glibc"
#endif

// ---- the counting allocator -----------------------------------------------------------------
// Plain globals with constant initialisation: the allocator runs before any constructor (the
// dynamic loader and libstdc++ allocate during start-up). The tests are single-threaded.
namespace {
volatile bool g_counting = false;  // count only inside a window
long g_mallocs = 0;                // malloc, calloc, realloc, the aligned variants
long g_frees = 0;                  // free of a non-null pointer
long g_news = 0;                   // every operator new variant
long g_deletes = 0;                // every operator delete variant, non-null pointer
}  // namespace

extern "C" {
void* __libc_malloc(std::size_t n) noexcept;
void* __libc_calloc(std::size_t count, std::size_t n) noexcept;
void* __libc_realloc(void* p, std::size_t n) noexcept;
void __libc_free(void* p) noexcept;
void* __libc_memalign(std::size_t alignment, std::size_t n) noexcept;
void* __libc_valloc(std::size_t n) noexcept;
void* __libc_pvalloc(std::size_t n) noexcept;

void* malloc(std::size_t n) noexcept {
  if (g_counting) ++g_mallocs;
  return __libc_malloc(n);
}
void* calloc(std::size_t count, std::size_t n) noexcept {
  if (g_counting) ++g_mallocs;
  return __libc_calloc(count, n);
}
void* realloc(void* p, std::size_t n) noexcept {
  if (g_counting) ++g_mallocs;
  return __libc_realloc(p, n);
}
void free(void* p) noexcept {
  if (g_counting && p) ++g_frees;
  __libc_free(p);
}
void* aligned_alloc(std::size_t alignment, std::size_t n) noexcept {
  if (g_counting) ++g_mallocs;
  return __libc_memalign(alignment, n);
}
void* memalign(std::size_t alignment, std::size_t n) noexcept {
  if (g_counting) ++g_mallocs;
  return __libc_memalign(alignment, n);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t n) noexcept {
  if (g_counting) ++g_mallocs;
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* p = __libc_memalign(alignment, n);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}
void* valloc(std::size_t n) noexcept {
  if (g_counting) ++g_mallocs;
  return __libc_valloc(n);
}
void* pvalloc(std::size_t n) noexcept {
  if (g_counting) ++g_mallocs;
  return __libc_pvalloc(n);
}
}  // extern "C"

namespace {
void* counted_new(std::size_t n, std::size_t alignment = 0) noexcept {
  if (g_counting) ++g_news;
  if (n == 0) n = 1;
  return alignment > alignof(std::max_align_t) ? __libc_memalign(alignment, n) : __libc_malloc(n);
}
void counted_delete(void* p) noexcept {
  if (g_counting && p) ++g_deletes;
  __libc_free(p);
}
}  // namespace

void* operator new(std::size_t n) {
  if (void* p = counted_new(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = counted_new(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted_new(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted_new(n); }
void* operator new(std::size_t n, std::align_val_t al) {
  if (void* p = counted_new(n, static_cast<std::size_t>(al))) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t al) {
  if (void* p = counted_new(n, static_cast<std::size_t>(al))) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  return counted_new(n, static_cast<std::size_t>(al));
}
void* operator new[](std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  return counted_new(n, static_cast<std::size_t>(al));
}
void operator delete(void* p) noexcept { counted_delete(p); }
void operator delete[](void* p) noexcept { counted_delete(p); }
void operator delete(void* p, std::size_t) noexcept { counted_delete(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_delete(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { counted_delete(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { counted_delete(p); }
void operator delete(void* p, std::align_val_t) noexcept { counted_delete(p); }
void operator delete[](void* p, std::align_val_t) noexcept { counted_delete(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { counted_delete(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { counted_delete(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { counted_delete(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { counted_delete(p); }

#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <memory>

#include "envs/ant.hpp"
#include "envs/cheetah.hpp"
#include "envs/vec_env.hpp"
#include "icrl/rng.hpp"

namespace {

// What one counting window saw.
struct HeapUse {
  long mallocs = 0, frees = 0, news = 0, deletes = 0;
  long total() const { return mallocs + frees + news + deletes; }
};

// Runs f() with the counters on and returns what it did to the heap.
template <class F>
HeapUse count_heap(F&& f) {
  g_mallocs = g_frees = g_news = g_deletes = 0;
  g_counting = true;
  f();
  g_counting = false;
  return {g_mallocs, g_frees, g_news, g_deletes};
}

template <class Action>
void random_action(icrl::Rng& rng, Action& a) {
  for (int j = 0; j < a.size(); ++j) a(j) = rng.uniform(-1.0, 1.0);
}

// Steps env with random actions until `episodes` episodes have ended (at most max_steps steps);
// reset at the start and after every episode. Returns the steps taken.
template <class Env>
long run(Env& env, icrl::Rng& rng, int episodes, long max_steps) {
  typename Env::Action a;
  long steps = 0;
  env.reset(rng);
  for (int done = 0; done < episodes && steps < max_steps;) {
    random_action(rng, a);
    const auto r = env.step(a);
    ++steps;
    if (r.terminated || r.truncated) {
      ++done;
      env.reset(rng);
    }
  }
  return steps;
}

// The single env (true or nominal) and the VecEnv of training, warmed up, then counted.
template <class Env>
void check_heap_free_after_warmup(bool terminate_on_violation) {
  CAPTURE(Env::kName);
  CAPTURE(terminate_on_violation);
  typename Env::Config config;
  config.terminate_on_violation = terminate_on_violation;

  // One env: construction allocates (the b2World); reset, 3 warm-up episodes, then 5 more episodes'
  // worth of resets and steps (at most 2500 steps) must not.
  auto env = std::make_unique<Env>(config);
  icrl::Rng rng(11, 0);
  run(*env, rng, 3, 3000);
  long steps = 0;
  const HeapUse single = count_heap([&] {
    steps = run(*env, rng, 5, 2500);
    for (int k = 0; k < 10; ++k) env->reset(rng);  // resets on their own, too
  });
  CHECK(steps >= 2500 / 2);
  CHECK(single.mallocs == 0);
  CHECK(single.frees == 0);
  CHECK(single.news == 0);
  CHECK(single.deletes == 0);

  // Training's VecEnv<Env, 5> (cli/envs.hpp): copies of a prototype, lockstep steps with
  // automatic resets. Warm-up: every copy finishes 2 episodes; then 1500 lockstep steps.
  using Vec = icrl::envs::VecEnv<Env, 5>;
  auto venv = std::make_unique<Vec>(*env);
  auto actions = std::make_unique<typename Vec::Actions>();
  icrl::Rng act_rng(11, 99);
  venv->reset_all(12);
  auto step_all = [&] {
    for (auto& a : *actions) random_action(act_rng, a);
    venv->step(*actions);
  };
  for (long s = 0; s < 3 * Env::kMaxSteps; ++s) {
    bool warm = true;
    for (int i = 0; i < Vec::kNumEnvs; ++i) warm = warm && venv->episodes_finished(i) >= 2;
    if (warm) break;
    step_all();
  }
  long finished_before = 0, finished_after = 0;
  for (int i = 0; i < Vec::kNumEnvs; ++i) finished_before += venv->episodes_finished(i);
  const HeapUse vec = count_heap([&] {
    for (int s = 0; s < 1500; ++s) step_all();
  });
  for (int i = 0; i < Vec::kNumEnvs; ++i) finished_after += venv->episodes_finished(i);
  CHECK(finished_after > finished_before);  // the window crossed automatic resets
  CHECK(vec.mallocs == 0);
  CHECK(vec.frees == 0);
  CHECK(vec.news == 0);
  CHECK(vec.deletes == 0);
}

TEST_CASE("box2d heap: the counters fire on every allocation function and on Box2D's own mallocs") {
  // Through volatile function pointers, so the compiler cannot pair up and drop the calls.
  void* (*volatile do_malloc)(std::size_t) = &std::malloc;
  void* (*volatile do_calloc)(std::size_t, std::size_t) = &std::calloc;
  void* (*volatile do_realloc)(void*, std::size_t) = &std::realloc;
  void* (*volatile do_aligned)(std::size_t, std::size_t) = &aligned_alloc;
  void (*volatile do_free)(void*) = &std::free;
  const HeapUse c = count_heap([&] {
    void* p = do_malloc(24);
    void* q = do_calloc(3, 8);
    p = do_realloc(p, 4096);
    void* r = do_aligned(64, 128);
    do_free(p);
    do_free(q);
    do_free(r);
    do_free(nullptr);  // not counted
  });
  CHECK(c.mallocs == 4);
  CHECK(c.frees == 3);
  const HeapUse n = count_heap([&] {
    auto v = std::make_unique<std::array<double, 64>>();
    (*v)[0] = 1.0;
  });
  CHECK(n.news == 1);
  CHECK(n.deletes == 1);

  // Building a world is Box2D calling malloc from inside libbox2d (b2Alloc: the block and stack
  // allocators, the bodies, the broad-phase tree), which operator new never sees.
  const HeapUse world = count_heap([&] { auto cheetah = std::make_unique<icrl::envs::Cheetah>(); });
  CHECK(world.mallocs > 0);
  CHECK(world.frees > 0);
  // The first steps of a fresh world, when the feet first touch the ground, take Box2D's first
  // block of contacts with malloc: the allocation the warm-up exists for, invisible to operator new.
  auto fresh = std::make_unique<icrl::envs::Cheetah>();
  icrl::Rng rng(1, 0);
  const HeapUse first = count_heap([&] {
    fresh->reset(rng);
    const icrl::envs::Cheetah::Action zero = icrl::envs::Cheetah::Action::Zero();
    for (int t = 0; t < 50; ++t) fresh->step(zero);
  });
  CHECK(first.mallocs >= 1);
  CHECK(first.news == 0);
}

TEST_CASE("box2d heap: cheetah steps and resets allocate nothing after warm-up") {
  check_heap_free_after_warmup<icrl::envs::CheetahConstrained>(true);
  check_heap_free_after_warmup<icrl::envs::CheetahConstrained>(false);
}

TEST_CASE("box2d heap: ant steps and resets allocate nothing after warm-up") {
  check_heap_free_after_warmup<icrl::envs::AntConstrained>(true);
  check_heap_free_after_warmup<icrl::envs::AntConstrained>(false);
}

TEST_CASE("box2d heap: ant-broken steps and resets allocate nothing after warm-up") {
  check_heap_free_after_warmup<icrl::envs::AntBrokenConstrained>(true);
  check_heap_free_after_warmup<icrl::envs::AntBrokenConstrained>(false);
}

}  // namespace
