/*===- dwsep_rt_gap8_bare.c - The dwsep runtime on a bare GAP8 -----------===*\
 *
 * runtime/include/dwsep_rt.h on the GAP8 hardware itself, without the GAP
 * SDK (register facts in gap8_soc.h):
 *  - the fabric controller powers the cluster up, enables its instruction
 *    cache, points the 8 cores at the cluster entry of crt0.S and sleeps;
 *    cluster core 0 runs `main` (the harness), the other cores wait for
 *    forks;
 *  - dwsep_rt_fork: software event 0 wakes cores 1..7, which read the
 *    function from L2, run it and meet core 0 at hardware barrier 0 (GAP8
 *    has no atomics, the event unit does the synchronisation);
 *  - L2<->L1 transfers on the cluster DMA (mchan v6): a 3-D box becomes 2-D
 *    commands strided on the L2 side (or 1-D ones), all on one counter;
 *    waits sleep on the DMA event;
 *  - L3: the virtual platform's HyperRAM is not used; the L3 arena is
 *    memory the harness places in L2 address space, and L3<->L2 transfers
 *    are copies by core 0 whose cycles are counted apart
 *    (dwsep_rt_gap8_l3_cycles) so that nobody reads them as HyperRAM timing;
 *  - counters: bytes and transfers per direction as the sim backend, the
 *    cluster timer (per layer without the L3 copies), each core's active
 *    cycles inside forks.
 * stdout is the virtual platform's debug print; exit writes CORESTATUS.
\*===----------------------------------------------------------------------===*/

#include "dwsep_rt.h"
#include "dwsep_rt_box.h"
#include "gap8_soc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the cluster cores touch on every transfer and fork lives in L1, in
 * the 512 bytes link.ld reserves at its top (section .l1_runtime, taken
 * from core 0's stack reservation): from L2 it cost a 64x64x16 stride-2
 * depthwise layer 3% of its GVSoC cycles. Not loaded: core 0 clears it at
 * start. */
#define GAP8_L1_RUNTIME __attribute__((section(".l1_runtime")))
/* What core 0 runs at every tile step (recording and starting transfers,
 * waiting for them, forking) and the workers at every fork, packed at the
 * start of .text (link.ld) in 1.2 KB. The cluster's shared 4 KiB
 * instruction cache (GVSoC: 4 ways, random replacement, one line refill
 * at a time for all 8 cores) loses most of it to the kernels at every
 * fork, and a refill waits behind the other cores' and the DMA's: spread
 * between the cold paths (errors, L3 copies, the general transfer, layer
 * bookkeeping) these functions touched more lines. MobileNetV1 1.0@128
 * fusion=auto 14,527,550 -> 14,247,613 GVSoC cycles (-1.9%), MobileNetV2
 * 0.35@128 3,709,212 -> 3,697,730, MobileNetV1 0.25@128 1,679,457 ->
 * 1,677,432 (design.md, "Sixteenth session"). */
#define GAP8_HOT __attribute__((section(".text.dwsep_hot")))
GAP8_L1_RUNTIME dwsep_rt_counters_t dwsep_rt_counters;
dwsep_rt_gap8_profile_t dwsep_rt_gap8_profile;
dwsep_rt_stamp_t dwsep_rt_layer_stamps[DWSEP_RT_MAX_LAYERS + 1];
int32_t dwsep_rt_layers;

int main(void);

/*===--------------------------------------------------------------------===*
 * stdout and exit
 *===--------------------------------------------------------------------===*/

static int gap8_putc(char c, FILE *file) {
  (void)file;
  uint32_t hart = GAP8_CSR_READ(GAP8_CSR_MHARTID);
  gap8_write(GAP8_STDOUT_ADDR(hart >> 5, hart & 0x1f), (uint8_t)c);
  return (uint8_t)c;
}

static FILE gap8_stdio =
    FDEV_SETUP_STREAM(gap8_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdin = &gap8_stdio;
FILE *const stdout = &gap8_stdio;
FILE *const stderr = &gap8_stdio;

void _exit(int code) {
  gap8_write(GAP8_APB_SOC_CORESTATUS, 0x80000000u | (uint32_t)(code & 0xff));
  for (;;)
    ;
}

/*===--------------------------------------------------------------------===*
 * Boot
 *===--------------------------------------------------------------------===*/

extern char __cluster_boot[];

void dwsep_gap8_fc_main(void) {
  /* Power the cluster up (PMU bypass: on with reset, then on). */
  gap8_write(GAP8_APB_SOC_PMU_BYPASS,
             GAP8_PMU_BYPASS_CLUSTER_ON | GAP8_PMU_BYPASS_CLUSTER_RESET);
  gap8_write(GAP8_APB_SOC_PMU_BYPASS, GAP8_PMU_BYPASS_CLUSTER_ON);
  gap8_write(GAP8_CLUSTER_ICACHE_ENABLE, 0xFFFFFFFFu);
  for (uint32_t k = 0; k < 8; ++k)
    gap8_write(GAP8_CLUSTER_BOOT_ADDR(k), (uint32_t)__cluster_boot);
  gap8_write(GAP8_CLUSTER_FETCH_EN, 0xFFu);
  /* The cluster ends the run through CORESTATUS. */
  for (;;)
    __asm__ volatile("wfi");
}

/* The shared fork descriptor, and each core's counters inside forks (summed
 * into dwsep_rt_gap8_profile, in L2, at layer boundaries). */
GAP8_L1_RUNTIME static void (*volatile fork_fn)(int32_t core, void *args);
GAP8_L1_RUNTIME static void *volatile fork_args;
GAP8_L1_RUNTIME static volatile int32_t fork_cores;
GAP8_L1_RUNTIME static uint32_t core_events[8][DWSEP_RT_GAP8_NUM_EVENTS];

/* With DWSEP_RT_GAP8_EVENTS (python: link_gap8(events=True)) every fork
 * also reads the stall counters: a few cycles per fork, so only when asked. */
#ifdef DWSEP_RT_GAP8_EVENTS
#define GAP8_EVENTS_READ 1
#else
#define GAP8_EVENTS_READ 0
#endif

static void perf_start(void) {
  /* cycles, instructions, load-use and jump stalls, fetch misses, TCDM
   * contention (each its own counter on the virtual platform) */
  GAP8_CSR_WRITE(GAP8_CSR_PCER, GAP8_EVENTS_READ ? 0x801Fu : 3u);
  GAP8_CSR_WRITE(GAP8_CSR_PCMR, 1u); /* global enable */
}

static void read_events(uint32_t *e) {
  e[DWSEP_RT_GAP8_BUSY] = GAP8_CSR_READ(GAP8_CSR_PCCR_CYCLES);
  e[DWSEP_RT_GAP8_INSTR] = GAP8_CSR_READ(GAP8_CSR_PCCR_INSTR);
  if (!GAP8_EVENTS_READ)
    return;
  e[DWSEP_RT_GAP8_LD_STALL] = GAP8_CSR_READ(GAP8_CSR_PCCR_LD_STALL);
  e[DWSEP_RT_GAP8_JMP_STALL] = GAP8_CSR_READ(GAP8_CSR_PCCR_JMP_STALL);
  e[DWSEP_RT_GAP8_IMISS] = GAP8_CSR_READ(GAP8_CSR_PCCR_IMISS);
  e[DWSEP_RT_GAP8_TCDM_CONT] = GAP8_CSR_READ(GAP8_CSR_PCCR_TCDM_CONT);
}

/* With events: the cluster cycles between forks, core 0's instructions
 * then and the cycles of its waits for transfers (sum, in the order of
 * DWSEP_RT_GAP8_CONTROL_*), counted from `mark`: set at the end of each
 * fork and at layer boundaries, and moved past each L3 copy. Two counters
 * read per fork (the six events cost the network ~7% more cycles, the
 * counting's own misses). On core 0's stack in L1
 * (dwsep_gap8_cluster_main's frame, live for the whole run) through
 * `control`: the runtime's L1 bytes are full, and in L2 every access would
 * wait behind the DMA's bursts. */
typedef struct {
  uint32_t sum[DWSEP_RT_GAP8_NUM_CONTROL];
  uint32_t mark[2];
  /* The layer has forked; the cycles counted since its last fork. */
  uint32_t forked, tail;
} control_t;
GAP8_L1_RUNTIME static control_t *control;

/* Adds what core 0 did since the mark (add) or skips it (!add), and marks
 * now. */
static void control_count(int add) {
  if (!GAP8_EVENTS_READ)
    return;
  uint32_t cycles = gap8_read(GAP8_CLUSTER_TIMER + GAP8_TIMER_CNT_LO);
  uint32_t instr = GAP8_CSR_READ(GAP8_CSR_PCCR_INSTR);
  if (add) {
    uint32_t part = cycles - control->mark[0];
    control->sum[DWSEP_RT_GAP8_CONTROL_CYCLES] += part;
    control->sum[DWSEP_RT_GAP8_CONTROL_INSTR] += instr - control->mark[1];
    if (control->forked)
      control->tail += part;
    else
      control->sum[DWSEP_RT_GAP8_CONTROL_PROLOGUE] += part;
  }
  control->mark[0] = cycles;
  control->mark[1] = instr;
}

/* With events: a fork ends the layer's prologue; what was counted since the
 * fork before is a step between forks, not its epilogue. */
static inline void control_forked(void) {
  if (GAP8_EVENTS_READ) {
    control->forked = 1;
    control->tail = 0;
  }
}
/* With events, at a layer boundary: what was counted since the last fork
 * is the epilogue of the layer that ends. */
static inline void control_layer_end(void) {
  if (GAP8_EVENTS_READ) {
    control->sum[DWSEP_RT_GAP8_CONTROL_EPILOGUE] += control->tail;
    control->forked = 0;
    control->tail = 0;
  }
}
/* With events, the cluster timer (0 without), and the cycles since such a
 * reading added to control counter `k`: the parts of core 0's time
 * (DWSEP_RT_GAP8_CONTROL_DMA_WAIT, _ISSUE, _FORK_START). */
static inline uint32_t control_now(void) {
  return GAP8_EVENTS_READ ? dwsep_rt_gap8_cycles() : 0;
}
static inline void control_add_since(int k, uint32_t t0) {
  if (GAP8_EVENTS_READ)
    control->sum[k] += dwsep_rt_gap8_cycles() - t0;
}

GAP8_HOT static void barrier(void) {
  gap8_write(GAP8_EU_MASK_OR, 1u << GAP8_EVENT_BARRIER);
  (void)gap8_read(GAP8_EU_BARRIER(0) + GAP8_EU_BARRIER_TRIGGER_WAIT_CLEAR);
  gap8_write(GAP8_EU_MASK_AND, 1u << GAP8_EVENT_BARRIER);
}

GAP8_HOT static void run_share(void (*fn)(int32_t, void *), void *args,
                               int32_t core) {
  uint32_t before[DWSEP_RT_GAP8_NUM_EVENTS], after[DWSEP_RT_GAP8_NUM_EVENTS];
  read_events(before);
  fn(core, args);
  read_events(after);
  uint32_t *events = core_events[core];
  int n = GAP8_EVENTS_READ ? DWSEP_RT_GAP8_NUM_EVENTS : 2;
  for (int i = 0; i < n; ++i)
    events[i] += after[i] - before[i];
}

GAP8_HOT void dwsep_gap8_cluster_main(uint32_t core) {
  perf_start();
  if (core == 0) {
    extern char __l1_runtime_start[], __l1_runtime_end[];
    memset(__l1_runtime_start, 0,
           (size_t)(__l1_runtime_end - __l1_runtime_start));
    gap8_write(GAP8_EU_BARRIER(0) + GAP8_EU_BARRIER_TRIGGER_MASK, 0xFFu);
    gap8_write(GAP8_EU_BARRIER(0) + GAP8_EU_BARRIER_TARGET_MASK, 0xFFu);
    gap8_write(GAP8_CLUSTER_TIMER + GAP8_TIMER_CFG_LO,
               GAP8_TIMER_CFG_ENABLE_RESET);
#if GAP8_EVENTS_READ
    control_t state;
    memset(&state, 0, sizeof(state));
    control = &state;
#endif
    exit(main());
  }
  for (;;) {
    gap8_write(GAP8_EU_MASK_OR, 1u << GAP8_EVENT_SW_FORK);
    (void)gap8_read(GAP8_EU_EVENT_WAIT_CLEAR);
    gap8_write(GAP8_EU_MASK_AND, 1u << GAP8_EVENT_SW_FORK);
    void (*fn)(int32_t, void *) = fork_fn;
    if ((int32_t)core < fork_cores)
      run_share(fn, fork_args, (int32_t)core);
    barrier();
  }
}

/* Transfers into L1 start at the next fork. The cluster reaches L2 through
 * one port (4 bytes a cycle on GVSoC's cluster_ico), shared by the DMA and
 * the cores' instruction-cache refills; a refill waits behind the DMA's
 * bursts already queued there (up to 8 x 256 bytes, ~500 cycles). Started
 * where the tile loop issues it, before core 0's control code up to the
 * fork, the next tile's input made every miss of that code wait: about
 * 2 x 2 K cycles a step in which the other cores idle (MobileNetV1
 * 1.0@128's 8x8 pointwise layers: 20-29% idle). So dwsep_rt_dma_rows only
 * records an L2->L1 command; dwsep_rt_fork starts the recorded ones after
 * waking the workers, on one counter (a group), and a wait on one of them
 * starts its group first. A transfer starts at the latest at the next fork
 * or wait on it, which the asynchronous semantics of dwsep_rt.h allow (any
 * two conflicting transfers are ordered by a wait). Write-backs start at
 * once: recorded too, one shared its group's counter with the next tile's
 * input, and the wait for it waited for both (MobileNetV1 -0.4 to -0.7%,
 * but a fused block's steps +6.4%). On their own counter, started at the
 * fork after the inputs, they trade core 0's stalls for the workers': a
 * write-back started at once makes every L2 access of core 0's control code
 * after the fork (cold instruction lines, ~500 cycles each behind the
 * bursts) wait, about 2 K cycles a tile step of 8 KB in which the other
 * cores idle; started at the fork, the workers' first misses wait instead.
 * MobileNetV1 1.0@128's 8x8x512 depthwise layers ran 2-10% faster, its
 * 64x64 and 16x16 layers 4-7% slower, the network 1.2% slower
 * (bench/mobilenet.py --alpha 1.0 --size 128 --layers); not kept. */
/* Commands per group (a fused op's first tile records 5, and the next
 * tile's input comes before the fork; the L1 state has 512 B). */
#define DEFER_COMMANDS 8
/* Groups started and not waited for yet (2 at most in a tile loop). */
#define DEFER_SLOTS 4
#define DEFER_ID 0x100 /* ids DEFER_ID + group % 256 */
#define DEFER_WAITED 0xFFFF0000u
GAP8_L1_RUNTIME static uint32_t defer_cmd[DEFER_COMMANDS][4];
GAP8_L1_RUNTIME static uint32_t defer_count, defer_group;
/* By group % DEFER_SLOTS: (group % 256) << 16 | its counter's bit, or
 * DEFER_WAITED. */
GAP8_L1_RUNTIME static uint32_t defer_slot[DEFER_SLOTS];

static void dma_wait_bits(uint32_t bits);

/* One command on the current counter: flags and size, L1 address, L2
 * address, and for a 2-D one the L2 stride and row length. */
static inline void dma_command(const uint32_t c[4]) {
  gap8_write(GAP8_DMA_QUEUE, c[0]);
  gap8_write(GAP8_DMA_QUEUE, c[1]);
  gap8_write(GAP8_DMA_QUEUE, c[2]);
  if (c[0] & GAP8_DMA_2D)
    gap8_write(GAP8_DMA_QUEUE, c[3]);
}

GAP8_HOT static void defer_start(void) {
  if (!defer_count)
    return;
  uint32_t *slot = &defer_slot[defer_group % DEFER_SLOTS];
  /* A group DEFER_SLOTS starts ago not waited yet (never with the tile
   * loops, which wait one step later): finish it, its slot is needed. */
  if (*slot != DEFER_WAITED && (*slot & 0xFFFFu))
    dma_wait_bits(*slot & 0xFFFFu);
  uint32_t counter = gap8_read(GAP8_DMA_QUEUE);
  for (uint32_t i = 0; i < defer_count; ++i)
    dma_command(defer_cmd[i]);
  *slot = (defer_group & 0xFFu) << 16 | 1u << counter;
  defer_group++;
  defer_count = 0;
}

GAP8_HOT void dwsep_rt_fork(void (*fn)(int32_t core, void *args), void *args,
                            int32_t cores) {
  if (cores < 1 || cores > 8) {
    dwsep_rt_counters.errors++;
    return;
  }
  dwsep_rt_counters.forks++;
  fork_fn = fn;
  fork_args = args;
  fork_cores = cores;
  __asm__ volatile("" ::: "memory");
  control_count(1);
  control_forked();
  gap8_write(GAP8_EU_SW_EVENT_TRIGGER(GAP8_EVENT_SW_FORK), 0xFEu);
  uint32_t t0 = control_now();
  defer_start();
  control_add_since(DWSEP_RT_GAP8_CONTROL_FORK_START, t0);
  run_share(fn, args, 0);
  barrier();
  control_count(0);
}

uint32_t dwsep_rt_instructions(void) {
  return GAP8_CSR_READ(GAP8_CSR_PCCR_INSTR);
}

uint32_t dwsep_rt_gap8_cycles(void) {
  return gap8_read(GAP8_CLUSTER_TIMER + GAP8_TIMER_CNT_LO);
}

void dwsep_rt_layer(int32_t index) {
  /* Between forks: the workers' sums are stable. They go to the profile in
   * L2, where the harness reads them, at every layer boundary (the last is
   * the entry's return). */
  int n = GAP8_EVENTS_READ ? DWSEP_RT_GAP8_NUM_EVENTS : 2;
  for (int c = 0; c < 8; ++c) {
    for (int i = 0; i < n; ++i)
      dwsep_rt_gap8_profile.events[c][i] = core_events[c][i];
    dwsep_rt_gap8_profile.busy_cycles[c] = core_events[c][DWSEP_RT_GAP8_BUSY];
    dwsep_rt_gap8_profile.instructions[c] = core_events[c][DWSEP_RT_GAP8_INSTR];
  }
  int32_t at = index < 0 ? dwsep_rt_layers : index;
  /* (The first layer's start begins the count.) */
  control_count(at > 0);
  control_layer_end();
  if (GAP8_EVENTS_READ && at >= 0 && at <= DWSEP_RT_GAP8_PROFILED_LAYERS) {
    for (int i = 0; i < DWSEP_RT_GAP8_NUM_EVENTS; ++i) {
      uint32_t sum = 0;
      for (int c = 0; c < 8; ++c)
        sum += core_events[c][i];
      dwsep_rt_gap8_profile.layer_events[at][i] = sum;
    }
    for (int i = 0; i < DWSEP_RT_GAP8_NUM_CONTROL; ++i)
      dwsep_rt_gap8_profile.layer_control[at][i] = control->sum[i];
  }
  dwsep_rt_record_layer(index,
                        (dwsep_rt_stamp_t){dwsep_rt_gap8_cycles() -
                                               dwsep_rt_gap8_profile.l3_cycles,
                                           GAP8_CSR_READ(GAP8_CSR_PCCR_INSTR)});
}

/*===--------------------------------------------------------------------===*
 * Transfers
 *===--------------------------------------------------------------------===*/

GAP8_L1_RUNTIME static dwsep_rt_arena_t arenas[4]; /* by level 1..3 */

void dwsep_rt_sim_set_arenas(const void *l1, uint32_t l1_size, const void *l2,
                             uint32_t l2_size, const void *l3,
                             uint32_t l3_size) {
  dwsep_rt_set_arena_table(arenas, l1, l1_size, l2, l2_size, l3, l3_size);
}

/* One 1-D or 2-D cluster DMA command on the current counter. `l1` is
 * contiguous; on the L2 side `rows` runs of `len` bytes lie `stride` apart. */
static void dma_push(uint32_t ext2loc, uint32_t l1, uint32_t l2, uint32_t len,
                     uint32_t rows, uint32_t stride) {
  uint32_t flags =
      (ext2loc ? GAP8_DMA_EXT2LOC : 0) | GAP8_DMA_INCR | GAP8_DMA_EVENT;
  if (rows == 1 || stride == len) {
    /* Contiguous on both sides: 1-D commands of at most 64 KiB - 1. */
    uint32_t total = len * rows;
    while (total) {
      uint32_t n = total > GAP8_DMA_MAX_SIZE ? 0x8000u : total;
      dma_command((const uint32_t[4]){flags | n, l1, l2, 0});
      l1 += n;
      l2 += n;
      total -= n;
    }
    return;
  }
  if (len > GAP8_DMA_MAX_2D || stride > GAP8_DMA_MAX_2D) {
    for (uint32_t r = 0; r < rows; ++r)
      dma_push(ext2loc, l1 + r * len, l2 + r * stride, len, 1, len);
    return;
  }
  /* 2-D: as many rows per command as stay under 64 KiB. */
  uint32_t per = GAP8_DMA_MAX_SIZE / len;
  while (rows) {
    uint32_t n = rows < per ? rows : per;
    dma_command((const uint32_t[4]){flags | GAP8_DMA_2D | (n * len), l1, l2,
                                    (stride << 16) | len});
    l1 += n * len;
    l2 += n * stride;
    rows -= n;
  }
}

/* L3 lives in L2 address space here: a copy by the calling core, timed
 * apart. */
__attribute__((noinline)) static void
l3_copy(intptr_t dst, intptr_t src, intptr_t eb, intptr_t n0, intptr_t n1,
        intptr_t n2, intptr_t d0, intptr_t d1, intptr_t d2, intptr_t s0,
        intptr_t s1, intptr_t s2) {
  control_count(1);
  uint32_t t0 = dwsep_rt_gap8_cycles();
  dwsep_rt_box_copy(dst, src, eb, n0, n1, n2, d0, d1, d2, s0, s1, s2);
  dwsep_rt_gap8_profile.l3_cycles += dwsep_rt_gap8_cycles() - t0;
  control_count(0);
}

/* Any transfer: checked, counted, split into commands (the compiler sends
 * the boxes tiles are made of to dwsep_rt_dma_rows). */
int32_t dwsep_rt_dma_start(intptr_t dst, intptr_t src, intptr_t eb, intptr_t n0,
                           intptr_t n1, intptr_t n2, intptr_t d0, intptr_t d1,
                           intptr_t d2, intptr_t s0, intptr_t s1, intptr_t s2,
                           intptr_t direction, intptr_t weights) {
  if (!dwsep_rt_check_box(arenas, dst, src, eb, n0, n1, n2, d0, d1, d2, s0, s1,
                          s2, direction, weights))
    return 0;
  if (direction == DWSEP_RT_L3_TO_L2 || direction == DWSEP_RT_L2_TO_L3) {
    l3_copy(dst, src, eb, n0, n1, n2, d0, d1, d2, s0, s1, s2);
    return DWSEP_RT_GAP8_DONE_ID;
  }
  uint32_t ext2loc = direction == DWSEP_RT_L2_TO_L1;
  intptr_t l1 = ext2loc ? dst : src, l2 = ext2loc ? src : dst;
  intptr_t n[3] = {n0, n1, n2};
  /* Byte strides: the DMA engine is byte-addressed. */
  intptr_t l1s[3] = {(ext2loc ? d0 : s0) * eb, (ext2loc ? d1 : s1) * eb,
                     (ext2loc ? d2 : s2) * eb};
  intptr_t l2s[3] = {(ext2loc ? s0 : d0) * eb, (ext2loc ? s1 : d1) * eb,
                     (ext2loc ? s2 : d2) * eb};
  uint32_t counter = gap8_read(GAP8_DMA_QUEUE);
  /* A dimension that continues the next one on both sides (a tile of whole
   * rows, a slice of whole planes) merges into it, so that a contiguous box
   * is one command instead of one per row: core 0 issues every command
   * between the forks while the other cores wait. */
  for (int d = 1; d >= 0; --d)
    if (l1s[d] == n[d + 1] * l1s[d + 1] && l2s[d] == n[d + 1] * l2s[d + 1]) {
      n[d + 1] *= n[d];
      for (int e = d; e > 0; --e) {
        n[e] = n[e - 1];
        l1s[e] = l1s[e - 1];
        l2s[e] = l2s[e - 1];
      }
      n[0] = 1;
    }
  /* Runs of contiguous bytes: the innermost dimension when both sides are
   * unit-stride there, else single elements. */
  uint32_t len =
      l1s[2] == eb && l2s[2] == eb ? (uint32_t)(n[2] * eb) : (uint32_t)eb;
  int inner_rows = len == (uint32_t)eb && n[2] > 1; /* elements as rows */
  for (intptr_t i = 0; i < n[0]; ++i) {
    if (inner_rows) {
      /* The L1 side must be contiguous: elements stride `eb` in L1. */
      for (intptr_t j = 0; j < n[1]; ++j) {
        uint32_t a1 = (uint32_t)(l1 + i * l1s[0] + j * l1s[1]);
        uint32_t a2 = (uint32_t)(l2 + i * l2s[0] + j * l2s[1]);
        if (l1s[2] == eb)
          dma_push(ext2loc, a1, a2, len, (uint32_t)n[2], (uint32_t)l2s[2]);
        else
          for (intptr_t k = 0; k < n[2]; ++k)
            dma_push(ext2loc, a1 + k * l1s[2], a2 + k * l2s[2], len, 1, len);
      }
      continue;
    }
    uint32_t a1 = (uint32_t)(l1 + i * l1s[0]);
    uint32_t a2 = (uint32_t)(l2 + i * l2s[0]);
    if (n[1] == 1 || l1s[1] == (intptr_t)len) {
      dma_push(ext2loc, a1, a2, len, (uint32_t)n[1], (uint32_t)l2s[1]);
    } else {
      for (intptr_t j = 0; j < n[1]; ++j)
        dma_push(ext2loc, a1 + j * l1s[1], a2 + j * l2s[1], len, 1, len);
    }
  }
  return (int32_t)counter + 1;
}

/* A transfer outside the arenas, or of another direction: counted as an
 * error, off the hot path. */
__attribute__((noinline, cold)) static int32_t
dma_rows_error(intptr_t direction) {
  dwsep_rt_counters.errors++;
  printf("dwsep_rt: transfer %d outside its arenas\n", (int)direction);
  return 0;
}

/* dma_rows's L3<->L2 path, out of the hot section. */
__attribute__((noinline, cold)) static int32_t
rows_l3(intptr_t l1, intptr_t l2, intptr_t len, intptr_t rows,
        intptr_t l2_stride, intptr_t direction, intptr_t weights) {
  return dwsep_rt_rows_as_box(l1, l2, len, rows, l2_stride, direction, weights);
}

/* The short path of the transfers tiles are made of (dwsep_rt.h): the
 * general dwsep_rt_dma_start takes 181 instructions and ~1.15 K cycles a
 * call on GVSoC for MobileNetV1 0.25@128, mostly instruction-cache refills
 * (~110 cycles when it is still cached); this is the same checks, counters
 * and commands in a few dozen. */
GAP8_HOT static inline int32_t dma_rows(intptr_t l1, intptr_t l2, intptr_t len,
                                        intptr_t rows, intptr_t l2_stride,
                                        intptr_t direction, intptr_t weights) {
  /* L3<->L2 (bands, staged weights): the general path (HyperRAM's
   * micro-DMA, or the L2 stand-in's copy). */
  if (direction == DWSEP_RT_L3_TO_L2 || direction == DWSEP_RT_L2_TO_L3)
    return rows_l3(l1, l2, len, rows, l2_stride, direction, weights);
  uint32_t ext2loc = direction == DWSEP_RT_L2_TO_L1;
  if ((!ext2loc && direction != DWSEP_RT_L1_TO_L2) || len <= 0 || rows <= 0 ||
      l2_stride < 0 || !dwsep_rt_inside(&arenas[1], l1, l1 + rows * len - 1) ||
      !dwsep_rt_inside(&arenas[2], l2, l2 + (rows - 1) * l2_stride + len - 1))
    return dma_rows_error(direction);
  uint32_t bytes = (uint32_t)(rows * len);
  dwsep_rt_counters.bytes[direction][weights ? 1 : 0] += bytes;
  dwsep_rt_counters.transfers[direction]++;
  uint32_t flags =
      (ext2loc ? GAP8_DMA_EXT2LOC : 0) | GAP8_DMA_INCR | GAP8_DMA_EVENT;
  int flat = rows == 1 || l2_stride == len;
  int one = bytes <= GAP8_DMA_MAX_SIZE &&
            (flat || (len <= (intptr_t)GAP8_DMA_MAX_2D &&
                      l2_stride <= (intptr_t)GAP8_DMA_MAX_2D));
  if (one) {
    uint32_t cmd[4] = {flags | (flat ? 0 : GAP8_DMA_2D) | bytes, (uint32_t)l1,
                       (uint32_t)l2,
                       ((uint32_t)l2_stride << 16) | (uint32_t)len};
    if (ext2loc) {
      /* Recorded, started at the next fork (defer_start); a full group is
       * started now, so that the transfers of any number of calls hold at
       * most DEFER_SLOTS of the DMA's 16 counters (one per transfer would
       * deadlock at the 17th before a wait). */
      if (defer_count == DEFER_COMMANDS)
        defer_start();
      memcpy(defer_cmd[defer_count++], cmd, sizeof cmd);
      return (int32_t)(DEFER_ID + (defer_group & 0xFFu));
    }
    uint32_t counter = gap8_read(GAP8_DMA_QUEUE);
    dma_command(cmd);
    return (int32_t)counter + 1;
  }
  uint32_t counter = gap8_read(GAP8_DMA_QUEUE);
  dma_push(ext2loc, (uint32_t)l1, (uint32_t)l2, (uint32_t)len, (uint32_t)rows,
           (uint32_t)l2_stride);
  return (int32_t)counter + 1;
}

/* dma_rows; with events, its L2<->L1 calls also timed
 * (DWSEP_RT_GAP8_CONTROL_ISSUE). */
GAP8_HOT int32_t dwsep_rt_dma_rows(intptr_t l1, intptr_t l2, intptr_t len,
                                   intptr_t rows, intptr_t l2_stride,
                                   intptr_t direction, intptr_t weights) {
  uint32_t t0 = control_now();
  int32_t id = dma_rows(l1, l2, len, rows, l2_stride, direction, weights);
  /* (L3<->L2 copies are timed apart: l3_copy.) */
  if (direction == DWSEP_RT_L2_TO_L1 || direction == DWSEP_RT_L1_TO_L2)
    control_add_since(DWSEP_RT_GAP8_CONTROL_ISSUE, t0);
  return id;
}

/* The DMA counter bit of transfer `id` (0: none to wait for). */
GAP8_HOT static uint32_t dma_bit(int32_t id) {
  if (id == DWSEP_RT_GAP8_DONE_ID || id == DWSEP_RT_DMA_NONE)
    return 0;
  if (id >= DEFER_ID && id < DEFER_ID + 0x100) {
    uint32_t group = (uint32_t)id - DEFER_ID;
    if (defer_count && group == (defer_group & 0xFFu))
      defer_start(); /* waited for before any fork started it */
    uint32_t *slot = &defer_slot[group % DEFER_SLOTS];
    if (*slot >> 16 != group)
      return 0; /* its group was waited for (by another of its ids) */
    uint32_t bit = *slot & 0xFFFFu;
    *slot = DEFER_WAITED;
    return bit;
  }
  if (id <= 0 || id > GAP8_DMA_COUNTERS) {
    dwsep_rt_counters.errors++;
    return 0;
  }
  return 1u << (id - 1);
}

/* Sleeps on the DMA event until every counter in `bits` is idle, then frees
 * them. */
GAP8_HOT static void dma_wait_bits(uint32_t bits) {
  if (!bits)
    return;
  uint32_t t0 = control_now();
  gap8_write(GAP8_EU_MASK_OR, 1u << GAP8_EVENT_DMA);
  while (gap8_read(GAP8_DMA_STATUS) & bits)
    (void)gap8_read(GAP8_EU_EVENT_WAIT_CLEAR);
  gap8_write(GAP8_EU_MASK_AND, 1u << GAP8_EVENT_DMA);
  control_add_since(DWSEP_RT_GAP8_CONTROL_DMA_WAIT, t0);
  gap8_write(GAP8_DMA_STATUS, bits); /* free the counters */
}

GAP8_HOT void dwsep_rt_dma_wait(int32_t id) { dma_wait_bits(dma_bit(id)); }

GAP8_HOT void dwsep_rt_dma_wait4(int32_t a, int32_t b, int32_t c, int32_t d) {
  dma_wait_bits(dma_bit(a) | dma_bit(b) | dma_bit(c) | dma_bit(d));
}

void dwsep_rt_reset_counters(void) {
  memset(&dwsep_rt_counters, 0, sizeof(dwsep_rt_counters));
  memset(&dwsep_rt_gap8_profile, 0, sizeof(dwsep_rt_gap8_profile));
  memset(core_events, 0, sizeof(core_events));
  dwsep_rt_layers = 0;
}
