/*===- dwsep_rt_sim.c - The sim backend of the dwsep runtime --------------===*\
 *
 * Transfers are performed when started (a wait only checks the id), cores
 * run one after the other (the compiler lowers the core loop sequentially
 * for this backend), and every transfer is counted and checked against the
 * arenas. C99, host or bare-metal riscv32 with picolibc.
\*===----------------------------------------------------------------------===*/

#include "dwsep_rt.h"
#include "dwsep_rt_box.h"

#include <stdio.h>
#include <string.h>

dwsep_rt_counters_t dwsep_rt_counters;
dwsep_rt_stamp_t dwsep_rt_layer_stamps[DWSEP_RT_MAX_LAYERS + 1];
int32_t dwsep_rt_layers;

uint32_t dwsep_rt_instructions(void) {
#if defined(__riscv)
  uint32_t v;
  /* minstret (CSR 0xB02), exact under QEMU's -icount shift=0. */
  __asm__ volatile(".option push\n.option arch, +zicsr\n"
                   "csrr %0, minstret\n.option pop"
                   : "=r"(v));
  return v;
#else
  return 0;
#endif
}

void dwsep_rt_layer(int32_t index) {
  dwsep_rt_record_layer(index, (dwsep_rt_stamp_t){0, dwsep_rt_instructions()});
}

static dwsep_rt_arena_t arenas[4]; /* indexed by level 1..3 */

static int32_t next_id = 1;

void dwsep_rt_reset_counters(void) {
  memset(&dwsep_rt_counters, 0, sizeof(dwsep_rt_counters));
  dwsep_rt_layers = 0;
  next_id = 1;
}

void dwsep_rt_sim_set_arenas(const void *l1, uint32_t l1_size, const void *l2,
                             uint32_t l2_size, const void *l3,
                             uint32_t l3_size) {
  dwsep_rt_set_arena_table(arenas, l1, l1_size, l2, l2_size, l3, l3_size);
}

int32_t dwsep_rt_dma_start(intptr_t dst, intptr_t src, intptr_t elem_bytes,
                           intptr_t n0, intptr_t n1, intptr_t n2,
                           intptr_t dst_s0, intptr_t dst_s1, intptr_t dst_s2,
                           intptr_t src_s0, intptr_t src_s1, intptr_t src_s2,
                           intptr_t direction, intptr_t weights) {
  if (!dwsep_rt_check_box(arenas, dst, src, elem_bytes, n0, n1, n2, dst_s0,
                          dst_s1, dst_s2, src_s0, src_s1, src_s2, direction,
                          weights))
    return 0;
  dwsep_rt_box_copy(dst, src, elem_bytes, n0, n1, n2, dst_s0, dst_s1, dst_s2,
                    src_s0, src_s1, src_s2);
  return next_id++;
}

int32_t dwsep_rt_dma_rows(intptr_t nearer, intptr_t farther, intptr_t len,
                          intptr_t rows, intptr_t far_stride,
                          intptr_t direction, intptr_t weights) {
  return dwsep_rt_rows_as_box(nearer, farther, len, rows, far_stride, direction,
                              weights);
}

void dwsep_rt_dma_wait(int32_t id) {
  if (id == DWSEP_RT_DMA_NONE)
    return;
  if (id <= 0 || id >= next_id)
    dwsep_rt_counters.errors++;
}

void dwsep_rt_dma_wait4(int32_t a, int32_t b, int32_t c, int32_t d) {
  dwsep_rt_wait4_each(a, b, c, d);
}

/* The cluster's cores one after another; the compiler's work splits write
 * disjoint outputs, so the order does not matter. A core count outside the
 * target's range is an error (the compiler takes it from #dwsep.target). */
void dwsep_rt_fork(void (*fn)(int32_t core, void *args), void *args,
                   int32_t cores) {
  if (cores < 1 || cores > 16) {
    dwsep_rt_counters.errors++;
    return;
  }
  dwsep_rt_counters.forks++;
  for (int32_t core = 0; core < cores; ++core)
    fn(core, args);
}
