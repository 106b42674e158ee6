/*===- dwsep_ref_test.c - Unit tests of the C reference
--------------------===*\
 *
 * Every expected value here is computed by hand (the arithmetic is in the
 * comments), never by the code under test; the only exception is the fused
 * op, which is checked against the composition of the unfused ops (its
 * definition) on pseudo-random data, in addition to two hand-computed cases.
 *
 * Runs on the host and bare-metal under QEMU (picolibc, semihosting): only
 * printf of int and strings, no %lld.
 * Exit status 0 iff every check passed.
\*===----------------------------------------------------------------------===*/

#include "dwsep_ref.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*---------------------------------------------------------------------------*/
/* Check helpers                                                             */
/*---------------------------------------------------------------------------*/

static int n_checks;
static int n_failures;

/* Formats a signed 64-bit value without relying on printf's %lld. */
static const char *fmt_i64(char buf[24], int64_t v) {
  char tmp[24];
  int n = 0, i = 0;
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do {
    tmp[n++] = (char)('0' + (int)(u % 10u));
    u /= 10u;
  } while (u != 0);
  if (v < 0)
    buf[i++] = '-';
  while (n > 0)
    buf[i++] = tmp[--n];
  buf[i] = '\0';
  return buf;
}

static void check_eq(int line, const char *what, int64_t expected,
                     int64_t got) {
  ++n_checks;
  if (expected != got) {
    char be[24], bg[24];
    ++n_failures;
    printf("FAIL (line %d): %s: expected %s, got %s\n", line, what,
           fmt_i64(be, expected), fmt_i64(bg, got));
  }
}
#define CHECK_EQ(what, expected, got)                                          \
  check_eq(__LINE__, (what), (int64_t)(expected), (int64_t)(got))

/* Compares every logical element of `a` (loaded with its signedness) with
 * `expected`, given in logical h, w, c order (i.e. as if hwc). */
static void check_act(int line, const char *what, const dwsep_act_t *a,
                      const int32_t *expected) {
  int32_t y, x, c;
  for (y = 0; y < a->h; ++y)
    for (x = 0; x < a->w; ++x)
      for (c = 0; c < a->c; ++c) {
        int32_t e = expected[(y * a->w + x) * a->c + c];
        int32_t g = dwsep_act_load(a, y, x, c);
        ++n_checks;
        if (e != g) {
          ++n_failures;
          printf("FAIL (line %d): %s at (y=%d, x=%d, c=%d): expected %d, "
                 "got %d\n",
                 line, what, (int)y, (int)x, (int)c, (int)e, (int)g);
        }
      }
}
#define CHECK_ACT(what, act, expected)                                         \
  check_act(__LINE__, (what), (act), (expected))

/* Compares two activations of the same logical dims element by element. */
static void check_same(int line, const char *what, const dwsep_act_t *e,
                       const dwsep_act_t *g) {
  int32_t y, x, c;
  ++n_checks;
  if (e->h != g->h || e->w != g->w || e->c != g->c) {
    ++n_failures;
    printf("FAIL (line %d): %s: dims differ\n", line, what);
    return;
  }
  for (y = 0; y < e->h; ++y)
    for (x = 0; x < e->w; ++x)
      for (c = 0; c < e->c; ++c) {
        int32_t ve = dwsep_act_load(e, y, x, c);
        int32_t vg = dwsep_act_load(g, y, x, c);
        if (ve != vg) {
          ++n_failures;
          printf("FAIL (line %d): %s at (y=%d, x=%d, c=%d): expected %d, "
                 "got %d\n",
                 line, what, (int)y, (int)x, (int)c, (int)ve, (int)vg);
          return;
        }
      }
}
#define CHECK_SAME(what, e, g) check_same(__LINE__, (what), (e), (g))

static dwsep_requant_t rq_make(const int32_t *mult, int32_t n_mult,
                               const int32_t *shift, int32_t n_shift,
                               const int32_t *add, int32_t n_add, int32_t zp,
                               int32_t lo, int32_t hi, dwsep_rounding_t r) {
  dwsep_requant_t rq;
  rq.mult = mult;
  rq.n_mult = n_mult;
  rq.shift = shift;
  rq.n_shift = n_shift;
  rq.add = add;
  rq.n_add = n_add;
  rq.zp = zp;
  rq.clamp_min = lo;
  rq.clamp_max = hi;
  rq.rounding = r;
  return rq;
}

/* Per-tensor requantization with no addend. */
static dwsep_requant_t rq_simple(const int32_t *mult, const int32_t *shift,
                                 int32_t zp, int32_t lo, int32_t hi,
                                 dwsep_rounding_t r) {
  return rq_make(mult, 1, shift, 1, NULL, 0, zp, lo, hi, r);
}

static dwsep_act_t act(uint8_t *data, int32_t h, int32_t w, int32_t c,
                       dwsep_layout_t layout, int is_signed) {
  dwsep_act_t a;
  a.data = data;
  a.h = h;
  a.w = w;
  a.c = c;
  a.layout = layout;
  a.is_signed = is_signed;
  return a;
}

/* Fills `a` from logical h, w, c ordered values (stores low 8 bits). */
static void fill_act(dwsep_act_t *a, const int32_t *values) {
  int32_t y, x, c;
  for (y = 0; y < a->h; ++y)
    for (x = 0; x < a->w; ++x)
      for (c = 0; c < a->c; ++c)
        dwsep_act_store(a, y, x, c, values[(y * a->w + x) * a->c + c]);
}

static const int32_t ONE[1] = {1};
static const int32_t ZERO[1] = {0};
#define I8_MIN_ (-128)
#define I8_MAX_ 127

/*---------------------------------------------------------------------------*/
/* Requantization                                                            */
/*---------------------------------------------------------------------------*/

static int64_t rq1(int32_t acc, int32_t mult, int32_t shift, int32_t add,
                   int32_t zp, int32_t lo, int32_t hi, dwsep_rounding_t r) {
  dwsep_requant_t rq = rq_make(&mult, 1, &shift, 1, &add, 1, zp, lo, hi, r);
  return dwsep_requant_apply(&rq, acc, 0);
}

#define WIDE_LO INT32_MIN
#define WIDE_HI INT32_MAX

static void test_requant_rounding(void) {
  const dwsep_rounding_t F = DWSEP_ROUND_FLOOR, H = DWSEP_ROUND_HALF_UP,
                         D = DWSEP_ROUND_DOUBLE;
  /* 5 / 2 = 2.5: floor 2, half_up 3, double (s <= 31 = half_up) 3. */
  CHECK_EQ("floor 2.5", 2, rq1(5, 1, 1, 0, 0, WIDE_LO, WIDE_HI, F));
  CHECK_EQ("half_up 2.5", 3, rq1(5, 1, 1, 0, 0, WIDE_LO, WIDE_HI, H));
  CHECK_EQ("double 2.5", 3, rq1(5, 1, 1, 0, 0, WIDE_LO, WIDE_HI, D));
  /* -5 / 2 = -2.5: floor -3, half_up floor(-2.5 + 0.5) = -2 (ties to +inf),
   * double -2. */
  CHECK_EQ("floor -2.5", -3, rq1(-5, 1, 1, 0, 0, WIDE_LO, WIDE_HI, F));
  CHECK_EQ("half_up -2.5", -2, rq1(-5, 1, 1, 0, 0, WIDE_LO, WIDE_HI, H));
  CHECK_EQ("double -2.5", -2, rq1(-5, 1, 1, 0, 0, WIDE_LO, WIDE_HI, D));
  /* -7 / 4 = -1.75: floor -2, half_up floor(-1.25) = -2. */
  CHECK_EQ("floor -1.75", -2, rq1(-7, 1, 2, 0, 0, WIDE_LO, WIDE_HI, F));
  CHECK_EQ("half_up -1.75", -2, rq1(-7, 1, 2, 0, 0, WIDE_LO, WIDE_HI, H));
  /* -6 / 4 = -1.5: floor -2, half_up -1. */
  CHECK_EQ("floor -1.5", -2, rq1(-6, 1, 2, 0, 0, WIDE_LO, WIDE_HI, F));
  CHECK_EQ("half_up -1.5", -1, rq1(-6, 1, 2, 0, 0, WIDE_LO, WIDE_HI, H));
  /* -5 / 4 = -1.25: floor -2, half_up floor(-0.75) = -1. */
  CHECK_EQ("floor -1.25", -2, rq1(-5, 1, 2, 0, 0, WIDE_LO, WIDE_HI, F));
  CHECK_EQ("half_up -1.25", -1, rq1(-5, 1, 2, 0, 0, WIDE_LO, WIDE_HI, H));
  /* 7 / 4 = 1.75: floor 1, half_up 2. */
  CHECK_EQ("floor 1.75", 1, rq1(7, 1, 2, 0, 0, WIDE_LO, WIDE_HI, F));
  CHECK_EQ("half_up 1.75", 2, rq1(7, 1, 2, 0, 0, WIDE_LO, WIDE_HI, H));
  /* mult and add: (10 * 3 + 6) / 8 = 4.5 -> floor 4, half_up 5; + zp 10. */
  CHECK_EQ("floor mult/add/zp", 14, rq1(10, 3, 3, 6, 10, WIDE_LO, WIDE_HI, F));
  CHECK_EQ("half_up mult/add/zp", 15,
           rq1(10, 3, 3, 6, 10, WIDE_LO, WIDE_HI, H));
  /* Negative multiplier (allowed): 10 * -3 = -30, / 8 = -3.75:
   * floor -4, half_up floor(-3.25) = -4. */
  CHECK_EQ("negative mult floor", -4,
           rq1(10, -3, 3, 0, 0, WIDE_LO, WIDE_HI, F));
  CHECK_EQ("negative mult half_up", -4,
           rq1(10, -3, 3, 0, 0, WIDE_LO, WIDE_HI, H));
}

static void test_requant_shift0(void) {
  /* shift 0: no rounding in any mode. -7 * 3 + 5 = -16, + zp 1 = -15. */
  CHECK_EQ("shift 0 floor", -15,
           rq1(-7, 3, 0, 5, 1, WIDE_LO, WIDE_HI, DWSEP_ROUND_FLOOR));
  CHECK_EQ("shift 0 half_up", -15,
           rq1(-7, 3, 0, 5, 1, WIDE_LO, WIDE_HI, DWSEP_ROUND_HALF_UP));
  CHECK_EQ("shift 0 double", -15,
           rq1(-7, 3, 0, 5, 1, WIDE_LO, WIDE_HI, DWSEP_ROUND_DOUBLE));
  /* Extreme: acc = mult = -2^31, add = 2^31 - 1, zp = 2^31 - 1:
   * v = 2^62 + 2^31 - 1, + zp = 2^62 + 2^32 - 2 (fits int64), clamp 255. */
  CHECK_EQ("shift 0 extreme clamps", 255,
           rq1(INT32_MIN, INT32_MIN, 0, INT32_MAX, INT32_MAX, 0, 255,
               DWSEP_ROUND_HALF_UP));
  /* Same with a wide clamp: the clamp bound 2^31 - 1 is returned. */
  CHECK_EQ("shift 0 extreme clamps to int32 max", INT32_MAX,
           rq1(INT32_MIN, INT32_MIN, 0, INT32_MAX, INT32_MAX, WIDE_LO, WIDE_HI,
               DWSEP_ROUND_FLOOR));
}

static void test_requant_double_round(void) {
  const int32_t M30 = 1073741824; /* 2^30 */
  const dwsep_rounding_t H = DWSEP_ROUND_HALF_UP, D = DWSEP_ROUND_DOUBLE;
  /* mult 2^30, shift 33: v / 2^33 = acc / 8.
   * half_up: floor(acc/8 + 1/2); double: floor(acc/8 + 1/2 +- 1/8). */
  /* acc 107: 13.375 -> half_up floor(13.875) = 13, double floor(14.0) = 14 */
  CHECK_EQ("half_up 107/8", 13, rq1(107, M30, 33, 0, 0, WIDE_LO, WIDE_HI, H));
  CHECK_EQ("double 107/8", 14, rq1(107, M30, 33, 0, 0, WIDE_LO, WIDE_HI, D));
  /* acc 108: 13.5 -> half_up 14, double floor(14.125) = 14 */
  CHECK_EQ("half_up 108/8", 14, rq1(108, M30, 33, 0, 0, WIDE_LO, WIDE_HI, H));
  CHECK_EQ("double 108/8", 14, rq1(108, M30, 33, 0, 0, WIDE_LO, WIDE_HI, D));
  /* acc -108: -13.5 -> half_up floor(-13.0) = -13,
   * double floor(-13.5 + 0.5 - 0.125) = floor(-13.125) = -14.
   * In integers: v = -115964116992; v + 2^32 = -111669149696 = -13 * 2^33;
   * v + 2^32 - 2^30 = -112742891520 -> floor(/2^33) = -14. */
  CHECK_EQ("half_up -108/8", -13,
           rq1(-108, M30, 33, 0, 0, WIDE_LO, WIDE_HI, H));
  CHECK_EQ("double -108/8", -14, rq1(-108, M30, 33, 0, 0, WIDE_LO, WIDE_HI, D));
  /* acc -107: -13.375 -> half_up floor(-12.875) = -13,
   * double floor(-13.0) = -13 */
  CHECK_EQ("half_up -107/8", -13,
           rq1(-107, M30, 33, 0, 0, WIDE_LO, WIDE_HI, H));
  CHECK_EQ("double -107/8", -13, rq1(-107, M30, 33, 0, 0, WIDE_LO, WIDE_HI, D));
  /* Sign test on v, not acc: acc = 108, mult = -2^30 -> v / 2^33 = -13.5,
   * v < 0 so double gives floor(-13.125) = -14 (as TOSA would for -108). */
  CHECK_EQ("double sign of v", -14,
           rq1(108, -M30, 33, 0, 0, WIDE_LO, WIDE_HI, D));
  /* shift 31 (not > 31): double == half_up. acc 3, mult 2^30: 1.5 -> 2;
   * acc -3: -1.5 -> -1. */
  CHECK_EQ("double shift 31 pos", 2,
           rq1(3, M30, 31, 0, 0, WIDE_LO, WIDE_HI, D));
  CHECK_EQ("double shift 31 neg", -1,
           rq1(-3, M30, 31, 0, 0, WIDE_LO, WIDE_HI, D));
  /* Extremes at shift 62 (bound of numerics.md 4.3):
   * acc = mult = -2^31: v = 2^62 -> 2^62 / 2^62 = 1 in every mode
   * (double: (2^62 + 2^61 + 2^30) >> 62 = 1). */
  CHECK_EQ(
      "2^62 floor", 1,
      rq1(INT32_MIN, INT32_MIN, 62, 0, 0, WIDE_LO, WIDE_HI, DWSEP_ROUND_FLOOR));
  CHECK_EQ("2^62 double", 1,
           rq1(INT32_MIN, INT32_MIN, 62, 0, 0, WIDE_LO, WIDE_HI, D));
  /* acc = -2^31, mult = 2^31 - 1, add = -2^31: v = -2^62 + 2^31 - 2^31 =
   * -2^62 -> floor -1; double: (-2^62 + 2^61 - 2^30) / 2^62 = -0.5 - eps
   * -> -1; half_up: (-2^62 + 2^61) / 2^62 = -0.5 -> -1. */
  CHECK_EQ("-2^62 floor", -1,
           rq1(INT32_MIN, INT32_MAX, 62, INT32_MIN, 0, WIDE_LO, WIDE_HI,
               DWSEP_ROUND_FLOOR));
  CHECK_EQ("-2^62 half_up", -1,
           rq1(INT32_MIN, INT32_MAX, 62, INT32_MIN, 0, WIDE_LO, WIDE_HI, H));
  CHECK_EQ("-2^62 double", -1,
           rq1(INT32_MIN, INT32_MAX, 62, INT32_MIN, 0, WIDE_LO, WIDE_HI, D));
}

/* rounding = float32 (numerics.md 4.4): ONNX Runtime's float32 product,
 * rounded half to even. */
static void test_requant_float32(void) {
  const dwsep_rounding_t R = DWSEP_ROUND_FLOAT32, H = DWSEP_ROUND_HALF_UP;
  /* Exact ties go to the even neighbour: 2.5 -> 2, 3.5 -> 4, -2.5 -> -2,
   * -3.5 -> -4 (half_up: 3, 4, -2, -3). */
  CHECK_EQ("float32 2.5", 2, rq1(5, 1, 1, 0, 0, WIDE_LO, WIDE_HI, R));
  CHECK_EQ("float32 3.5", 4, rq1(7, 1, 1, 0, 0, WIDE_LO, WIDE_HI, R));
  CHECK_EQ("float32 -2.5", -2, rq1(-5, 1, 1, 0, 0, WIDE_LO, WIDE_HI, R));
  CHECK_EQ("float32 -3.5", -4, rq1(-7, 1, 1, 0, 0, WIDE_LO, WIDE_HI, R));
  CHECK_EQ("half_up -3.5", -3, rq1(-7, 1, 1, 0, 0, WIDE_LO, WIDE_HI, H));
  /* The measured case of numerics.md 9.2: acc 3766, S = 1633136768 * 2^-36
   * = 89.49999855...: the float32 product is 89.5, even 90; half_up 89. */
  CHECK_EQ("float32 3766 * S", 90 + 3,
           rq1(3766, 1633136768, 36, 0, 3, 0, 255, R));
  CHECK_EQ("half_up 3766 * S", 89 + 3,
           rq1(3766, 1633136768, 36, 0, 3, 0, 255, H));
  /* float32(acc) rounds beyond 2^24: 2^24 + 1 -> 2^24, so * 2^-1 gives
   * 2^23 (exactly 8388608.5: half_up 8388609). A negative mult. */
  CHECK_EQ("float32 (2^24 + 1) / 2", 8388608,
           rq1(16777217, 1, 1, 0, 0, WIDE_LO, WIDE_HI, R));
  CHECK_EQ("float32 (2^24 + 1) / -2", -8388608,
           rq1(16777217, -1, 1, 0, 0, WIDE_LO, WIDE_HI, R));
  /* Shift 0 and the clamp. */
  CHECK_EQ("float32 shift 0", 21, rq1(7, 3, 0, 0, 0, WIDE_LO, WIDE_HI, R));
  CHECK_EQ("float32 clamp", 255, rq1(3766, 1633136768, 30, 0, 3, 0, 255, R));
}

static void test_requant_channels_and_clamp(void) {
  /* Per channel mult and add, per tensor shift 1, floor:
   * c0: (10*2 + 0) >> 1 = 10; c1: (10*3 + 1) >> 1 = 15 (15.5);
   * c2: (10*4 - 1) >> 1 = 19 (19.5). zp 0. */
  static const int32_t mult[3] = {2, 3, 4}, add[3] = {0, 1, -1};
  static const int32_t shift1[1] = {1}, shifts[3] = {0, 1, 2};
  dwsep_requant_t rq = rq_make(mult, 3, shift1, 1, add, 3, 0, WIDE_LO, WIDE_HI,
                               DWSEP_ROUND_FLOOR);
  CHECK_EQ("per-channel c0", 10, dwsep_requant_apply(&rq, 10, 0));
  CHECK_EQ("per-channel c1", 15, dwsep_requant_apply(&rq, 10, 1));
  CHECK_EQ("per-channel c2", 19, dwsep_requant_apply(&rq, 10, 2));
  /* Per channel shift, per tensor mult 1, add 1 (length 1), half_up:
   * acc 9: c0 (9+1) >> 0 = 10; c1 (10+1) >> 1 = 5 (5.5); c2 (10+2) >> 2 = 3 */
  rq = rq_make(ONE, 1, shifts, 3, ONE, 1, 0, WIDE_LO, WIDE_HI,
               DWSEP_ROUND_HALF_UP);
  CHECK_EQ("per-channel shift c0", 10, dwsep_requant_apply(&rq, 9, 0));
  CHECK_EQ("per-channel shift c1", 5, dwsep_requant_apply(&rq, 9, 1));
  CHECK_EQ("per-channel shift c2", 3, dwsep_requant_apply(&rq, 9, 2));
  /* Per tensor parameters apply to every channel: (9*2) >> 1 = 9. */
  rq = rq_make(mult, 1, shift1, 1, NULL, 0, 0, WIDE_LO, WIDE_HI,
               DWSEP_ROUND_FLOOR);
  CHECK_EQ("per-tensor c0", 9, dwsep_requant_apply(&rq, 9, 0));
  CHECK_EQ("per-tensor c5", 9, dwsep_requant_apply(&rq, 9, 5));
  /* Clamp (ReLU6-like [0, 6] with zp 0, and i8 range). */
  CHECK_EQ("clamp hi", 6, rq1(100, 1, 0, 0, 0, 0, 6, DWSEP_ROUND_FLOOR));
  CHECK_EQ("clamp lo", 0, rq1(-100, 1, 0, 0, 0, 0, 6, DWSEP_ROUND_FLOOR));
  CHECK_EQ("clamp inside", 4, rq1(4, 1, 0, 0, 0, 0, 6, DWSEP_ROUND_FLOOR));
  /* zp is added before the clamp: -100 + 50 = -50 -> clamp -20. */
  CHECK_EQ("zp before clamp", -20,
           rq1(-100, 1, 0, 0, 50, -20, 20, DWSEP_ROUND_FLOOR));
  CHECK_EQ("i8 clamp", I8_MIN_,
           rq1(-1000, 1, 0, 0, 0, I8_MIN_, I8_MAX_, DWSEP_ROUND_FLOOR));
}

/*---------------------------------------------------------------------------*/
/* Loads, stores, layouts, checksum                                          */
/*---------------------------------------------------------------------------*/

static void test_load_store(void) {
  uint8_t buf[4] = {0xFF, 0x80, 0x7F, 0x00};
  dwsep_act_t u = act(buf, 1, 1, 4, DWSEP_LAYOUT_HWC, 0);
  dwsep_act_t s = act(buf, 1, 1, 4, DWSEP_LAYOUT_HWC, 1);
  CHECK_EQ("ui8 0xFF", 255, dwsep_act_load(&u, 0, 0, 0));
  CHECK_EQ("i8 0xFF", -1, dwsep_act_load(&s, 0, 0, 0));
  CHECK_EQ("ui8 0x80", 128, dwsep_act_load(&u, 0, 0, 1));
  CHECK_EQ("i8 0x80", -128, dwsep_act_load(&s, 0, 0, 1));
  CHECK_EQ("ui8 0x7F", 127, dwsep_act_load(&u, 0, 0, 2));
  CHECK_EQ("i8 0x7F", 127, dwsep_act_load(&s, 0, 0, 2));
  /* Stores keep the low 8 bits: -1 -> 0xFF, 300 = 0x12C -> 0x2C. */
  dwsep_act_store(&s, 0, 0, 3, -1);
  CHECK_EQ("store -1", 0xFF, buf[3]);
  dwsep_act_store(&s, 0, 0, 3, 300);
  CHECK_EQ("store 300", 0x2C, buf[3]);
  dwsep_act_store(&u, 0, 0, 3, 200);
  CHECK_EQ("store 200 as i8 reads -56", -56, dwsep_act_load(&s, 0, 0, 3));
}

static void test_layout_offsets(void) {
  uint8_t dummy[1];
  /* H=2, W=3, C=4. hwc: (y*3 + x)*4 + c; chw: (c*2 + y)*3 + x. */
  dwsep_act_t hwc = act(dummy, 2, 3, 4, DWSEP_LAYOUT_HWC, 0);
  dwsep_act_t chw = act(dummy, 2, 3, 4, DWSEP_LAYOUT_CHW, 0);
  /* (1, 2, 3): hwc (3 + 2)*4 + 3 = 23; chw (6 + 1)*3 + 2 = 23. */
  CHECK_EQ("hwc offset (1,2,3)", 23, dwsep_act_offset(&hwc, 1, 2, 3));
  CHECK_EQ("chw offset (1,2,3)", 23, dwsep_act_offset(&chw, 1, 2, 3));
  /* (0, 1, 2): hwc 1*4 + 2 = 6; chw (4 + 0)*3 + 1 = 13. */
  CHECK_EQ("hwc offset (0,1,2)", 6, dwsep_act_offset(&hwc, 0, 1, 2));
  CHECK_EQ("chw offset (0,1,2)", 13, dwsep_act_offset(&chw, 0, 1, 2));
  /* (1, 0, 1): hwc 3*4 + 1 = 13; chw (2 + 1)*3 + 0 = 9. */
  CHECK_EQ("hwc offset (1,0,1)", 13, dwsep_act_offset(&hwc, 1, 0, 1));
  CHECK_EQ("chw offset (1,0,1)", 9, dwsep_act_offset(&chw, 1, 0, 1));
}

static void test_out_size(void) {
  /* (3 + 1 + 1 - 3) / 2 + 1 = 2; (4 + 1 + 0 - 3) / 2 + 1 = 2;
   * (7 + 0 + 1 - 3) / 2 + 1 = 3 (2.5 floors); (5 - 5) / 1 + 1 = 1. */
  CHECK_EQ("out size 3/k3/s2/p1,1", 2, dwsep_ref_out_size(3, 3, 2, 1, 1));
  CHECK_EQ("out size 4/k3/s2/p1,0", 2, dwsep_ref_out_size(4, 3, 2, 1, 0));
  CHECK_EQ("out size 7/k3/s2/p0,1", 3, dwsep_ref_out_size(7, 3, 2, 0, 1));
  CHECK_EQ("out size 5/k5/s1", 1, dwsep_ref_out_size(5, 5, 1, 0, 0));
}

static void test_checksum(void) {
  /* FNV-1a 32-bit test vectors: "" -> 0x811c9dc5, "a" -> 0xe40c292c,
   * "foobar" -> 0xbf9cf968. */
  const uint8_t *foobar = (const uint8_t *)"foobar";
  CHECK_EQ("fnv1a empty", 0x811c9dc5u, dwsep_checksum(foobar, 0));
  CHECK_EQ("fnv1a a", 0xe40c292cu, dwsep_checksum((const uint8_t *)"a", 1));
  CHECK_EQ("fnv1a foobar", 0xbf9cf968u, dwsep_checksum(foobar, 6));
}

/*---------------------------------------------------------------------------*/
/* The worked example of docs/numerics.md, section 7                         */
/*---------------------------------------------------------------------------*/

static void test_worked_example(void) {
  static const int32_t x[3] = {10, -3, 7};
  static const int8_t w[6] = {5, -2, 3, /**/ -4, 6, 1};
  static const int32_t bias[2] = {100, -50};
  static const int32_t m3[1] = {3}, s2[1] = {2};
  static const int32_t mc[2] = {3, 5}, ac[2] = {10, 700};
  static const int32_t mD[1] = {1431655765}, s33[1] = {33};
  /* x - 3 = [7, -6, 4]; acc0 = 100 + 35 + 12 + 12 = 159;
   * acc1 = -50 - 28 - 36 + 4 = -110. */
  static const int32_t expA[2] = {114, -87}, expB[2] = {114, -88};
  static const int32_t expRelu[2] = {114, 0}, expC[2] = {121, 37};
  static const int32_t expD[2] = {27, -18}, expDh[2] = {26, -18};
  uint8_t ib[3], ob[2];
  dwsep_act_t in = act(ib, 1, 1, 3, DWSEP_LAYOUT_HWC, 1);
  dwsep_act_t out = act(ob, 1, 1, 2, DWSEP_LAYOUT_HWC, 1);
  dwsep_act_t out_u = act(ob, 1, 1, 2, DWSEP_LAYOUT_HWC, 0);
  dwsep_requant_t rq;
  fill_act(&in, x);

  /* The accumulators themselves: identity requant, wide clamp. */
  rq = rq_simple(ONE, ZERO, 0, WIDE_LO, WIDE_HI, DWSEP_ROUND_FLOOR);
  {
    uint8_t vb[3];
    dwsep_ref_linear(ib, 1, 3, w, bias, vb, 1, 2, 3, &rq);
    /* 159 stores as 0x9F, -110 as 0x92 (256 - 110 = 146). */
    CHECK_EQ("worked acc0 low byte", 0x9F, vb[0]);
    CHECK_EQ("worked acc1 low byte", 0x92, vb[1]);
    /* With the low bytes, floor(acc / 2) pins the accumulators down:
     * 159 >> 1 = 79, -110 >> 1 = -55. */
    rq = rq_simple(ONE, ONE, 0, I8_MIN_, I8_MAX_, DWSEP_ROUND_FLOOR);
    dwsep_ref_linear(ib, 1, 3, w, bias, vb, 1, 2, 3, &rq);
    CHECK_EQ("worked acc0 / 2", 79, vb[0]);
    CHECK_EQ("worked acc1 / 2", 0xC9 /* -55 */, vb[1]);
    rq = rq_simple(ONE, ZERO, 0, WIDE_LO, WIDE_HI, DWSEP_ROUND_FLOOR);
  }
  /* Case A: half_up, mult 3, shift 2, zp -5: 477+2 = 479 >> 2 = 119 -> 114;
   * -330+2 = -328 >> 2 = -82 -> -87. */
  rq = rq_simple(m3, s2, -5, I8_MIN_, I8_MAX_, DWSEP_ROUND_HALF_UP);
  dwsep_ref_pointwise(&in, w, bias, &out, 3, &rq);
  CHECK_ACT("worked case A (half_up)", &out, expA);
  /* Case B: floor: 477 >> 2 = 119 -> 114; -330 >> 2 = -83 -> -88. */
  rq.rounding = DWSEP_ROUND_FLOOR;
  dwsep_ref_pointwise(&in, w, bias, &out, 3, &rq);
  CHECK_ACT("worked case B (floor)", &out, expB);
  /* Case A with ReLU: clamp [0, 127]. */
  rq = rq_simple(m3, s2, -5, 0, I8_MAX_, DWSEP_ROUND_HALF_UP);
  dwsep_ref_pointwise(&in, w, bias, &out, 3, &rq);
  CHECK_ACT("worked case A + ReLU", &out, expRelu);
  /* Case C: PULP-NN: floor((acc*m + a) / 4), ui8: 487 >> 2 = 121;
   * 150 >> 2 = 37. */
  rq = rq_make(mc, 2, s2, 1, ac, 2, 0, 0, 255, DWSEP_ROUND_FLOOR);
  dwsep_ref_pointwise(&in, w, bias, &out_u, 3, &rq);
  CHECK_ACT("worked case C (PULP-NN)", &out_u, expC);
  /* Case D: double_round, mult 0x55555555, shift 33:
   * 227633266635 + 5368709120 = 233001975755 >> 33 = 27;
   * -157482134150 + 3221225472 = -154260908678 >> 33 = -18. */
  rq = rq_simple(mD, s33, 0, I8_MIN_, I8_MAX_, DWSEP_ROUND_DOUBLE);
  dwsep_ref_pointwise(&in, w, bias, &out, 3, &rq);
  CHECK_ACT("worked case D (double_round)", &out, expD);
  /* ... and half_up with the same parameters: 231928233931 >> 33 = 26;
   * -153187166854 >> 33 = -18. */
  rq.rounding = DWSEP_ROUND_HALF_UP;
  dwsep_ref_pointwise(&in, w, bias, &out, 3, &rq);
  CHECK_ACT("worked case D with half_up", &out, expDh);
}

/*---------------------------------------------------------------------------*/
/* Ops                                                                       */
/*---------------------------------------------------------------------------*/

/* conv2d: 3x3x2 i8 input, input_zp 1, 3x3 kernel, stride 2, pad 1 all round
 * -> 2x2x2. Weights: o0 sums channel 0 over the window, o1 applies
 * K1 = [[-4,-3,-2],[-1,0,1],[2,3,4]] to channel 1. bias {10, -5}, identity
 * requant.
 *   d0 = x0 - 1 = [[0,1,2],[3,4,5],[6,7,8]]
 *   d1 = x1 - 1 = [[-2,-1,1],[2,-3,0],[-1,3,-4]]
 * Output (oy,ox) reads rows 2*oy-1.., cols 2*ox-1.. (row/col -1 and 3 pad).
 *   (0,0): o0 0+1+3+4 = 8 -> 18;  o1 0*-2 + 1*-1 + 3*2 + 4*-3 = -7 -> -12
 *   (0,1): o0 1+2+4+5 = 12 -> 22; o1 -1*-1 + 0*1 + 2*-3 + 3*0 = -5 -> -10
 *   (1,0): o0 3+4+6+7 = 20 -> 30; o1 -3*2 + -2*-3 + 0*-1 + 1*3 = 3 -> -2
 *   (1,1): o0 4+5+7+8 = 24 -> 34; o1 -4*-3 + -3*0 + -1*3 + 0*-4 = 9 -> 4
 * (Padding with a literal 0 instead of input_zp would subtract 5 from o0 at
 * (0,0).) */
static void test_conv2d(void) {
  static const int32_t x[18] = {                      /* (y,x): c0, c1 */
                                1, -1, 2, 0,  3, 2,   /* y = 0 */
                                4, 3,  5, -2, 6, 1,   /* y = 1 */
                                7, 0,  8, 4,  9, -3}; /* y = 2 */
  static const int32_t expected[8] = {18, -12, 22, -10, 30, -2, 34, 4};
  static const int32_t bias[2] = {10, -5};
  static const int32_t stride[2] = {2, 2}, pad[4] = {1, 1, 1, 1};
  int8_t w[36];
  uint8_t ib[18], ib2[18], ob[8], ob2[8];
  int32_t ky, kx;
  dwsep_act_t in = act(ib, 3, 3, 2, DWSEP_LAYOUT_HWC, 1);
  dwsep_act_t in_chw = act(ib2, 3, 3, 2, DWSEP_LAYOUT_CHW, 1);
  dwsep_act_t out = act(ob, 2, 2, 2, DWSEP_LAYOUT_HWC, 1);
  dwsep_act_t out_chw = act(ob2, 2, 2, 2, DWSEP_LAYOUT_CHW, 1);
  dwsep_requant_t rq =
      rq_simple(ONE, ZERO, 0, I8_MIN_, I8_MAX_, DWSEP_ROUND_HALF_UP);
  /* OHWI: w[((o*3 + ky)*3 + kx)*2 + i]. */
  for (ky = 0; ky < 3; ++ky)
    for (kx = 0; kx < 3; ++kx) {
      w[((0 * 3 + ky) * 3 + kx) * 2 + 0] = 1;
      w[((0 * 3 + ky) * 3 + kx) * 2 + 1] = 0;
      w[((1 * 3 + ky) * 3 + kx) * 2 + 0] = 0;
      w[((1 * 3 + ky) * 3 + kx) * 2 + 1] = (int8_t)(ky * 3 + kx - 4);
    }
  fill_act(&in, x);
  fill_act(&in_chw, x);
  dwsep_ref_conv2d(&in, w, bias, &out, 3, 3, stride, pad, 1, &rq);
  CHECK_ACT("conv2d hwc->hwc", &out, expected);
  dwsep_ref_conv2d(&in_chw, w, bias, &out, 3, 3, stride, pad, 1, &rq);
  CHECK_ACT("conv2d chw->hwc", &out, expected);
  dwsep_ref_conv2d(&in_chw, w, bias, &out_chw, 3, 3, stride, pad, 1, &rq);
  CHECK_ACT("conv2d chw->chw", &out_chw, expected);
  /* The chw output bytes are the channel planes: o0 then o1. */
  CHECK_EQ("conv2d chw byte 4 = (o1, 0, 0)", 0xF4 /* -12 */, ob2[4]);
  {
    /* Stride [1, 2] (rows 1, columns 2), pad 1: 3x2 output, columns 0 and 2
     * of a stride-1 convolution.
     *   o0 box sums of d0 at x = 0, 2: (0,*) 8, 12; (1,*) 21, 27;
     *      (2,*) 20, 24; + 10.
     *   o1: (0,0) -7 and (2,0) 3, (2,2) 9 as above; (0,2) = the (0,1) value
     *      above, -5; (1,0): -3*-2 + -2*-1 + 1*-3 + 3*-1 + 4*3 = 14;
     *      (1,2): -4*-1 + -3*1 + -1*-3 + 2*3 + 3*-4 = -2; - 5. */
    static const int32_t stride12[2] = {1, 2};
    static const int32_t exp12[12] = {18, -12, 22, -10, 31, 9,
                                      37, -7,  30, -2,  34, 4};
    uint8_t ob3[12];
    dwsep_act_t out3 = act(ob3, 3, 2, 2, DWSEP_LAYOUT_CHW, 1);
    dwsep_ref_conv2d(&in, w, bias, &out3, 3, 3, stride12, pad, 1, &rq);
    CHECK_ACT("conv2d stride [1, 2]", &out3, exp12);
  }
  {
    /* Asymmetric padding [1, 1, 0, 0]: output 1x1 (3+1-3)/2+1 = 1, which
     * is the (0,0) window above: 18, -12. */
    static const int32_t pad2[4] = {1, 1, 0, 0};
    static const int32_t exp2[2] = {18, -12};
    dwsep_act_t out1 = act(ob, 1, 1, 2, DWSEP_LAYOUT_HWC, 1);
    dwsep_ref_conv2d(&in, w, bias, &out1, 3, 3, stride, pad2, 1, &rq);
    CHECK_ACT("conv2d asymmetric pad", &out1, exp2);
  }
}

/* depthwise: 3x3x2 ui8 input, input_zp 100, 3x3 kernel, stride 1, pad 1
 * -> 3x3x2. Channel 0: all-ones kernel (box sum), channel 1: K1 as in
 * test_conv2d. bias {0, 7}, identity requant, i8 output.
 *   d0 = x0 - 100 = [[1,2,3],[4,5,6],[7,8,9]]
 *   d1 = x1 - 100 = [[-1,0,2],[3,-2,1],[0,4,-3]]
 * c0 box sums (padded taps add 0): [[12,21,16],[27,45,33],[24,39,28]]
 * c1 (sum K1[ky][kx] * d1[y-1+ky][x-1+kx], + 7):
 *   (0,0): 0*-1 + 1*0 + 3*3 + 4*-2 = 1 -> 8
 *   (0,1): -1*-1 + 0*0 + 1*2 + 2*3 + 3*-2 + 4*1 = 7 -> 14
 *   (0,2): -1*0 + 0*2 + 2*-2 + 3*1 = -1 -> 6
 *   (1,0): -3*-1 + -2*0 + 0*3 + 1*-2 + 3*0 + 4*4 = 17 -> 24
 *   (1,1): 4 + 0 - 4 - 3 + 0 + 1 + 0 + 12 - 12 = -2 -> 5
 *   (1,2): -4*0 + -3*2 + -1*-2 + 0*1 + 2*4 + 3*-3 = -5 -> 2
 *   (2,0): -3*3 + -2*-2 + 0*0 + 1*4 = -1 -> 6
 *   (2,1): -4*3 + -3*-2 + -2*1 + -1*0 + 0*4 + 1*-3 = -11 -> -4
 *   (2,2): -4*-2 + -3*1 + -1*4 + 0*-3 = 1 -> 8 */
static void test_depthwise(void) {
  static const int32_t x[18] = {101, 99,  102, 100, 103, 102, 104, 103, 105,
                                98,  106, 101, 107, 100, 108, 104, 109, 97};
  static const int32_t expected[18] = {12, 8,  21, 14, 16, 6,  27, 24, 45,
                                       5,  33, 2,  24, 6,  39, -4, 28, 8};
  static const int32_t bias[2] = {0, 7};
  static const int32_t stride[2] = {1, 1}, pad[4] = {1, 1, 1, 1};
  int8_t w[18];
  uint8_t ib[18], ib2[18], ob[18], ob2[18];
  int32_t ky, kx;
  dwsep_act_t in = act(ib, 3, 3, 2, DWSEP_LAYOUT_HWC, 0);
  dwsep_act_t in_chw = act(ib2, 3, 3, 2, DWSEP_LAYOUT_CHW, 0);
  dwsep_act_t out = act(ob, 3, 3, 2, DWSEP_LAYOUT_HWC, 1);
  dwsep_act_t out_chw = act(ob2, 3, 3, 2, DWSEP_LAYOUT_CHW, 1);
  dwsep_requant_t rq =
      rq_simple(ONE, ZERO, 0, I8_MIN_, I8_MAX_, DWSEP_ROUND_HALF_UP);
  /* Kh x Kw x C: w[(ky*3 + kx)*2 + c]. */
  for (ky = 0; ky < 3; ++ky)
    for (kx = 0; kx < 3; ++kx) {
      w[(ky * 3 + kx) * 2 + 0] = 1;
      w[(ky * 3 + kx) * 2 + 1] = (int8_t)(ky * 3 + kx - 4);
    }
  fill_act(&in, x);
  fill_act(&in_chw, x);
  dwsep_ref_depthwise(&in, w, bias, &out, 3, 3, stride, pad, 100, &rq);
  CHECK_ACT("depthwise hwc->hwc", &out, expected);
  dwsep_ref_depthwise(&in_chw, w, bias, &out_chw, 3, 3, stride, pad, 100, &rq);
  CHECK_ACT("depthwise chw->chw", &out_chw, expected);
  dwsep_ref_depthwise(&in_chw, w, bias, &out, 3, 3, stride, pad, 100, &rq);
  CHECK_ACT("depthwise chw->hwc", &out, expected);
  dwsep_ref_depthwise(&in, w, bias, &out_chw, 3, 3, stride, pad, 100, &rq);
  CHECK_ACT("depthwise hwc->chw", &out_chw, expected);
  {
    /* Stride 2, same pad: 2x2 output = the (0,0), (0,2), (2,0), (2,2)
     * entries above. Per-channel requant: c0 mult 1, c1 mult 2, shift 1,
     * floor, zp 3: c0 12/2=6 -> 9, 16/2=8 -> 11, 24/2=12 -> 15,
     * 28/2=14 -> 17; c1 = acc (2*acc/2) + 3: 11, 9, 9, 11. */
    static const int32_t stride2[2] = {2, 2}, m[2] = {1, 2}, s1[1] = {1};
    static const int32_t exp2[8] = {9, 11, 11, 9, 15, 9, 17, 11};
    dwsep_act_t out2 = act(ob, 2, 2, 2, DWSEP_LAYOUT_CHW, 1);
    rq = rq_make(m, 2, s1, 1, NULL, 0, 3, I8_MIN_, I8_MAX_, DWSEP_ROUND_FLOOR);
    dwsep_ref_depthwise(&in_chw, w, bias, &out2, 3, 3, stride2, pad, 100, &rq);
    CHECK_ACT("depthwise stride 2 per-channel", &out2, exp2);
  }
  {
    /* Stride [2, 1]: rows 0 and 2 of the stride-1 result. */
    static const int32_t stride21[2] = {2, 1};
    static const int32_t exp21[12] = {12, 8, 21, 14, 16, 6,
                                      24, 6, 39, -4, 28, 8};
    dwsep_act_t out3 = act(ob, 2, 3, 2, DWSEP_LAYOUT_HWC, 1);
    rq = rq_simple(ONE, ZERO, 0, I8_MIN_, I8_MAX_, DWSEP_ROUND_HALF_UP);
    dwsep_ref_depthwise(&in, w, bias, &out3, 3, 3, stride21, pad, 100, &rq);
    CHECK_ACT("depthwise stride [2, 1]", &out3, exp21);
  }
}

/* pointwise on 1x2 pixels, chw input, hwc output: the worked example's
 * weights, bias, input_zp 3 and case A requant (half_up, *3, >>2, zp -5).
 * pixel 0 = worked example: 114, -87.
 * pixel 1: x = [0, 5, -8], d = [-3, 2, -11];
 *   acc0 = 100 - 15 - 4 - 33 = 48: (144 + 2) >> 2 = 36 -> 31
 *   acc1 = -50 + 12 + 12 - 11 = -37: (-111 + 2) >> 2 = -28 -> -33 */
static void test_pointwise(void) {
  static const int32_t x[6] = {10, -3, 7, 0, 5, -8};
  static const int8_t w[6] = {5, -2, 3, -4, 6, 1};
  static const int32_t bias[2] = {100, -50};
  static const int32_t m3[1] = {3}, s2[1] = {2};
  static const int32_t expected[4] = {114, -87, 31, -33};
  uint8_t ib[6], ob[4];
  dwsep_act_t in = act(ib, 1, 2, 3, DWSEP_LAYOUT_CHW, 1);
  dwsep_act_t out = act(ob, 1, 2, 2, DWSEP_LAYOUT_HWC, 1);
  dwsep_requant_t rq =
      rq_simple(m3, s2, -5, I8_MIN_, I8_MAX_, DWSEP_ROUND_HALF_UP);
  fill_act(&in, x);
  dwsep_ref_pointwise(&in, w, bias, &out, 3, &rq);
  CHECK_ACT("pointwise chw->hwc", &out, expected);
  /* No bias (NULL): acc0 = 59, acc1 = -60 at pixel 0:
   * (177 + 2) >> 2 = 44 -> 39; (-180 + 2) >> 2 = -45 (-44.5) -> -50.
   * pixel 1: -52 -> (-156 + 2) >> 2 = -39 (-38.5) -> -44;
   *          13 -> (39 + 2) >> 2 = 10 -> 5. */
  {
    static const int32_t exp_nb[4] = {39, -50, -44, 5};
    dwsep_ref_pointwise(&in, w, NULL, &out, 3, &rq);
    CHECK_ACT("pointwise no bias", &out, exp_nb);
  }
}

/* Accumulators wrap modulo 2^32. */
static void test_wraparound(void) {
  static const int32_t s31[1] = {31}, s24[1] = {24};
  uint8_t ib[2], ob[1];
  /* bias 2^31 - 1 plus 1 * 1 wraps to -2^31; floor(-2^31 / 2^31) = -1.
   * (Without wrap-around: 2^31 >> 31 = 1.) */
  {
    static const int32_t x[1] = {1};
    static const int8_t w[1] = {1};
    static const int32_t bias[1] = {INT32_MAX};
    static const int32_t exp[1] = {-1};
    dwsep_act_t in = act(ib, 1, 1, 1, DWSEP_LAYOUT_HWC, 1);
    dwsep_act_t out = act(ob, 1, 1, 1, DWSEP_LAYOUT_HWC, 1);
    dwsep_requant_t rq =
        rq_simple(ONE, s31, 0, I8_MIN_, I8_MAX_, DWSEP_ROUND_FLOOR);
    fill_act(&in, x);
    dwsep_ref_pointwise(&in, w, bias, &out, 0, &rq);
    CHECK_ACT("pointwise bias wrap-around", &out, exp);
  }
  /* linear: x = [0, 0], input_zp = -2^30: d = 2^30 each, w = [1, 1]:
   * 2^31 wraps to -2^31 -> >> 31 = -1. */
  {
    static const int8_t w[2] = {1, 1};
    dwsep_requant_t rq =
        rq_simple(ONE, s31, 0, I8_MIN_, I8_MAX_, DWSEP_ROUND_FLOOR);
    ib[0] = ib[1] = 0;
    dwsep_ref_linear(ib, 1, 2, w, NULL, ob, 1, 1, -1073741824, &rq);
    CHECK_EQ("linear accumulation wrap-around", 0xFF /* -1 */, ob[0]);
  }
  /* input_zp = INT32_MIN: d = 5 - (-2^31) wraps to -2^31 + 5; times w = 2
   * is -2^32 + 10, which wraps to 10; shift 0: result 10. */
  {
    static const int8_t w[1] = {2};
    dwsep_requant_t rq =
        rq_simple(ONE, ZERO, 0, I8_MIN_, I8_MAX_, DWSEP_ROUND_FLOOR);
    ib[0] = 5;
    dwsep_ref_linear(ib, 0, 1, w, NULL, ob, 1, 1, INT32_MIN, &rq);
    CHECK_EQ("zero point difference wrap-around", 10, ob[0]);
  }
  /* add: t_l = t_r = 100 * 2^24 = 1677721600; sum 3355443200 wraps to
   * 3355443200 - 2^32 = -939524096 = -56 * 2^24 -> >> 24 = -56.
   * (Without wrap-around: 200 -> 127.) */
  {
    static const int32_t m24[1] = {16777216};
    static const int32_t exp[1] = {-56};
    uint8_t lb[1] = {100}, rb[1] = {100};
    dwsep_act_t l = act(lb, 1, 1, 1, DWSEP_LAYOUT_HWC, 1);
    dwsep_act_t r = act(rb, 1, 1, 1, DWSEP_LAYOUT_HWC, 1);
    dwsep_act_t out = act(ob, 1, 1, 1, DWSEP_LAYOUT_HWC, 1);
    dwsep_requant_t in_rq =
        rq_simple(m24, ZERO, 0, WIDE_LO, WIDE_HI, DWSEP_ROUND_HALF_UP);
    dwsep_requant_t rq =
        rq_simple(ONE, s24, 0, I8_MIN_, I8_MAX_, DWSEP_ROUND_FLOOR);
    dwsep_ref_add(&l, &r, &out, 0, 0, &in_rq, &in_rq, &rq);
    CHECK_ACT("add int32 wrap-around", &out, exp);
  }
}

/* add, parameters of the DwsepOps.td example: lhs_zp 3, rhs_zp -2,
 * lhs: *2^30 >> 10 = *2^20, rhs: *2^30 >> 11 = *2^19 (both exact), out:
 * *2^30 >> 50 = / 2^20 half_up, zp 1, i8. So
 * y = clamp(half_up((l - 3) + (r + 2) / 2) + 1).
 *   (10, 5):    7 + 3.5 = 10.5   -> 11 -> 12
 *   (-4, -5):  -7 - 1.5 = -8.5   -> -8 -> -7
 *   (127, 127): 124 + 64.5 = 188.5 -> 189 -> 190 -> 127
 *   (-128, -128): -131 - 63 = -194 -> -193 -> -128
 * Shape 1x2x2, lhs hwc, rhs chw, out chw. */
static void test_add(void) {
  static const int32_t lv[4] = {10, -4, 127, -128};
  static const int32_t rv[4] = {5, -5, 127, -128};
  static const int32_t expected[4] = {12, -7, 127, -128};
  static const int32_t m30[1] = {1073741824};
  static const int32_t s10[1] = {10}, s11[1] = {11}, s50[1] = {50};
  uint8_t lb[4], rb[4], ob[4];
  dwsep_act_t l = act(lb, 1, 2, 2, DWSEP_LAYOUT_HWC, 1);
  dwsep_act_t r = act(rb, 1, 2, 2, DWSEP_LAYOUT_CHW, 1);
  dwsep_act_t out = act(ob, 1, 2, 2, DWSEP_LAYOUT_CHW, 1);
  dwsep_requant_t lrq =
      rq_simple(m30, s10, 0, WIDE_LO, WIDE_HI, DWSEP_ROUND_HALF_UP);
  dwsep_requant_t rrq =
      rq_simple(m30, s11, 0, WIDE_LO, WIDE_HI, DWSEP_ROUND_HALF_UP);
  dwsep_requant_t rq =
      rq_simple(m30, s50, 1, I8_MIN_, I8_MAX_, DWSEP_ROUND_HALF_UP);
  fill_act(&l, lv);
  fill_act(&r, rv);
  dwsep_ref_add(&l, &r, &out, 3, -2, &lrq, &rrq, &rq);
  CHECK_ACT("add (td example)", &out, expected);
  /* The input rescales' clamp applies: clamp t_l to [-2^20, 2^20], i.e.
   * (l - 3) to [-1, 1] in units of 2^20:
   *   (10, 5):      1 + 3.5 = 4.5    -> 5   -> 6
   *   (-4, -5):    -1 - 1.5 = -2.5   -> -2  -> -1
   *   (127, 127):   1 + 64.5 = 65.5  -> 66  -> 67
   *   (-128, -128): -1 - 63 = -64    -> -64 -> -63 */
  {
    static const int32_t exp2[4] = {6, -1, 67, -63};
    lrq.clamp_min = -1048576;
    lrq.clamp_max = 1048576;
    dwsep_ref_add(&l, &r, &out, 3, -2, &lrq, &rrq, &rq);
    CHECK_ACT("add with clamped input rescale", &out, exp2);
  }
}

/* avgpool: 4x4x2 ui8, input_zp 10, 2x2 window stride 2, half_up / 4 with
 * per-channel mult {1, 3}, shift 2, zp 10.
 *   c0: d = [[0,2,4,6],[1,3,5,7],[10,11,12,13],[20,21,22,23]]
 *       sums 6, 22, 62, 70 -> 1.5, 5.5, 15.5, 17.5 -> 2, 6, 16, 18
 *       -> + 10 = 12, 16, 26, 28
 *   c1: x = 9, d = -1: sum -4, * 3 = -12, / 4 = -3 -> 7
 * Global pool (4x4, stride 4), mult {1,3}, shift 4:
 *   c0: 160 / 16 = 10 -> 20; c1: -16 * 3 / 16 = -3 -> 7 */
static void test_avgpool(void) {
  static const int32_t c0[16] = {10, 12, 14, 16, 11, 13, 15, 17,
                                 20, 21, 22, 23, 30, 31, 32, 33};
  static const int32_t expected[8] = {12, 7, 16, 7, 26, 7, 28, 7};
  static const int32_t exp_global[2] = {20, 7};
  static const int32_t m[2] = {1, 3}, s2[1] = {2}, s4[1] = {4};
  static const int32_t stride2[2] = {2, 2}, stride4[2] = {4, 4};
  int32_t x[32];
  int32_t i;
  uint8_t ib[32], ob[8];
  dwsep_act_t in = act(ib, 4, 4, 2, DWSEP_LAYOUT_CHW, 0);
  dwsep_act_t out = act(ob, 2, 2, 2, DWSEP_LAYOUT_HWC, 0);
  dwsep_act_t out_g = act(ob, 1, 1, 2, DWSEP_LAYOUT_HWC, 0);
  dwsep_requant_t rq =
      rq_make(m, 2, s2, 1, NULL, 0, 10, 0, 255, DWSEP_ROUND_HALF_UP);
  for (i = 0; i < 16; ++i) {
    x[2 * i] = c0[i];
    x[2 * i + 1] = 9;
  }
  fill_act(&in, x);
  dwsep_ref_avgpool(&in, &out, 2, 2, stride2, 10, &rq);
  CHECK_ACT("avgpool 2x2 per-channel", &out, expected);
  rq.shift = s4;
  dwsep_ref_avgpool(&in, &out_g, 4, 4, stride4, 10, &rq);
  CHECK_ACT("avgpool global", &out_g, exp_global);
}

/* linear, cin 3, cout 2, w = [[1,1,1],[2,-1,0]], bias {0, -100}, floor >> 1.
 * ui8 in [200, 0, 255], zp 128: d = [72, -128, 127];
 *   acc0 = 71 -> 35; acc1 = 144 + 128 - 100 = 172 -> 86; ui8 out.
 * i8 in bytes [0xC8, 0x00, 0xFF] = [-56, 0, -1], zp -128: d = [72, 128, 127];
 *   acc0 = 327 -> 163 -> clamp 127; acc1 = 144 - 128 - 100 = -84 -> -42
 *   (stored 0xD6). */
static void test_linear(void) {
  static const int8_t w[6] = {1, 1, 1, 2, -1, 0};
  static const int32_t bias[2] = {0, -100};
  static const int32_t s1[1] = {1};
  uint8_t in[3] = {200, 0, 255}, out[2];
  dwsep_requant_t rq = rq_simple(ONE, s1, 0, 0, 255, DWSEP_ROUND_FLOOR);
  dwsep_ref_linear(in, 0, 3, w, bias, out, 0, 2, 128, &rq);
  CHECK_EQ("linear ui8 o0", 35, out[0]);
  CHECK_EQ("linear ui8 o1", 86, out[1]);
  in[0] = 0xC8;
  in[2] = 0xFF;
  rq = rq_simple(ONE, s1, 0, I8_MIN_, I8_MAX_, DWSEP_ROUND_FLOOR);
  dwsep_ref_linear(in, 1, 3, w, bias, out, 1, 2, -128, &rq);
  CHECK_EQ("linear i8 o0", 0x7F, out[0]);
  CHECK_EQ("linear i8 o1", 0xD6, out[1]);
}

/* relayout: 2x3x4 with byte (y,x,c) = 16*y + 4*x + c... i.e. values 0..23 at
 * hwc offsets. In chw, offset (c*2 + y)*3 + x holds hwc value (y*3+x)*4+c. */
static void test_relayout(void) {
  uint8_t hb[24], cb[24], back[24];
  int32_t i;
  dwsep_act_t hwc = act(hb, 2, 3, 4, DWSEP_LAYOUT_HWC, 1);
  dwsep_act_t chw = act(cb, 2, 3, 4, DWSEP_LAYOUT_CHW, 1);
  dwsep_act_t hwc2 = act(back, 2, 3, 4, DWSEP_LAYOUT_HWC, 1);
  for (i = 0; i < 24; ++i)
    hb[i] = (uint8_t)(i * 11 + 3); /* includes bytes >= 0x80 */
  dwsep_ref_relayout(&hwc, &chw);
  /* chw offset 13 = (c=2, y=0, x=1) <- hwc offset (0*3+1)*4+2 = 6. */
  CHECK_EQ("relayout chw[13] = hwc[6]", 6 * 11 + 3, cb[13]);
  /* chw offset 23 = (c=3, y=1, x=2) <- hwc offset 23. */
  CHECK_EQ("relayout chw[23] = hwc[23]", (23 * 11 + 3) & 0xFF, cb[23]);
  /* chw offset 3 = (c=0, y=1, x=0) <- hwc offset 12. */
  CHECK_EQ("relayout chw[3] = hwc[12]", 12 * 11 + 3, cb[3]);
  dwsep_ref_relayout(&chw, &hwc2);
  CHECK_EQ("relayout round trip", 0, memcmp(hb, back, sizeof hb));
}

/*---------------------------------------------------------------------------*/
/* Fused ops                                                                 */
/*---------------------------------------------------------------------------*/

/* Hand-computed DW->PW: input 1x2x2 ui8, input_zp 128,
 * x = [(130, 120), (126, 129)] -> d = [(2, -8), (-2, 1)].
 * DW 1x3 kernel, pad [0, 1, 0, 1], stride 1, w[kx][c] = [(1,1),(2,-1),(3,1)],
 * bias {0, 4}:
 *   px0: c0 2*2 + 3*-2 = -2; c1 -1*-8 + 1*1 + 4 = 13
 *   px1: c0 1*2 + 2*-2 = -2; c1 1*-8 + -1*1 + 4 = -5
 * dw_rq identity + zp -3, mid i8: mid = [(-5, 10), (-5, -8)].
 * PW w = [[3, 2]], bias {1}, input zp = dw zp = -3: d = [(-2, 13), (-2, -5)]
 *   px0: 1 - 6 + 26 = 21 -> floor >> 1 = 10
 *   px1: 1 - 6 - 10 = -15 -> floor(-7.5) = -8 */
static void test_fused_dw_pw_hand(void) {
  static const int32_t x[4] = {130, 120, 126, 129};
  static const int8_t dw_w[6] = {1, 1, 2, -1, 3, 1};
  static const int32_t dw_b[2] = {0, 4};
  static const int8_t pw_w[2] = {3, 2};
  static const int32_t pw_b[1] = {1};
  static const int32_t stride[2] = {1, 1}, pad[4] = {0, 1, 0, 1};
  static const int32_t s1[1] = {1};
  static const int32_t exp_mid[4] = {-5, 10, -5, -8};
  static const int32_t exp_out[2] = {10, -8};
  uint8_t ib[4], mb[4], ob[2];
  dwsep_act_t in = act(ib, 1, 2, 2, DWSEP_LAYOUT_HWC, 0);
  dwsep_act_t mid = act(mb, 1, 2, 2, DWSEP_LAYOUT_CHW, 1);
  dwsep_act_t out = act(ob, 1, 2, 1, DWSEP_LAYOUT_HWC, 1);
  dwsep_requant_t dw_rq =
      rq_simple(ONE, ZERO, -3, I8_MIN_, I8_MAX_, DWSEP_ROUND_HALF_UP);
  dwsep_requant_t pw_rq =
      rq_simple(ONE, s1, 0, I8_MIN_, I8_MAX_, DWSEP_ROUND_FLOOR);
  fill_act(&in, x);
  dwsep_ref_fused(0, &in, dw_w, dw_b, pw_w, pw_b, &mid, &out, 1, 3, stride, pad,
                  128, &dw_rq, &pw_rq);
  CHECK_ACT("fused DW->PW (hand) mid", &mid, exp_mid);
  CHECK_ACT("fused DW->PW (hand) out", &out, exp_out);
}

/* Hand-computed PW->DW: input 1x2x1 i8, input_zp 0, x = [4, -6].
 * PW w = [[2]], bias {1}: acc = [9, -11]; pw_rq half_up >> 1, zp 10:
 *   (9 + 1) >> 1 = 5 -> 15; (-11 + 1) >> 1 = -5 -> 5. mid = [15, 5].
 * DW 1x3, pad [0, 1, 0, 1], w = [1, 2, 4], bias 0, pads with zp 10:
 *   d = [5, -5]; out0 = 2*5 + 4*-5 = -10; out1 = 1*5 + 2*-5 = -5.
 * (Padding with 0 instead of 10 would add 1*(0 - 10) to out0.) */
static void test_fused_pw_dw_hand(void) {
  static const int32_t x[2] = {4, -6};
  static const int8_t pw_w[1] = {2};
  static const int32_t pw_b[1] = {1};
  static const int8_t dw_w[3] = {1, 2, 4};
  static const int32_t stride[2] = {1, 1}, pad[4] = {0, 1, 0, 1};
  static const int32_t s1[1] = {1};
  static const int32_t exp_mid[2] = {15, 5};
  static const int32_t exp_out[2] = {-10, -5};
  uint8_t ib[2], mb[2], ob[2];
  dwsep_act_t in = act(ib, 1, 2, 1, DWSEP_LAYOUT_HWC, 1);
  dwsep_act_t mid = act(mb, 1, 2, 1, DWSEP_LAYOUT_HWC, 1);
  dwsep_act_t out = act(ob, 1, 2, 1, DWSEP_LAYOUT_HWC, 1);
  dwsep_requant_t pw_rq =
      rq_simple(ONE, s1, 10, I8_MIN_, I8_MAX_, DWSEP_ROUND_HALF_UP);
  dwsep_requant_t dw_rq =
      rq_simple(ONE, ZERO, 0, I8_MIN_, I8_MAX_, DWSEP_ROUND_HALF_UP);
  fill_act(&in, x);
  dwsep_ref_fused(1, &in, dw_w, NULL, pw_w, pw_b, &mid, &out, 1, 3, stride, pad,
                  0, &dw_rq, &pw_rq);
  CHECK_ACT("fused PW->DW (hand) mid", &mid, exp_mid);
  CHECK_ACT("fused PW->DW (hand) out", &out, exp_out);
}

/* Deterministic pseudo-random bytes (LCG, Numerical Recipes constants). */
static uint32_t lcg_next(uint32_t *state) {
  *state = *state * 1664525u + 1013904223u;
  return *state >> 24;
}

#define FUSED_MAX 512

/* Fused vs. the composition of unfused ops on pseudo-random data, for both
 * orders, each variant's layouts (the seven kernels of the paper plus the
 * remaining combinations), both mid types and several window shapes. The
 * reference composition runs in hwc throughout, so this also checks that
 * layouts do not change values. */
static void test_fused_vs_composition(void) {
  struct shape {
    int32_t h, w, cin, cout, kh, kw, sh, sw, pad[4];
  };
  static const struct shape shapes[4] = {
      {5, 7, 3, 4, 3, 3, 2, 2, {1, 0, 1, 1}},
      {6, 5, 5, 3, 3, 3, 1, 1, {1, 1, 1, 1}},
      {7, 6, 4, 6, 5, 5, 2, 1, {2, 2, 2, 2}},
      {4, 4, 8, 9, 3, 3, 2, 2, {0, 0, 1, 1}}};
  uint8_t in_hwc[FUSED_MAX], in_l[FUSED_MAX];
  uint8_t mid_ref[FUSED_MAX], mid_b[FUSED_MAX];
  uint8_t out_ref[FUSED_MAX], out_b[FUSED_MAX];
  int8_t dw_w[FUSED_MAX], pw_w[FUSED_MAX];
  int32_t dw_b[16], pw_b[16], dw_m[16], pw_m[16], dw_a[16];
  static const int32_t s9[1] = {9}, s8[1] = {8};
  uint32_t seed = 12345u;
  int si, order, layouts, mid_signed, in_signed;
  int distinct_checked = 0;

  for (si = 0; si < 4; ++si)
    for (order = 0; order < 2; ++order)
      for (mid_signed = 0; mid_signed < 2; ++mid_signed)
        for (layouts = 0; layouts < 8; ++layouts) {
          const struct shape *s = &shapes[si];
          const int32_t stride[2] = {s->sh, s->sw};
          dwsep_layout_t lin = (dwsep_layout_t)(layouts & 1);
          dwsep_layout_t lmid = (dwsep_layout_t)((layouts >> 1) & 1);
          dwsep_layout_t lout = (dwsep_layout_t)((layouts >> 2) & 1);
          /* Channels of the depthwise half and of the output. */
          int32_t cdw = order == 0 ? s->cin : s->cout;
          int32_t ho, wo, mh, mw, i;
          int32_t mid_zp = mid_signed ? -7 : 120;
          int32_t mid_lo = mid_signed ? -128 : 0,
                  mid_hi = mid_signed ? 127 : 255;
          int32_t input_zp;
          dwsep_requant_t dw_rq, pw_rq;
          dwsep_act_t a_in_hwc, a_in, a_mid_ref, a_mid, a_out_ref, a_out;
          int32_t first_val = -1000, differs = 0, y, x, c;

          in_signed = (int)(lcg_next(&seed) & 1u);
          input_zp = in_signed ? (int32_t)(lcg_next(&seed) & 31u) - 16
                               : (int32_t)(lcg_next(&seed) & 63u) + 100;
          ho = dwsep_ref_out_size(s->h, s->kh, s->sh, s->pad[0], s->pad[2]);
          wo = dwsep_ref_out_size(s->w, s->kw, s->sw, s->pad[1], s->pad[3]);
          mh = order == 0 ? ho : s->h;
          mw = order == 0 ? wo : s->w;

          for (i = 0; i < s->h * s->w * s->cin; ++i)
            in_hwc[i] = (uint8_t)lcg_next(&seed);
          for (i = 0; i < s->kh * s->kw * cdw; ++i)
            dw_w[i] = (int8_t)((int32_t)lcg_next(&seed) - 128);
          for (i = 0; i < s->cin * s->cout; ++i)
            pw_w[i] = (int8_t)((int32_t)lcg_next(&seed) - 128);
          for (i = 0; i < 16; ++i) {
            dw_b[i] = (int32_t)(lcg_next(&seed) * 16u) - 2048;
            pw_b[i] = (int32_t)(lcg_next(&seed) * 16u) - 2048;
            dw_m[i] = (int32_t)(lcg_next(&seed) & 3u) + 1;
            pw_m[i] = (int32_t)(lcg_next(&seed) & 3u) + 1;
            dw_a[i] = (int32_t)(lcg_next(&seed) * 4u) - 512;
          }
          /* First half writes mid_type; both halves per channel. */
          if (order == 0) {
            dw_rq = rq_make(dw_m, cdw, s9, 1, dw_a, cdw, mid_zp, mid_lo, mid_hi,
                            DWSEP_ROUND_HALF_UP);
            pw_rq = rq_make(pw_m, s->cout, s8, 1, NULL, 0, 5, -128, 127,
                            DWSEP_ROUND_FLOOR);
          } else {
            pw_rq = rq_make(pw_m, s->cout, s8, 1, NULL, 0, mid_zp, mid_lo,
                            mid_hi, DWSEP_ROUND_DOUBLE);
            dw_rq = rq_make(dw_m, cdw, s9, 1, dw_a, 1, -3, -128, 127,
                            DWSEP_ROUND_HALF_UP);
          }

          a_in_hwc =
              act(in_hwc, s->h, s->w, s->cin, DWSEP_LAYOUT_HWC, in_signed);
          a_in = act(in_l, s->h, s->w, s->cin, lin, in_signed);
          dwsep_ref_relayout(&a_in_hwc, &a_in);
          a_mid_ref = act(mid_ref, mh, mw, order == 0 ? s->cin : s->cout,
                          DWSEP_LAYOUT_HWC, mid_signed);
          a_mid = act(mid_b, mh, mw, a_mid_ref.c, lmid, mid_signed);
          a_out_ref = act(out_ref, ho, wo, order == 0 ? s->cout : cdw,
                          DWSEP_LAYOUT_HWC, 1);
          a_out = act(out_b, ho, wo, a_out_ref.c, lout, 1);

          /* The definition: two unfused ops, explicit zero points. */
          if (order == 0) {
            dwsep_ref_depthwise(&a_in_hwc, dw_w, dw_b, &a_mid_ref, s->kh, s->kw,
                                stride, s->pad, input_zp, &dw_rq);
            dwsep_ref_pointwise(&a_mid_ref, pw_w, pw_b, &a_out_ref, mid_zp,
                                &pw_rq);
          } else {
            dwsep_ref_pointwise(&a_in_hwc, pw_w, pw_b, &a_mid_ref, input_zp,
                                &pw_rq);
            dwsep_ref_depthwise(&a_mid_ref, dw_w, dw_b, &a_out_ref, s->kh,
                                s->kw, stride, s->pad, mid_zp, &dw_rq);
          }
          memset(mid_b, 0xA5, sizeof mid_b);
          memset(out_b, 0xA5, sizeof out_b);
          dwsep_ref_fused(order, &a_in, dw_w, dw_b, pw_w, pw_b, &a_mid, &a_out,
                          s->kh, s->kw, stride, s->pad, input_zp, &dw_rq,
                          &pw_rq);
          CHECK_SAME(order == 0 ? "fused DW->PW mid vs composition"
                                : "fused PW->DW mid vs composition",
                     &a_mid_ref, &a_mid);
          CHECK_SAME(order == 0 ? "fused DW->PW out vs composition"
                                : "fused PW->DW out vs composition",
                     &a_out_ref, &a_out);

          /* Guard against a vacuous test: outputs must not be constant. */
          for (y = 0; y < ho; ++y)
            for (x = 0; x < wo; ++x)
              for (c = 0; c < a_out_ref.c; ++c) {
                int32_t v = dwsep_act_load(&a_out_ref, y, x, c);
                if (first_val == -1000)
                  first_val = v;
                else if (v != first_val)
                  differs = 1;
              }
          CHECK_EQ("fused test data is not degenerate", 1, differs);
          ++distinct_checked;
        }
  CHECK_EQ("fused configurations", 4 * 2 * 2 * 8, distinct_checked);
}

/*---------------------------------------------------------------------------*/

int main(void) {
  test_requant_rounding();
  test_requant_float32();
  test_requant_shift0();
  test_requant_double_round();
  test_requant_channels_and_clamp();
  test_load_store();
  test_layout_offsets();
  test_out_size();
  test_checksum();
  test_worked_example();
  test_conv2d();
  test_depthwise();
  test_pointwise();
  test_wraparound();
  test_add();
  test_avgpool();
  test_linear();
  test_relayout();
  test_fused_dw_pw_hand();
  test_fused_pw_dw_hand();
  test_fused_vs_composition();

  if (n_failures != 0) {
    printf("dwsep-ref-test: %d of %d checks FAILED\n", n_failures, n_checks);
    return 1;
  }
  printf("dwsep-ref-test: %d checks passed\n", n_checks);
  return 0;
}
