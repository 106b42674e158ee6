/*===- harness.c - Run compiled dwsep entry points on the sim runtime ----===*\
 *
 * Build with -DDWSEP_NET_HEADER='"net.h"' (the header `--dwsep-to-llvm`
 * writes) and the object of the compiled module. For every entry point it
 * fills the inputs from the argument generator of dwsep-interp
 * (docs/import.md: state = state * 1664525 + 1013904223 from --seed, one
 * byte per element = state >> 24, restarted per function), runs it, and
 * prints each output in dwsep-interp's format, then the DMA counters and,
 * on riscv, the number of instructions executed (minstret, exact under
 * QEMU's -icount shift=0). Exit status: 0, or 1 if the runtime saw an error.
 * With -DDWSEP_INPUTS='"inputs.h"' the inputs are the caller's instead
 * (dwsep.Compiled.run): that file defines `dwsep_inputs[e]`, the bytes of
 * every input of entry point e, one after the other in argument order.
\*===----------------------------------------------------------------------===*/

#include "dwsep_ref.h"
#include "dwsep_rt.h"

#include <stdio.h>
#include <string.h>

#include DWSEP_NET_HEADER

#ifndef DWSEP_SEED
#define DWSEP_SEED 1
#endif

#ifdef DWSEP_INPUTS
#include DWSEP_INPUTS
#endif

/* Where the arenas live: the bare-metal GAP8 build puts the L1 arena in
 * the cluster's L1 (-DDWSEP_L1_ATTR='__attribute__((section(".l1")))') and
 * the L3 arena in its L3 stand-in (DWSEP_L3_ATTR, section .l3). */
#ifndef DWSEP_L1_ATTR
#define DWSEP_L1_ATTR
#endif
static int8_t dwsep_h_l1[DWSEP_MAX_L1_SIZE] DWSEP_L1_ATTR
    __attribute__((aligned(8)));
static int8_t dwsep_h_l2[DWSEP_MAX_L2_SIZE] __attribute__((aligned(8)));
#ifndef DWSEP_L3_ATTR
#define DWSEP_L3_ATTR
#endif
/* The L3 arena: the image, then the activations streamed from L3. */
static int8_t dwsep_h_l3[DWSEP_MAX_L3_SIZE] DWSEP_L3_ATTR
    __attribute__((aligned(8)));

/* One line per layer: its instructions (core 0) and, where the backend has
 * a cycle counter, its cluster cycles. */
static void dwsep_h_print_layers(const dwsep_entry_t *entry, const char *prefix,
                                 const char *dot) {
  for (int32_t i = 0; i < dwsep_rt_layers && i < entry->num_layers; ++i) {
    printf("%s%slayer %d %s: cycles=%lu instructions=%lu", prefix, dot, (int)i,
           entry->layers[i],
           (unsigned long)(dwsep_rt_layer_stamps[i + 1].cycles -
                           dwsep_rt_layer_stamps[i].cycles),
           (unsigned long)(dwsep_rt_layer_stamps[i + 1].instructions -
                           dwsep_rt_layer_stamps[i].instructions));
#ifdef DWSEP_RT_GAP8_EVENTS
    /* Summed over the cores inside forks: busy, instructions, load-use
     * stalls, jump stalls, fetch-miss cycles, TCDM contention. */
    if (i < DWSEP_RT_GAP8_PROFILED_LAYERS) {
      printf(" events=");
      for (int k = 0; k < DWSEP_RT_GAP8_NUM_EVENTS; ++k)
        printf(k ? ",%lu" : "%lu",
               (unsigned long)(dwsep_rt_gap8_profile.layer_events[i + 1][k] -
                               dwsep_rt_gap8_profile.layer_events[i][k]));
      /* Core 0 between forks: the cluster cycles, its instructions, the
       * cycles of its waits for transfers. */
      printf(" control=");
      for (int k = 0; k < DWSEP_RT_GAP8_NUM_CONTROL; ++k)
        printf(k ? ",%lu" : "%lu",
               (unsigned long)(dwsep_rt_gap8_profile.layer_control[i + 1][k] -
                               dwsep_rt_gap8_profile.layer_control[i][k]));
    }
#endif
    printf("\n");
  }
}

#ifdef DWSEP_RT_GAP8_BARE
/* Deepest use of a stack painted by crt0 (lowest word no longer 0x5A5A5A5A). */
extern char __l1_end[], __l1_runtime_start[], __dwsep_stack_main[],
    __dwsep_stack_worker[];
static uint32_t dwsep_h_stack_used(int core) {
  uintptr_t end = (uintptr_t)__l1_end, main = (uintptr_t)__dwsep_stack_main,
            worker = (uintptr_t)__dwsep_stack_worker;
  /* Core 0's stack ends below the runtime's L1 state (link.ld). */
  uintptr_t hi = core ? end - main - (uintptr_t)(core - 1) * worker
                      : (uintptr_t)__l1_runtime_start;
  uintptr_t lo = (core ? hi - worker : end - main + 3) & ~(uintptr_t)3;
  uintptr_t p = lo;
  while (p < hi && *(volatile uint32_t *)p == 0x5A5A5A5Au)
    p += 4;
  return (uint32_t)(hi - p);
}

static void dwsep_h_print_cluster(const char *prefix, const char *dot,
                                  uint32_t cycles) {
  printf("%s%scluster: cycles=%lu l3_copy_cycles=%lu busy=", prefix, dot,
         (unsigned long)cycles, (unsigned long)dwsep_rt_gap8_profile.l3_cycles);
  for (int c = 0; c < 8; ++c)
    printf(c ? ",%lu" : "%lu",
           (unsigned long)dwsep_rt_gap8_profile.busy_cycles[c]);
  printf(" stack=");
  for (int c = 0; c < 8; ++c)
    printf(c ? ",%lu" : "%lu", (unsigned long)dwsep_h_stack_used(c));
  printf("\n");
}
#endif

int main(void) {
  static const char *dirs[4] = {"l3_l2", "l2_l1", "l1_l2", "l2_l3"};
  int failed = 0;
  for (int e = 0; e < DWSEP_NUM_ENTRIES; ++e) {
    const dwsep_entry_t *entry = &dwsep_entries[e];
    uint32_t state = DWSEP_SEED;
    memset(dwsep_h_l1, 0, sizeof(dwsep_h_l1));
    memset(dwsep_h_l2, 0, sizeof(dwsep_h_l2));
    memset(dwsep_h_l3, 0, sizeof(dwsep_h_l3));
    memcpy(dwsep_h_l3, DWSEP_L3_IMAGE, DWSEP_L3_IMAGE_SIZE);
#ifdef DWSEP_INPUTS
    const uint8_t *given = dwsep_inputs[e];
#endif
    for (int a = 0; a < entry->num_args; ++a) {
      const dwsep_arg_info_t *arg = &entry->args[a];
      if (arg->is_output)
        continue;
#ifdef DWSEP_INPUTS
      memcpy((arg->level == 3 ? dwsep_h_l3 : dwsep_h_l2) + arg->offset, given,
             (size_t)arg->bytes);
      given += arg->bytes;
      continue;
#endif
      for (int32_t i = 0; i < arg->bytes; ++i) {
        state = state * 1664525u + 1013904223u;
        (arg->level == 3 ? dwsep_h_l3 : dwsep_h_l2)[arg->offset + i] =
            (int8_t)(state >> 24);
      }
    }
    dwsep_rt_sim_set_arenas(dwsep_h_l1, (uint32_t)entry->l1_size, dwsep_h_l2,
                            (uint32_t)entry->l2_size, dwsep_h_l3,
                            (uint32_t)entry->l3_size);
    dwsep_rt_reset_counters();
#ifdef DWSEP_RT_GAP8_BARE
    uint32_t cycles = dwsep_rt_gap8_cycles();
#endif
    uint32_t before = dwsep_rt_instructions();
    entry->run(dwsep_h_l1, dwsep_h_l2, dwsep_h_l3);
    uint32_t instructions = dwsep_rt_instructions() - before;
#ifdef DWSEP_RT_GAP8_BARE
    cycles = dwsep_rt_gap8_cycles() - cycles;
#endif
    const char *prefix = DWSEP_NUM_ENTRIES > 1 ? entry->name : "";
    const char *dot = DWSEP_NUM_ENTRIES > 1 ? "." : "";
    int result = 0;
    for (int a = 0; a < entry->num_args; ++a) {
      const dwsep_arg_info_t *arg = &entry->args[a];
      if (!arg->is_output)
        continue;
      const uint8_t *p =
          (const uint8_t *)(arg->level == 3 ? dwsep_h_l3 : dwsep_h_l2) +
          arg->offset;
      printf("%s%sresult%d: [", prefix, dot, result);
      for (int32_t i = 0; i < arg->bytes; ++i)
        printf(i ? ", %d" : "%d",
               arg->is_signed ? (int)(int8_t)p[i] : (int)p[i]);
      printf("]\n%s%sresult%d fnv1a: 0x%08x\n", prefix, dot, result,
             (unsigned)dwsep_checksum(p, (uint32_t)arg->bytes));
      ++result;
    }
    printf("%s%straffic:", prefix, dot);
    for (int d = 0; d < DWSEP_RT_NUM_DIRECTIONS; ++d)
      printf(" %s=%lu+%lu", dirs[d],
             (unsigned long)dwsep_rt_counters.bytes[d][0],
             (unsigned long)dwsep_rt_counters.bytes[d][1]);
    printf(" transfers=%lu instructions=%lu\n",
           (unsigned long)(dwsep_rt_counters.transfers[0] +
                           dwsep_rt_counters.transfers[1] +
                           dwsep_rt_counters.transfers[2] +
                           dwsep_rt_counters.transfers[3]),
           (unsigned long)instructions);
    dwsep_h_print_layers(entry, prefix, dot);
#ifdef DWSEP_RT_GAP8_BARE
    dwsep_h_print_cluster(prefix, dot, cycles);
#endif
    if (dwsep_rt_counters.errors) {
      printf("%s%sruntime errors: %u\n", prefix, dot,
             (unsigned)dwsep_rt_counters.errors);
      failed = 1;
    }
  }
  return failed;
}
