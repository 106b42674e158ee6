/*===- dwsep_rt_gap8.c - The dwsep runtime ABI on GAP8 (PMSIS) ----------===*\
 *
 * The `gap8` backend of runtime/include/dwsep_rt.h, for the GAP SDK's
 * PMSIS API. Generated entry points run on the cluster controller (core 0 of
 * the cluster, e.g. the entry of a pi_cluster_task); they receive
 *  - l1: a buffer of the entry's L1 size in the cluster's shared L1
 *    (pi_cl_l1_malloc), past the stacks;
 *  - l2: a buffer of the entry's L2 size in L2 (pi_l2_malloc);
 *  - l3: the HyperRAM address (pi_ram_alloc) of the entry's L3 arena, cast to
 *    a pointer. It is never dereferenced (--dwsep-check-memory proves that
 *    only DMA touches L3); the weight image `dwsep_l3_image` must have been
 *    written to its start (pi_ram_write, or flashed).
 * Call dwsep_rt_gap8_set_ram() with the opened HyperRAM device first.
 *
 * Transfers: L2<->L1 with the cluster DMA (pi_cl_dma_cmd / _2d), L3<->L2
 * with the cluster-side RAM requests (pi_cl_ram_read_2d / _write_2d, served
 * by the fabric controller's micro-DMA). The compiler only emits transfers
 * whose local side (L1 for the cluster DMA, L2 for the RAM) is contiguous,
 * as both engines require; a 3-D box becomes one 2-D command per outer
 * index, and all but the last are waited for at once.
 *
 * Built only where the GAP SDK is found (see runtime/CMakeLists.txt): there
 * is no SDK on the machines that run dwsep's CI, so this file is written
 * against the PMSIS API documentation (pmsis/cluster/dma/cl_dma.h,
 * pmsis/cluster/cluster_team/cl_team.h, bsp/ram.h) and compile-checked
 * against declarations of exactly those functions
 * (test/Runtime/Gap8/pmsis.h), not against the SDK itself.
\*===----------------------------------------------------------------------===*/

#include "dwsep_rt.h"
#include "dwsep_rt_box.h"

#include "bsp/ram.h"
#include "pmsis.h"

#include <stddef.h>

dwsep_rt_counters_t dwsep_rt_counters;
dwsep_rt_stamp_t dwsep_rt_layer_stamps[DWSEP_RT_MAX_LAYERS + 1];
int32_t dwsep_rt_layers;

/* Layers are counted, not timed: PMSIS applications time with pi_perf. */
void dwsep_rt_layer(int32_t index) {
  if (index >= 0 && index < DWSEP_RT_MAX_LAYERS)
    dwsep_rt_layers = index + 1;
}

uint32_t dwsep_rt_instructions(void) { return 0; }

static struct pi_device *ram_device;

void dwsep_rt_gap8_set_ram(struct pi_device *ram) { ram_device = ram; }

/* In-flight transfers: one slot per id, reused round-robin. The compiler
 * never has more than a handful in flight (double-buffered inputs, output,
 * weights), far below the cluster DMA's 16 counters. */
#define DWSEP_RT_SLOTS 32

typedef struct {
  int32_t id;
  int32_t direction;
  pi_cl_dma_cmd_t dma;
  pi_cl_ram_req_t ram;
} slot_t;

static slot_t slots[DWSEP_RT_SLOTS];
static int32_t next_id = 1;

static void wait_slot(slot_t *s) {
  if (s->direction == DWSEP_RT_L3_TO_L2)
    pi_cl_ram_read_wait(&s->ram);
  else if (s->direction == DWSEP_RT_L2_TO_L3)
    pi_cl_ram_write_wait(&s->ram);
  else
    pi_cl_dma_cmd_wait(&s->dma);
  s->id = 0;
}

/* Starts one 2-D piece: `rows` rows of `length` bytes, `stride` bytes apart
 * on the remote side (L2 for the cluster DMA, L3 for the RAM), contiguous
 * on the local side. */
static void start_piece(slot_t *s, uint32_t remote, uint32_t local,
                        uint32_t rows, uint32_t length, uint32_t stride) {
  uint32_t size = rows * length;
  int contiguous = rows == 1 || stride == length;
  switch (s->direction) {
  case DWSEP_RT_L2_TO_L1:
  case DWSEP_RT_L1_TO_L2: {
    pi_cl_dma_dir_e dir = s->direction == DWSEP_RT_L2_TO_L1
                              ? PI_CL_DMA_DIR_EXT2LOC
                              : PI_CL_DMA_DIR_LOC2EXT;
    if (contiguous)
      pi_cl_dma_cmd(remote, local, size, dir, &s->dma);
    else
      pi_cl_dma_cmd_2d(remote, local, size, stride, length, dir, &s->dma);
    break;
  }
  case DWSEP_RT_L3_TO_L2:
    if (contiguous)
      pi_cl_ram_read(ram_device, remote, (void *)local, size, &s->ram);
    else
      pi_cl_ram_read_2d(ram_device, remote, (void *)local, size, stride, length,
                        &s->ram);
    break;
  default:
    if (contiguous)
      pi_cl_ram_write(ram_device, remote, (void *)local, size, &s->ram);
    else
      pi_cl_ram_write_2d(ram_device, remote, (void *)local, size, stride,
                         length, &s->ram);
    break;
  }
}

int32_t dwsep_rt_dma_start(intptr_t dst, intptr_t src, intptr_t elem_bytes,
                           intptr_t n0, intptr_t n1, intptr_t n2,
                           intptr_t dst_s0, intptr_t dst_s1, intptr_t dst_s2,
                           intptr_t src_s0, intptr_t src_s1, intptr_t src_s2,
                           intptr_t direction, intptr_t weights) {
  if (direction < 0 || direction >= DWSEP_RT_NUM_DIRECTIONS) {
    dwsep_rt_counters.errors++;
    return 0;
  }
  /* The remote side is the source when moving towards the cluster. */
  int inward = direction == DWSEP_RT_L3_TO_L2 || direction == DWSEP_RT_L2_TO_L1;
  intptr_t remote = inward ? src : dst, local = inward ? dst : src;
  intptr_t r0 = inward ? src_s0 : dst_s0, r1 = inward ? src_s1 : dst_s1,
           r2 = inward ? src_s2 : dst_s2;
  intptr_t l0 = inward ? dst_s0 : src_s0, l1 = inward ? dst_s1 : src_s1,
           l2 = inward ? dst_s2 : src_s2;
  /* The engines need a contiguous local side and contiguous remote rows. */
  if ((n2 > 1 && (r2 != 1 || l2 != 1)) || (n1 > 1 && l1 != n2) ||
      (n0 > 1 && l0 != n1 * n2)) {
    dwsep_rt_counters.errors++;
    return 0;
  }
  slot_t *s = &slots[next_id % DWSEP_RT_SLOTS];
  if (s->id)
    wait_slot(s);
  s->id = next_id++;
  s->direction = (int32_t)direction;
  uint32_t length = (uint32_t)(n2 * elem_bytes);
  uint32_t stride = (uint32_t)(r1 * elem_bytes);
  for (intptr_t i = 0; i < n0; ++i) {
    if (i > 0)
      wait_slot(s), s->id = next_id - 1;
    start_piece(s, (uint32_t)(remote + i * r0 * elem_bytes),
                (uint32_t)(local + i * n1 * n2 * elem_bytes), (uint32_t)n1,
                length, stride);
  }
  uint64_t bytes = (uint64_t)(n0 * n1 * n2 * elem_bytes);
  dwsep_rt_counters.bytes[direction][weights ? 1 : 0] += bytes;
  dwsep_rt_counters.transfers[direction]++;
  return s->id;
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
  slot_t *s = &slots[id % DWSEP_RT_SLOTS];
  if (id <= 0 || s->id != id) {
    /* Already waited for (its slot was reused) or never started. */
    if (id <= 0 || id >= next_id)
      dwsep_rt_counters.errors++;
    return;
  }
  wait_slot(s);
}

void dwsep_rt_dma_wait4(int32_t a, int32_t b, int32_t c, int32_t d) {
  dwsep_rt_wait4_each(a, b, c, d);
}

typedef struct {
  void (*fn)(int32_t, void *);
  void *args;
} fork_t;

static void fork_entry(void *arg) {
  fork_t *f = (fork_t *)arg;
  f->fn((int32_t)pi_core_id(), f->args);
}

void dwsep_rt_fork(void (*fn)(int32_t core, void *args), void *args,
                   int32_t cores) {
  fork_t f = {fn, args};
  dwsep_rt_counters.forks++;
  pi_cl_team_fork(cores, fork_entry, &f);
}

void dwsep_rt_reset_counters(void) {
  dwsep_rt_counters = (dwsep_rt_counters_t){0};
}
