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
\*===----------------------------------------------------------------------===*/

#include "dwsep_ref.h"
#include "dwsep_rt.h"

#include <stdio.h>
#include <string.h>

#include DWSEP_NET_HEADER

#ifndef DWSEP_SEED
#define DWSEP_SEED 1
#endif

static int8_t l1[DWSEP_MAX_L1_SIZE] __attribute__((aligned(8)));
static int8_t l2[DWSEP_MAX_L2_SIZE] __attribute__((aligned(8)));
/* The L3 arena: the image, then the activations streamed from L3. */
static int8_t l3[DWSEP_MAX_L3_SIZE] __attribute__((aligned(8)));

static uint32_t instret(void) {
#if defined(__riscv)
  uint32_t v;
  /* minstret (CSR 0xB02); RV32IMC toolchains need Zicsr enabled locally. */
  __asm__ volatile(".option push\n.option arch, +zicsr\n"
                   "csrr %0, minstret\n.option pop"
                   : "=r"(v));
  return v;
#else
  return 0;
#endif
}

int main(void) {
  static const char *dirs[4] = {"l3_l2", "l2_l1", "l1_l2", "l2_l3"};
  int failed = 0;
  for (int e = 0; e < DWSEP_NUM_ENTRIES; ++e) {
    const dwsep_entry_t *entry = &dwsep_entries[e];
    uint32_t state = DWSEP_SEED;
    memset(l1, 0, sizeof(l1));
    memset(l2, 0, sizeof(l2));
    memset(l3, 0, sizeof(l3));
    memcpy(l3, dwsep_l3_image, DWSEP_L3_IMAGE_SIZE);
    for (int a = 0; a < entry->num_args; ++a) {
      const dwsep_arg_info_t *arg = &entry->args[a];
      if (arg->is_output)
        continue;
      for (int32_t i = 0; i < arg->bytes; ++i) {
        state = state * 1664525u + 1013904223u;
        (arg->level == 3 ? l3 : l2)[arg->offset + i] = (int8_t)(state >> 24);
      }
    }
    dwsep_rt_sim_set_arenas(l1, (uint32_t)entry->l1_size, l2,
                            (uint32_t)entry->l2_size, l3,
                            (uint32_t)entry->l3_size);
    dwsep_rt_reset_counters();
    uint32_t before = instret();
    entry->run(l1, l2, l3);
    uint32_t instructions = instret() - before;
    const char *prefix = DWSEP_NUM_ENTRIES > 1 ? entry->name : "";
    const char *dot = DWSEP_NUM_ENTRIES > 1 ? "." : "";
    int result = 0;
    for (int a = 0; a < entry->num_args; ++a) {
      const dwsep_arg_info_t *arg = &entry->args[a];
      if (!arg->is_output)
        continue;
      const uint8_t *p =
          (const uint8_t *)(arg->level == 3 ? l3 : l2) + arg->offset;
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
    if (dwsep_rt_counters.errors) {
      printf("%s%sruntime errors: %u\n", prefix, dot,
             (unsigned)dwsep_rt_counters.errors);
      failed = 1;
    }
  }
  return failed;
}
