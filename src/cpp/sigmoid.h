// The logistic function of training, by table lookup.
#pragma once

namespace w2v {

// sigmoid(x) by table lookup. The table samples [-kSigmoidRange, kSigmoidRange] at kSigmoidTableSize + 1 points and
// each lookup rounds to the nearest point, so the error inside the range is at most half a step times the maximum
// slope (1/4): 8 / 4096 * 0.25 = 4.9e-4. Outside the range it returns 0 or 1; the true value differs by at most
// sigmoid(-8) = 3.4e-4. (word2vec.c's table has 1000 entries over [-6, 6] and truncates: error up to 3.0e-3.)
constexpr float kSigmoidRange = 8.0f;
constexpr int kSigmoidTableSize = 4096;

struct SigmoidTable {
  float value[kSigmoidTableSize + 1];
  SigmoidTable();
};
extern const SigmoidTable kSigmoidTable;

inline float fast_sigmoid(float x) {
  constexpr float kScale = kSigmoidTableSize / (2.0f * kSigmoidRange);
  // Written so that NaN (from weights that diverged) takes this branch: casting NaN to an index would read anywhere.
  if (!(x > -kSigmoidRange)) return 0.0f;
  if (x >= kSigmoidRange) return 1.0f;
  return kSigmoidTable.value[static_cast<int>((x + kSigmoidRange) * kScale + 0.5f)];
}

}  // namespace w2v
