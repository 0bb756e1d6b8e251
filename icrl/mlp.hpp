// icrl/mlp.hpp - a fixed-size multilayer perceptron: forward and backward over a compile-time batch.
//
// Every network of the method is one of these (SPEC sections 2-4):
//   policy, reward value, cost value     Mlp<float, tanh, identity, obs, 64, 64, out>
//   constraint network zeta(s, a)        Mlp<float, relu, sigmoid,  in, 20, 1>       (eq. (5))
//   GAIL-constraint discriminator D      Mlp<float, relu, sigmoid,  in, ..., 1>
//
// Layer l (l = 0 .. L-1) maps an activation a_l [w_l, B] to
//     z_{l+1} = W_l a_l + b_l,        a_{l+1} = f_l(z_{l+1})
// with f_l = Hidden for l < L-1 and Output for the last layer. Samples are columns, so one
// sample's features are contiguous (Eigen is column-major).
// Backward takes dL/da_L [w_L, B] and *accumulates* (like autograd):
//     dz = dL/da_{l+1} * f'(a_{l+1}),   dW_l += dz a_l^T,   db_l += sum_cols dz,
//     dL/da_l = W_l^T dz
// so one network can take gradients from several batches (expert and nominal, eq. (11)) before
// one optimiser step. zero_grad() clears them.
//
// All parameters live in one flat vector `theta` [kNumParams] (W_0 column-major, b_0, W_1, b_1,
// ...) and their gradients in `grad` [kNumParams]; W<l>() and b<l>() are fixed-size views. This
// makes Adam, gradient clipping, checkpoints and the header export one loop over one vector.
// Activations live in a Workspace<B> owned by the caller, one per batch size, allocated once; a
// forward or backward pass never touches the heap.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <tuple>
#include <utility>

#include <Eigen/Core>

#include "icrl/activation.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/init.hpp"
#include "icrl/rng.hpp"

namespace icrl {

// Eigen refuses fixed-size objects above this many bytes (EIGEN_STACK_ALLOCATION_LIMIT).
inline constexpr std::size_t kMaxFixedBytes = 128 * 1024;

template <typename S, Activation Hidden, Activation Output, int... Widths>
class Mlp {
 public:
  using Scalar = S;
  static constexpr int kNumLayers = static_cast<int>(sizeof...(Widths)) - 1;
  static_assert(kNumLayers >= 1, "an Mlp needs at least an input and an output width");
  static constexpr std::array<int, sizeof...(Widths)> kWidths{Widths...};
  static constexpr int kIn = kWidths[0];
  static constexpr int kOut = kWidths[kNumLayers];

  // Offsets of W_l and b_l inside theta.
  static constexpr int weight_offset(int l) {
    int offset = 0;
    for (int i = 0; i < l; ++i) offset += kWidths[i + 1] * kWidths[i] + kWidths[i + 1];
    return offset;
  }
  static constexpr int bias_offset(int l) { return weight_offset(l) + kWidths[l + 1] * kWidths[l]; }
  static constexpr int kNumParams = weight_offset(kNumLayers);
  static_assert(kNumParams * sizeof(S) <= kMaxFixedBytes,
                "this network has more parameters than one fixed-size Eigen vector may hold "
                "(128 KiB): use narrower layers");

  static constexpr Activation activation_of(int l) { return l + 1 == kNumLayers ? Output : Hidden; }

  using Params = Eigen::Matrix<S, kNumParams, 1>;
  template <int B> using InputBatch = Eigen::Matrix<S, kIn, B>;    // [kIn, B]
  template <int B> using OutputBatch = Eigen::Matrix<S, kOut, B>;  // [kOut, B]

  alignas(64) Params theta = Params::Zero();  // [kNumParams] W_0, b_0, W_1, b_1, ... (W column-major)
  alignas(64) Params grad = Params::Zero();   // [kNumParams] dL/dtheta, accumulated by backward()

  // ---- parameter views -------------------------------------------------------------------
  template <int L> using WeightMat = Eigen::Matrix<S, kWidths[L + 1], kWidths[L]>;  // [w_{l+1}, w_l]
  template <int L> using BiasVec = Eigen::Matrix<S, kWidths[L + 1], 1>;             // [w_{l+1}]

  // Views are declared 16-byte aligned when their offset allows it (theta itself is aligned), so
  // Eigen may use aligned SIMD loads.
  template <int Offset>
  static constexpr int kMapAlign = (Offset * sizeof(S)) % 16 == 0 ? Eigen::Aligned16 : Eigen::Unaligned;
  template <int L> using WMap = Eigen::Map<WeightMat<L>, kMapAlign<weight_offset(L)>>;
  template <int L> using WMapC = Eigen::Map<const WeightMat<L>, kMapAlign<weight_offset(L)>>;
  template <int L> using BMap = Eigen::Map<BiasVec<L>, kMapAlign<bias_offset(L)>>;
  template <int L> using BMapC = Eigen::Map<const BiasVec<L>, kMapAlign<bias_offset(L)>>;

  template <int L> WMap<L> W() { return WMap<L>(theta.data() + weight_offset(L)); }
  template <int L> WMapC<L> W() const { return WMapC<L>(theta.data() + weight_offset(L)); }
  template <int L> BMap<L> b() { return BMap<L>(theta.data() + bias_offset(L)); }
  template <int L> BMapC<L> b() const { return BMapC<L>(theta.data() + bias_offset(L)); }
  template <int L> WMap<L> dW() { return WMap<L>(grad.data() + weight_offset(L)); }
  template <int L> BMap<L> db() { return BMap<L>(grad.data() + bias_offset(L)); }

  // ---- workspace: activations and their gradients for one batch size B -------------------
 private:
  template <int B, std::size_t... I>
  static auto make_buffers(std::index_sequence<I...>) -> std::tuple<Eigen::Matrix<S, kWidths[I], B>...>;

 public:
  template <int B>
  struct Workspace {
    static_assert(B >= 1, "batch size must be positive");
    using Buffers = decltype(make_buffers<B>(std::make_index_sequence<kNumLayers + 1>{}));
    Buffers a;      // a[l]: [w_l, B] activation entering layer l; a[0] = input, a[L] = output
    Buffers delta;  // delta[l]: [w_l, B] dL/da_l during backward; delta[0] = dL/dinput
    const Eigen::Matrix<S, kOut, B>& output() const { return std::get<kNumLayers>(a); }
    const Eigen::Matrix<S, kIn, B>& input_grad() const { return std::get<0>(delta); }
  };

  // ---- initialisation --------------------------------------------------------------------
  // Orthogonal weights (gain hidden_gain on hidden layers, output_gain on the last), zero biases.
  void init_orthogonal(Rng& rng, double hidden_gain, double output_gain) {
    init_orthogonal_layer<0>(rng, hidden_gain, output_gain);
    grad.setZero();
  }
  // Weights and biases ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
  void init_fan_in_uniform(Rng& rng) {
    init_fan_in_layer<0>(rng);
    grad.setZero();
  }

  void zero_grad() { grad.setZero(); }

  // ---- forward ---------------------------------------------------------------------------
  // Runs the network on the columns of x [kIn, B]; returns the output [kOut, B] (kept in ws).
  template <int B, typename Derived>
  const Eigen::Matrix<S, kOut, B>& forward(const Eigen::MatrixBase<Derived>& x, Workspace<B>& ws) const {
    static_assert(Derived::RowsAtCompileTime == kIn && Derived::ColsAtCompileTime == B,
                  "forward: input must be [kIn, B]");
    std::get<0>(ws.a) = x;
    forward_layer<0>(ws);
    return ws.output();
  }

  // ---- backward --------------------------------------------------------------------------
  // Given dL/doutput [kOut, B] for the batch of the last forward(ws), adds dL/dtheta to grad and
  // leaves dL/dinput in ws.input_grad().
  template <int B, typename Derived>
  void backward(const Eigen::MatrixBase<Derived>& d_output, Workspace<B>& ws) {
    static_assert(Derived::RowsAtCompileTime == kOut && Derived::ColsAtCompileTime == B,
                  "backward: output gradient must be [kOut, B]");
    std::get<kNumLayers>(ws.delta) = d_output;
    backward_layer<kNumLayers - 1>(ws);
  }

  // ---- checkpoints -----------------------------------------------------------------------
  // One entry `<prefix>theta` [kNumParams, 1] plus the architecture as text, so a file from a
  // network of another shape is refused with both shapes in the message.
  static std::string architecture() {
    std::string s = std::string("mlp ") + activation_name(Hidden) + "/" + activation_name(Output);
    for (int w : kWidths) s += " " + std::to_string(w);
    return s;
  }
  void save(CheckpointWriter& out, const std::string& prefix) const {
    out.add_text(prefix + "architecture", architecture());
    out.add(prefix + "theta", theta);
  }
  // Checks everything first, then copies: on any error *this is unchanged.
  void load(const CheckpointReader& in, const std::string& prefix) {
    in.require_text(prefix + "architecture", architecture());
    in.read(prefix + "theta", theta);
  }

 private:
  template <int L>
  void init_orthogonal_layer(Rng& rng, double hidden_gain, double output_gain) {
    orthogonal_init(W<L>(), L + 1 == kNumLayers ? output_gain : hidden_gain, rng);
    b<L>().setZero();
    if constexpr (L + 1 < kNumLayers) init_orthogonal_layer<L + 1>(rng, hidden_gain, output_gain);
  }
  template <int L>
  void init_fan_in_layer(Rng& rng) {
    fan_in_uniform_init(W<L>(), kWidths[L], rng);
    fan_in_uniform_init(b<L>(), kWidths[L], rng);
    if constexpr (L + 1 < kNumLayers) init_fan_in_layer<L + 1>(rng);
  }

  // a_{l+1} = f_l(W_l a_l + b_l)
  template <int L, int B>
  void forward_layer(Workspace<B>& ws) const {
    const auto& in = std::get<L>(ws.a);   // [w_l, B]
    auto& out = std::get<L + 1>(ws.a);    // [w_{l+1}, B]
    out.noalias() = W<L>() * in;
    out.colwise() += b<L>();
    activate<activation_of(L)>(out);
    if constexpr (L + 1 < kNumLayers) forward_layer<L + 1>(ws);
  }

  // dz = delta_{l+1} * f'(a_{l+1});  dW_l += dz a_l^T;  db_l += sum_cols dz;  delta_l = W_l^T dz
  template <int L, int B>
  void backward_layer(Workspace<B>& ws) {
    auto& dz = std::get<L + 1>(ws.delta);  // [w_{l+1}, B], becomes dL/dz in place
    activate_backward<activation_of(L)>(std::get<L + 1>(ws.a), dz);
    dW<L>().noalias() += dz * std::get<L>(ws.a).transpose();
    db<L>() += dz.rowwise().sum();
    std::get<L>(ws.delta).noalias() = W<L>().transpose() * dz;
    if constexpr (L > 0) backward_layer<L - 1>(ws);
  }
};

}  // namespace icrl
