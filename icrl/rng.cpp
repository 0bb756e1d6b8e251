// icrl/rng.cpp - the deterministic logarithm behind Rng::normal (see rng.hpp).
#include "icrl/rng.hpp"

#include <cmath>
#include <limits>

namespace icrl {

double det_log(double x) noexcept {
  if (std::isnan(x) || x < 0.0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0.0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(x)) return x;
  // x = m * 2^e, m in [0.5, 1); frexp is exact. Move m into [sqrt(1/2), sqrt(2)).
  int e = 0;
  double m = std::frexp(x, &e);
  if (m < 0.70710678118654752440) {
    m *= 2.0;
    e -= 1;
  }
  // log m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), |s| <= 0.1716 so s^2 <= 0.0295 and 12
  // terms reach 1e-18 relative. Horner from the highest term down.
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  double series = 1.0 / 25.0;
  for (int k = 11; k >= 0; --k) series = 1.0 / static_cast<double>(2 * k + 1) + s2 * series;
  // ln 2 split so that e * ln2_hi is exact (the fdlibm constants).
  const double ln2_hi = 6.93147180369123816490e-01;
  const double ln2_lo = 1.90821492927058770002e-10;
  const double de = static_cast<double>(e);
  return de * ln2_hi + (2.0 * s * series + de * ln2_lo);
}

}  // namespace icrl
