/*===- dwsep_ref.c - C99 reference implementation of the dwsep ops -------===*\
 *
 * The oracle: obviously correct rather than fast. See dwsep_ref.h and
 * docs/numerics.md.
 *
 * Integer hygiene: int32 accumulation is done in uint32_t (wraps modulo 2^32
 * by definition) and converted back with to_i32(); negative int64 values are
 * never right-shifted (shr_floor); conversions to signed types are only done
 * for values that fit. So the results do not depend on the compiler.
\*===----------------------------------------------------------------------===*/

#include "dwsep_ref.h"

/* The two's complement int32 value congruent to u modulo 2^32. */
static int32_t to_i32(uint32_t u) {
  if (u <= 0x7FFFFFFFu)
    return (int32_t)u;
  return (int32_t)(u - 0x80000000u) + INT32_MIN;
}

/* acc + (x - zp) * w, all modulo 2^32 (docs/numerics.md, section 3). */
static uint32_t mac(uint32_t acc, int32_t x, int32_t zp, int32_t w) {
  uint32_t d = (uint32_t)x - (uint32_t)zp;
  return acc + d * (uint32_t)w;
}

static uint32_t bias_or_zero(const int32_t *bias, int32_t o) {
  return bias ? (uint32_t)bias[o] : 0u;
}

/* floor(v / 2^s) for s in 0..62, without shifting a negative value: for
 * v < 0, floor(v / 2^s) = -floor((-v - 1) / 2^s) - 1 = ~((~v) >> s). */
static int64_t shr_floor(int64_t v, int32_t s) {
  if (v >= 0)
    return v >> s;
  return ~((~v) >> s);
}

static int32_t param(const int32_t *p, int32_t n, int32_t channel) {
  return p[n == 1 ? 0 : channel];
}

/* The integer nearest to a float, ties to even (nearbyintf in the default
 * rounding mode, without libm). A float of magnitude 2^23 or more is an
 * integer; below, t = trunc(p) and p - t are exact. */
static int64_t round_half_even(float p) {
  int32_t t;
  float d;
  if (p >= 8388608.0f || p <= -8388608.0f)
    return (int64_t)p;
  t = (int32_t)p;
  d = p - (float)t;
  if (d > 0.5f || (d == 0.5f && (t & 1)))
    t += 1;
  else if (d < -0.5f || (d == -0.5f && (t & 1)))
    t -= 1;
  return t;
}

/* numerics.md 4.4: ONNX Runtime's requantization in float32 arithmetic. The
 * scale mult * 2^-shift is exact (at most 24 significant bits, halved within
 * the normal range); the product is one float32 rounding. */
static int64_t requant_float32(int32_t acc, int32_t mult, int32_t shift) {
  float scale = (float)mult;
  volatile float p;
  int32_t i;
  for (i = 0; i < shift; ++i)
    scale *= 0.5f;
  p = (float)acc * scale;
  return round_half_even(p);
}

int64_t dwsep_requant_apply(const dwsep_requant_t *rq, int32_t acc,
                            int32_t channel) {
  int64_t mult = param(rq->mult, rq->n_mult, channel);
  int32_t shift = param(rq->shift, rq->n_shift, channel);
  int64_t add = rq->n_add == 0 ? 0 : param(rq->add, rq->n_add, channel);
  /* |acc * mult| <= 2^62, |add| <= 2^31, |round| <= 2^61 + 2^30: no overflow
   * (numerics.md 4.3). */
  int64_t v = (int64_t)acc * mult + add;
  int64_t round = 0;
  int64_t r;
  if (rq->rounding == DWSEP_ROUND_FLOAT32) {
    r = requant_float32(acc, (int32_t)mult, shift) + rq->zp;
    if (r < rq->clamp_min)
      r = rq->clamp_min;
    if (r > rq->clamp_max)
      r = rq->clamp_max;
    return r;
  }
  if (rq->rounding != DWSEP_ROUND_FLOOR && shift > 0) {
    round = (int64_t)1 << (shift - 1);
    if (rq->rounding == DWSEP_ROUND_DOUBLE && shift > 31)
      round += v >= 0 ? ((int64_t)1 << 30) : -((int64_t)1 << 30);
  }
  r = shr_floor(v + round, shift) + rq->zp;
  if (r < rq->clamp_min)
    r = rq->clamp_min;
  if (r > rq->clamp_max)
    r = rq->clamp_max;
  return r;
}

int32_t dwsep_act_offset(const dwsep_act_t *a, int32_t y, int32_t x,
                         int32_t c) {
  if (a->layout == DWSEP_LAYOUT_CHW)
    return (c * a->h + y) * a->w + x;
  return (y * a->w + x) * a->c + c;
}

int32_t dwsep_act_load(const dwsep_act_t *a, int32_t y, int32_t x, int32_t c) {
  int32_t b = a->data[dwsep_act_offset(a, y, x, c)];
  if (a->is_signed && b >= 128)
    return b - 256;
  return b;
}

void dwsep_act_store(dwsep_act_t *a, int32_t y, int32_t x, int32_t c,
                     int32_t v) {
  a->data[dwsep_act_offset(a, y, x, c)] = (uint8_t)((uint32_t)v & 0xFFu);
}

int32_t dwsep_ref_out_size(int32_t in, int32_t k, int32_t stride,
                           int32_t pad_lo, int32_t pad_hi) {
  return (in + pad_lo + pad_hi - k) / stride + 1;
}

static int inside(const dwsep_act_t *a, int32_t y, int32_t x) {
  return y >= 0 && y < a->h && x >= 0 && x < a->w;
}

/* Requantizes acc for `channel` and stores it at (y, x, channel). */
static void requant_store(dwsep_act_t *out, int32_t y, int32_t x,
                          int32_t channel, uint32_t acc,
                          const dwsep_requant_t *rq) {
  /* The result lies in [clamp_min, clamp_max], so it fits int32. */
  int32_t v = (int32_t)dwsep_requant_apply(rq, to_i32(acc), channel);
  dwsep_act_store(out, y, x, channel, v);
}

void dwsep_ref_conv2d(const dwsep_act_t *in, const int8_t *w,
                      const int32_t *bias, dwsep_act_t *out, int32_t kh,
                      int32_t kw, const int32_t stride[2], const int32_t pad[4],
                      int32_t input_zp, const dwsep_requant_t *rq) {
  int32_t oy, ox, o, ky, kx, i;
  for (oy = 0; oy < out->h; ++oy)
    for (ox = 0; ox < out->w; ++ox)
      for (o = 0; o < out->c; ++o) {
        uint32_t acc = bias_or_zero(bias, o);
        for (ky = 0; ky < kh; ++ky)
          for (kx = 0; kx < kw; ++kx) {
            int32_t iy = oy * stride[0] - pad[0] + ky;
            int32_t ix = ox * stride[1] - pad[1] + kx;
            if (!inside(in, iy, ix))
              continue; /* padding: (input_zp - input_zp) * w = 0 */
            for (i = 0; i < in->c; ++i)
              acc = mac(acc, dwsep_act_load(in, iy, ix, i), input_zp,
                        w[((o * kh + ky) * kw + kx) * in->c + i]);
          }
        requant_store(out, oy, ox, o, acc, rq);
      }
}

void dwsep_ref_depthwise(const dwsep_act_t *in, const int8_t *w,
                         const int32_t *bias, dwsep_act_t *out, int32_t kh,
                         int32_t kw, const int32_t stride[2],
                         const int32_t pad[4], int32_t input_zp,
                         const dwsep_requant_t *rq) {
  int32_t oy, ox, c, ky, kx;
  for (oy = 0; oy < out->h; ++oy)
    for (ox = 0; ox < out->w; ++ox)
      for (c = 0; c < out->c; ++c) {
        uint32_t acc = bias_or_zero(bias, c);
        for (ky = 0; ky < kh; ++ky)
          for (kx = 0; kx < kw; ++kx) {
            int32_t iy = oy * stride[0] - pad[0] + ky;
            int32_t ix = ox * stride[1] - pad[1] + kx;
            if (!inside(in, iy, ix))
              continue; /* padding: (input_zp - input_zp) * w = 0 */
            acc = mac(acc, dwsep_act_load(in, iy, ix, c), input_zp,
                      w[(ky * kw + kx) * out->c + c]);
          }
        requant_store(out, oy, ox, c, acc, rq);
      }
}

void dwsep_ref_pointwise(const dwsep_act_t *in, const int8_t *w,
                         const int32_t *bias, dwsep_act_t *out,
                         int32_t input_zp, const dwsep_requant_t *rq) {
  int32_t y, x, o, i;
  for (y = 0; y < out->h; ++y)
    for (x = 0; x < out->w; ++x)
      for (o = 0; o < out->c; ++o) {
        uint32_t acc = bias_or_zero(bias, o);
        for (i = 0; i < in->c; ++i)
          acc =
              mac(acc, dwsep_act_load(in, y, x, i), input_zp, w[o * in->c + i]);
        requant_store(out, y, x, o, acc, rq);
      }
}

void dwsep_ref_fused(int order, const dwsep_act_t *in, const int8_t *dw_w,
                     const int32_t *dw_b, const int8_t *pw_w,
                     const int32_t *pw_b, dwsep_act_t *mid, dwsep_act_t *out,
                     int32_t kh, int32_t kw, const int32_t stride[2],
                     const int32_t pad[4], int32_t input_zp,
                     const dwsep_requant_t *dw_rq,
                     const dwsep_requant_t *pw_rq) {
  if (order == 0) { /* DW->PW */
    dwsep_ref_depthwise(in, dw_w, dw_b, mid, kh, kw, stride, pad, input_zp,
                        dw_rq);
    dwsep_ref_pointwise(mid, pw_w, pw_b, out, dw_rq->zp, pw_rq);
  } else { /* PW->DW */
    dwsep_ref_pointwise(in, pw_w, pw_b, mid, input_zp, pw_rq);
    dwsep_ref_depthwise(mid, dw_w, dw_b, out, kh, kw, stride, pad, pw_rq->zp,
                        dw_rq);
  }
}

void dwsep_ref_add(const dwsep_act_t *lhs, const dwsep_act_t *rhs,
                   dwsep_act_t *out, int32_t lhs_zp, int32_t rhs_zp,
                   const dwsep_requant_t *lhs_rq, const dwsep_requant_t *rhs_rq,
                   const dwsep_requant_t *rq) {
  int32_t y, x, c;
  for (y = 0; y < out->h; ++y)
    for (x = 0; x < out->w; ++x)
      for (c = 0; c < out->c; ++c) {
        int32_t dl =
            to_i32((uint32_t)dwsep_act_load(lhs, y, x, c) - (uint32_t)lhs_zp);
        int32_t dr =
            to_i32((uint32_t)dwsep_act_load(rhs, y, x, c) - (uint32_t)rhs_zp);
        /* Both lie in their clamp range, which is within int32. */
        int32_t tl = (int32_t)dwsep_requant_apply(lhs_rq, dl, c);
        int32_t tr = (int32_t)dwsep_requant_apply(rhs_rq, dr, c);
        requant_store(out, y, x, c, (uint32_t)tl + (uint32_t)tr, rq);
      }
}

void dwsep_ref_avgpool(const dwsep_act_t *in, dwsep_act_t *out, int32_t kh,
                       int32_t kw, const int32_t stride[2], int32_t input_zp,
                       const dwsep_requant_t *rq) {
  int32_t oy, ox, c, ky, kx;
  for (oy = 0; oy < out->h; ++oy)
    for (ox = 0; ox < out->w; ++ox)
      for (c = 0; c < out->c; ++c) {
        uint32_t acc = 0;
        for (ky = 0; ky < kh; ++ky)
          for (kx = 0; kx < kw; ++kx)
            acc = mac(
                acc,
                dwsep_act_load(in, oy * stride[0] + ky, ox * stride[1] + kx, c),
                input_zp, 1);
        requant_store(out, oy, ox, c, acc, rq);
      }
}

void dwsep_ref_linear(const uint8_t *in, int in_signed, int32_t cin,
                      const int8_t *w, const int32_t *bias, uint8_t *out,
                      int out_signed, int32_t cout, int32_t input_zp,
                      const dwsep_requant_t *rq) {
  int32_t o, i;
  (void)out_signed; /* the stored byte is the low 8 bits either way */
  for (o = 0; o < cout; ++o) {
    uint32_t acc = bias_or_zero(bias, o);
    for (i = 0; i < cin; ++i) {
      int32_t x = in[i];
      if (in_signed && x >= 128)
        x -= 256;
      acc = mac(acc, x, input_zp, w[o * cin + i]);
    }
    /* The result lies in [clamp_min, clamp_max], so it fits int32. */
    int32_t y = (int32_t)dwsep_requant_apply(rq, to_i32(acc), o);
    out[o] = (uint8_t)((uint32_t)y & 0xFFu);
  }
}

void dwsep_ref_relayout(const dwsep_act_t *in, dwsep_act_t *out) {
  int32_t y, x, c;
  for (y = 0; y < in->h; ++y)
    for (x = 0; x < in->w; ++x)
      for (c = 0; c < in->c; ++c)
        dwsep_act_store(out, y, x, c, dwsep_act_load(in, y, x, c));
}

uint32_t dwsep_checksum(const uint8_t *p, uint32_t n) {
  uint32_t h = 2166136261u;
  uint32_t i;
  for (i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 16777619u;
  }
  return h;
}
