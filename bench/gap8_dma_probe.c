/*===- gap8_dma_probe.c - L2<->L1 transfer cost on GAP8 ------------------===*\
 *
 * Linked with runtime/gap8-bare by bench/calibrate.py and run on the GAP8
 * virtual platform: times dwsep_rt_dma_start + dwsep_rt_dma_wait (what the
 * generated code pays per transfer) in cluster cycles for contiguous
 * L2->L1 and L1->L2 transfers of growing size. calibrate.py fits the
 * target's l2_dma_latency and l2_dma_bytes_per_cycle to them.
\*===----------------------------------------------------------------------===*/

#include "dwsep_rt.h"

#include <stdio.h>

static int8_t l1[32768] __attribute__((section(".l1"), aligned(8)));
static int8_t l2[32768] __attribute__((aligned(8)));

static uint32_t timed(intptr_t dst, intptr_t src, int n, int direction) {
  uint32_t t0 = dwsep_rt_gap8_cycles();
  dwsep_rt_dma_wait(
      dwsep_rt_dma_start(dst, src, 1, 1, 1, n, 0, 0, 1, 0, 0, 1, direction, 0));
  return dwsep_rt_gap8_cycles() - t0;
}

int main(void) {
  static const int sizes[] = {64, 256, 1024, 2048, 4096, 8192, 16384, 32768};
  for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); ++i) {
    int n = sizes[i];
    uint32_t in = timed((intptr_t)l1, (intptr_t)l2, n, DWSEP_RT_L2_TO_L1);
    uint32_t out = timed((intptr_t)l2, (intptr_t)l1, n, DWSEP_RT_L1_TO_L2);
    printf("dma %d %lu %lu\n", n, (unsigned long)in, (unsigned long)out);
  }
  return 0;
}
