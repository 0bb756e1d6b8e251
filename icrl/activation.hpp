// icrl/activation.hpp - elementwise activations and their derivatives, side by side.
//
// The derivative is written in terms of the activation's *output* y = f(z), which is what the
// network keeps in its workspace:  tanh' = 1 - y^2,  relu' = [y > 0],  sigmoid' = y (1 - y),
// identity' = 1.  Used by mlp.hpp for every layer; sigmoid is the head of the constraint
// network zeta(s, a) in (0, 1) (eq. (5) of the talk).
#pragma once

#include <Eigen/Core>

namespace icrl {

enum class Activation { identity, tanh, relu, sigmoid };

constexpr const char* activation_name(Activation a) {
  return a == Activation::identity ? "identity"
         : a == Activation::tanh   ? "tanh"
         : a == Activation::relu   ? "relu"
                                   : "sigmoid";
}

// forward: z <- f(z), in place.
template <Activation A, typename Derived>
void activate(Eigen::MatrixBase<Derived>& z) {
  using S = typename Derived::Scalar;
  if constexpr (A == Activation::tanh) {
    z.array() = z.array().tanh();
  } else if constexpr (A == Activation::relu) {
    z.array() = z.array().max(S(0));
  } else if constexpr (A == Activation::sigmoid) {
    z.array() = (S(1) + (-z.array()).exp()).inverse();
  }
}

// backward: dz <- dy * f'(z), in place, with f'(z) computed from the output y = f(z).
template <Activation A, typename DerivedY, typename DerivedD>
void activate_backward(const Eigen::MatrixBase<DerivedY>& y, Eigen::MatrixBase<DerivedD>& dy) {
  using S = typename DerivedD::Scalar;
  if constexpr (A == Activation::tanh) {
    dy.array() *= S(1) - y.array().square();
  } else if constexpr (A == Activation::relu) {
    dy.array() = (y.array() > S(0)).select(dy.array(), S(0));
  } else if constexpr (A == Activation::sigmoid) {
    dy.array() *= y.array() * (S(1) - y.array());
  }
}

}  // namespace icrl
