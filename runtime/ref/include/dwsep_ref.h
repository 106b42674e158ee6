/*===- dwsep_ref.h - C99 reference implementation of the dwsep ops -------===*\
 *
 * The bit-exact oracle for every dwsep operation, written as plainly as
 * possible: straight loops over logical coordinates, every element read and
 * written through dwsep_act_load / dwsep_act_store, so any combination of
 * layouts works. The arithmetic is exactly docs/numerics.md (int32
 * accumulators with wrap-around, int64 requantization); nothing here relies on
 * undefined or implementation-defined behaviour of C.
 *
 * Portable C99: builds for the host and for bare-metal riscv32 (picolibc).
 * No global state, no allocation, no VLAs. The functions do not validate
 * their arguments (the dwsep verifier does that for the compiler); the
 * preconditions are stated with each function.
 *
 * Conventions for every op:
 *  - a `dwsep_act_t` gives the *logical* dims h, w, c; its data holds
 *    h * w * c bytes in its layout (hwc: (y*w + x)*c + ch, chw: (ch*h + y)*w +
x);
 *  - the caller sets the output's h, w, c (see dwsep_ref_out_size) and
 *    is_signed; the op writes every output element;
 *  - `bias` may be NULL, meaning all zero;
 *  - a requantization's parameter arrays are indexed by the output channel
 *    (length 1 = per tensor).
\*===----------------------------------------------------------------------===*/

#ifndef DWSEP_REF_H
#define DWSEP_REF_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Rounding of a requantization (docs/numerics.md, section 4). */
typedef enum {
  DWSEP_ROUND_FLOOR = 0,   /* floor(v / 2^s) */
  DWSEP_ROUND_HALF_UP = 1, /* floor(v / 2^s + 1/2): ties towards +infinity */
  DWSEP_ROUND_DOUBLE = 2,  /* TOSA double rounding (differs only for s > 31) */
  DWSEP_ROUND_FLOAT32 = 3  /* ONNX Runtime's: nearbyint(float32(float32(acc)
                            * mult * 2^-s)), ties to even; add is 0 and
                            * |mult| has at most 24 significant bits */
} dwsep_rounding_t;

/* Physical layout of an activation. */
typedef enum {
  DWSEP_LAYOUT_HWC = 0, /* element (y, x, c) at (y * W + x) * C + c */
  DWSEP_LAYOUT_CHW = 1  /* element (y, x, c) at (c * H + y) * W + x */
} dwsep_layout_t;

/* Requantization parameters: maps an int32 accumulator of output channel c to
 *   y = clamp(((acc * mult[c] + add[c] + round) >> shift[c]) + zp,
 *             clamp_min, clamp_max)
 * computed in int64 (docs/numerics.md, section 4).
 * Preconditions: n_mult and n_shift are 1 or the channel count, n_add is 0,
 * 1 or the channel count (add may be NULL when n_add is 0), every shift is in
 * 0..62, clamp_min <= clamp_max. */
typedef struct {
  const int32_t *mult;
  int32_t n_mult; /* 1 or channels */
  const int32_t *shift;
  int32_t n_shift; /* 1 or channels */
  const int32_t *add;
  int32_t n_add; /* 0 (all zero), 1 or channels */
  int32_t zp, clamp_min, clamp_max;
  dwsep_rounding_t rounding;
} dwsep_requant_t;

/* An activation: logical dims h, w, c; data holds h*w*c bytes in `layout`.
 * is_signed: nonzero for i8 elements, zero for ui8. */
typedef struct {
  uint8_t *data;
  int32_t h, w, c;
  dwsep_layout_t layout;
  int is_signed;
} dwsep_act_t;

/* Applies `rq` to the accumulator `acc` of output channel `channel`
 * (docs/numerics.md, section 4). The result lies in
 * [rq->clamp_min, rq->clamp_max]. */
int64_t dwsep_requant_apply(const dwsep_requant_t *rq, int32_t acc,
                            int32_t channel);

/* Byte offset of logical element (y, x, c) of `a` in a->data, per a->layout. */
int32_t dwsep_act_offset(const dwsep_act_t *a, int32_t y, int32_t x, int32_t c);

/* Loads logical element (y, x, c): sign-extended if a->is_signed (0xFF is -1),
 * zero-extended otherwise (0xFF is 255). */
int32_t dwsep_act_load(const dwsep_act_t *a, int32_t y, int32_t x, int32_t c);

/* Stores the low 8 bits of v at logical element (y, x, c). */
void dwsep_act_store(dwsep_act_t *a, int32_t y, int32_t x, int32_t c,
                     int32_t v);

/* Output extent of a window op along one dimension (docs/numerics.md 5.1):
 * (in + pad_lo + pad_hi - k) / stride + 1, floor. Requires stride >= 1 and
 * in + pad_lo + pad_hi >= k. */
int32_t dwsep_ref_out_size(int32_t in, int32_t k, int32_t stride,
                           int32_t pad_lo, int32_t pad_hi);

/* dwsep.conv2d (numerics.md 5.3). in: H x W x Cin; w: Cout x kh x kw x Cin
 * (OHWI); bias: Cout; out: Ho x Wo x Cout. stride = {sh, sw};
 * pad = {top, left, bottom, right}, padded taps contribute exactly 0 (they
 * hold input_zp). out->h and out->w must be the sizes dwsep_ref_out_size
 * gives; pad[2] and pad[3] only enter through them. */
void dwsep_ref_conv2d(const dwsep_act_t *in, const int8_t *w,
                      const int32_t *bias, dwsep_act_t *out, int32_t kh,
                      int32_t kw, const int32_t stride[2], const int32_t pad[4],
                      int32_t input_zp, const dwsep_requant_t *rq);

/* dwsep.depthwise, channel multiplier 1 (numerics.md 5.4). in: H x W x C;
 * w: kh x kw x C; bias: C; out: Ho x Wo x C. Stride and padding as in
 * dwsep_ref_conv2d. */
void dwsep_ref_depthwise(const dwsep_act_t *in, const int8_t *w,
                         const int32_t *bias, dwsep_act_t *out, int32_t kh,
                         int32_t kw, const int32_t stride[2],
                         const int32_t pad[4], int32_t input_zp,
                         const dwsep_requant_t *rq);

/* dwsep.pointwise (numerics.md 5.5). in: H x W x Cin; w: Cout x Cin;
 * bias: Cout; out: H x W x Cout. */
void dwsep_ref_pointwise(const dwsep_act_t *in, const int8_t *w,
                         const int32_t *bias, dwsep_act_t *out,
                         int32_t input_zp, const dwsep_requant_t *rq);

/* dwsep.fused (numerics.md 5.6), exactly the composition of the two halves.
 * order: 0 = DW->PW, 1 = PW->DW. mid describes the intermediate (its data
 * points to caller scratch of mid->h*mid->w*mid->c bytes, its layout and
 * signedness are the variant's mid layout and mid_type); on return it holds
 * the intermediate activation.
 *  - DW->PW: in H x W x C, dw_w kh x kw x C, dw_b C, mid Ho x Wo x C,
 *            pw_w Cout x C, pw_b Cout, out Ho x Wo x Cout. The depthwise half
 *            uses input_zp, the pointwise half dw_rq->zp as input zero point.
 *  - PW->DW: in H x W x Cin, pw_w Cm x Cin, pw_b Cm, mid H x W x Cm,
 *            dw_w kh x kw x Cm, dw_b Cm, out Ho x Wo x Cm. The pointwise half
 *            uses input_zp, the depthwise half pads with and subtracts
 *            pw_rq->zp.
 * stride and pad belong to the depthwise half. */
void dwsep_ref_fused(int order, const dwsep_act_t *in, const int8_t *dw_w,
                     const int32_t *dw_b, const int8_t *pw_w,
                     const int32_t *pw_b, dwsep_act_t *mid, dwsep_act_t *out,
                     int32_t kh, int32_t kw, const int32_t stride[2],
                     const int32_t pad[4], int32_t input_zp,
                     const dwsep_requant_t *dw_rq,
                     const dwsep_requant_t *pw_rq);

/* dwsep.add (numerics.md 5.7). lhs, rhs and out have the same logical dims
 * (layouts may differ). Per element:
 *   t_l = lhs_rq(lhs - lhs_zp), t_r = rhs_rq(rhs - rhs_zp)   (int32)
 *   out = rq(t_l + t_r)                  (int32 add with wrap-around)
 * lhs_rq and rhs_rq must have clamps within int32 (always true). */
void dwsep_ref_add(const dwsep_act_t *lhs, const dwsep_act_t *rhs,
                   dwsep_act_t *out, int32_t lhs_zp, int32_t rhs_zp,
                   const dwsep_requant_t *lhs_rq, const dwsep_requant_t *rhs_rq,
                   const dwsep_requant_t *rq);

/* dwsep.avgpool (numerics.md 5.8), no padding: out(oy, ox, c) =
 * rq(sum over the kh x kw window at (oy*sh, ox*sw) of (x - input_zp)).
 * out: Ho x Wo x C with Ho = (H - kh) / sh + 1, Wo likewise. */
void dwsep_ref_avgpool(const dwsep_act_t *in, dwsep_act_t *out, int32_t kh,
                       int32_t kw, const int32_t stride[2], int32_t input_zp,
                       const dwsep_requant_t *rq);

/* dwsep.linear (numerics.md 5.9): out[o] = rq(bias[o] + sum_i (in[i] -
 * input_zp) * w[o][i]). in: cin bytes, i8 if in_signed else ui8;
 * w: cout x cin; out: cout bytes. out_signed documents the output type; the
 * stored byte is the low 8 bits of the result either way. */
void dwsep_ref_linear(const uint8_t *in, int in_signed, int32_t cin,
                      const int8_t *w, const int32_t *bias, uint8_t *out,
                      int out_signed, int32_t cout, int32_t input_zp,
                      const dwsep_requant_t *rq);

/* dwsep.relayout (numerics.md 5.10): copies every logical element of `in` to
 * `out`; same h, w, c, normally a different layout. */
void dwsep_ref_relayout(const dwsep_act_t *in, dwsep_act_t *out);

/* FNV-1a 32-bit checksum of n bytes, used by harnesses to print outputs
 * compactly. Offset basis 2166136261, prime 16777619. */
uint32_t dwsep_checksum(const uint8_t *p, uint32_t n);

#ifdef __cplusplus
}
#endif

#endif /* DWSEP_REF_H */
