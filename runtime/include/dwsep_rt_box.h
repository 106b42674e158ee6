/*===- dwsep_rt_box.h - Helpers the runtime backends share ---------------===*\
 *
 * The arena check and the copy of a 3-D box that both the sim backend (every
 * transfer) and the bare-metal GAP8 backend (L3 transfers, which are copies
 * there) perform, written once. Internal to the backends, not part of the
 * ABI generated code calls.
\*===----------------------------------------------------------------------===*/

#ifndef DWSEP_RT_BOX_H
#define DWSEP_RT_BOX_H

#include "dwsep_rt.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The arenas of each level (indexed 1..3), registered by
 * dwsep_rt_sim_set_arenas. */
typedef struct {
  intptr_t base;
  uint32_t size;
} dwsep_rt_arena_t;

/* Source and destination level of each direction. */
static const int dwsep_rt_src_level[DWSEP_RT_NUM_DIRECTIONS] = {3, 2, 1, 2};
static const int dwsep_rt_dst_level[DWSEP_RT_NUM_DIRECTIONS] = {2, 1, 2, 3};

/* dwsep_rt_dma_rows as the dwsep_rt_dma_start box it stands for (the
 * backends without a shorter way, and GAP8's L3 transfers): `nearer` is the
 * contiguous side at the level nearer the cores (L1 of L2<->L1, L2 of
 * L3<->L2), `farther` the strided one. An invalid direction stays invalid,
 * which dwsep_rt_dma_start counts as an error. */
static inline int32_t dwsep_rt_rows_as_box(intptr_t nearer, intptr_t farther,
                                           intptr_t len, intptr_t rows,
                                           intptr_t far_stride,
                                           intptr_t direction,
                                           intptr_t weights) {
  int inward = direction == DWSEP_RT_L2_TO_L1 || direction == DWSEP_RT_L3_TO_L2;
  intptr_t near_stride = len;
  return dwsep_rt_dma_start(
      inward ? nearer : farther, inward ? farther : nearer, 1, 1, rows, len, 0,
      inward ? near_stride : far_stride, 1, 0,
      inward ? far_stride : near_stride, 1, direction, weights);
}

/* dwsep_rt_dma_wait4 as four dwsep_rt_dma_wait calls (the backends without
 * a shorter way; each returns at once for DWSEP_RT_DMA_NONE). */
static inline void dwsep_rt_wait4_each(int32_t a, int32_t b, int32_t c,
                                       int32_t d) {
  dwsep_rt_dma_wait(a);
  dwsep_rt_dma_wait(b);
  dwsep_rt_dma_wait(c);
  dwsep_rt_dma_wait(d);
}

/* Registers the three arenas (dwsep_rt_sim_set_arenas of either backend). */
static inline void dwsep_rt_set_arena_table(dwsep_rt_arena_t arenas[4],
                                            const void *l1, uint32_t l1_size,
                                            const void *l2, uint32_t l2_size,
                                            const void *l3, uint32_t l3_size) {
  arenas[1] = (dwsep_rt_arena_t){(intptr_t)l1, l1_size};
  arenas[2] = (dwsep_rt_arena_t){(intptr_t)l2, l2_size};
  arenas[3] = (dwsep_rt_arena_t){(intptr_t)l3, l3_size};
}

/* Records `stamp` for dwsep_rt_layer(index) (-1: the end of the entry). */
static inline void dwsep_rt_record_layer(int32_t index,
                                         dwsep_rt_stamp_t stamp) {
  if (index >= DWSEP_RT_MAX_LAYERS) {
    dwsep_rt_counters.errors++;
    return;
  }
  if (index >= 0)
    dwsep_rt_layers = index + 1;
  dwsep_rt_layer_stamps[index < 0 ? dwsep_rt_layers : index] = stamp;
}

/* True if [lo, hi] lies in `arena` (or no arena is registered). */
static inline int dwsep_rt_inside(const dwsep_rt_arena_t *arena, intptr_t lo,
                                  intptr_t hi) {
  if (!arena->base)
    return 1;
  return lo >= arena->base && hi < arena->base + (intptr_t)arena->size;
}

/* Offset of the last byte of a box of n0 x n1 x n2 elements of `eb` bytes
 * with element strides s0, s1, s2 (non-negative in dwsep code). */
static inline intptr_t dwsep_rt_box_last(intptr_t eb, intptr_t n0, intptr_t n1,
                                         intptr_t n2, intptr_t s0, intptr_t s1,
                                         intptr_t s2) {
  return ((n0 - 1) * s0 + (n1 - 1) * s1 + (n2 - 1) * s2) * eb + eb - 1;
}

/* Copies the box element by element (runs where both sides are contiguous
 * in the innermost dimension). */
/* The checks every general transfer makes, and its counters: a valid
 * direction and sizes, both boxes inside their arenas. Returns 1 (counted)
 * or 0 (counted as an error; nothing is to be moved). */
static inline int dwsep_rt_check_box(const dwsep_rt_arena_t arenas[4],
                                     intptr_t dst, intptr_t src, intptr_t eb,
                                     intptr_t n0, intptr_t n1, intptr_t n2,
                                     intptr_t d0, intptr_t d1, intptr_t d2,
                                     intptr_t s0, intptr_t s1, intptr_t s2,
                                     intptr_t direction, intptr_t weights) {
  if (direction < 0 || direction >= DWSEP_RT_NUM_DIRECTIONS || n0 <= 0 ||
      n1 <= 0 || n2 <= 0 || eb <= 0) {
    dwsep_rt_counters.errors++;
    return 0;
  }
  intptr_t last_src = dwsep_rt_box_last(eb, n0, n1, n2, s0, s1, s2);
  intptr_t last_dst = dwsep_rt_box_last(eb, n0, n1, n2, d0, d1, d2);
  if (!dwsep_rt_inside(&arenas[dwsep_rt_src_level[direction]], src,
                       src + last_src) ||
      !dwsep_rt_inside(&arenas[dwsep_rt_dst_level[direction]], dst,
                       dst + last_dst)) {
    dwsep_rt_counters.errors++;
    printf("dwsep_rt: transfer %d outside its arenas\n", (int)direction);
    return 0;
  }
  dwsep_rt_counters.bytes[direction][weights ? 1 : 0] +=
      (uint64_t)(n0 * n1 * n2 * eb);
  dwsep_rt_counters.transfers[direction]++;
  return 1;
}

static inline void dwsep_rt_box_copy(intptr_t dst, intptr_t src, intptr_t eb,
                                     intptr_t n0, intptr_t n1, intptr_t n2,
                                     intptr_t d0, intptr_t d1, intptr_t d2,
                                     intptr_t s0, intptr_t s1, intptr_t s2) {
  for (intptr_t i = 0; i < n0; ++i)
    for (intptr_t j = 0; j < n1; ++j) {
      if (s2 == 1 && d2 == 1) {
        memcpy((void *)(dst + (i * d0 + j * d1) * eb),
               (const void *)(src + (i * s0 + j * s1) * eb), (size_t)(n2 * eb));
        continue;
      }
      for (intptr_t k = 0; k < n2; ++k)
        memcpy((void *)(dst + (i * d0 + j * d1 + k * d2) * eb),
               (const void *)(src + (i * s0 + j * s1 + k * s2) * eb),
               (size_t)eb);
    }
}

#endif /* DWSEP_RT_BOX_H */
