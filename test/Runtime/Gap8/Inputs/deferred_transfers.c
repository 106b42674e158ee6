/* The bare-metal GAP8 runtime's deferred transfers into L1
 * (runtime/gap8-bare: recorded by dwsep_rt_dma_rows, started at the next
 * fork or at a wait on them), beside its write-backs: every transfer arrives,
 * whatever the order of its waits, however many are recorded before a fork
 * (more than a group holds) and however many groups are started before any is
 * waited for (more than the runtime keeps slots for). Prints "deferred
 * transfers: ok" and exits 0, or names the first wrong byte and exits 1. */
#include "dwsep_rt.h"

#include <stdio.h>

#define N 24   /* transfers per phase */
#define LEN 96 /* bytes each (not a multiple of 4: byte-exact ends) */

__attribute__((section(".l1"))) static int8_t l1[N * LEN];
static int8_t l2[2 * N * LEN];

static void nothing(int32_t core, void *args) {
  (void)core;
  (void)args;
}

static int check(const char *phase, const int8_t *got, const int8_t *want,
                 int n) {
  for (int i = 0; i < n; ++i)
    if (got[i] != want[i]) {
      printf("deferred transfers: %s: byte %d is %d, not %d\n", phase, i,
             got[i], want[i]);
      return 1;
    }
  return 0;
}

static void fill(int8_t *p, int n, int seed) {
  for (int i = 0; i < n; ++i)
    p[i] = (int8_t)(i * 7 + seed);
}

int main(void) {
  dwsep_rt_sim_set_arenas(l1, sizeof l1, l2, sizeof l2, 0, 0);
  int32_t ids[N];
  /* 1. Waited for before any fork, in reverse order: more transfers than
   * a group holds. */
  fill(l2, N * LEN, 3);
  for (int k = 0; k < N; ++k)
    ids[k] =
        dwsep_rt_dma_rows((intptr_t)(l1 + k * LEN), (intptr_t)(l2 + k * LEN),
                          LEN, 1, LEN, DWSEP_RT_L2_TO_L1, 0);
  for (int k = N - 1; k >= 0; --k)
    dwsep_rt_dma_wait(ids[k]);
  if (check("waited before a fork", l1, l2, N * LEN))
    return 1;
  /* 2. One group per fork, none waited for until all are started: more
   * groups than slots. Then waited for in order, four at a time with
   * repeated ids and a token of no transfer. */
  fill(l2, N * LEN, 11);
  for (int k = 0; k < N; ++k) {
    ids[k] =
        dwsep_rt_dma_rows((intptr_t)(l1 + k * LEN), (intptr_t)(l2 + k * LEN),
                          LEN, 1, LEN, DWSEP_RT_L2_TO_L1, 0);
    dwsep_rt_fork(nothing, 0, 8);
  }
  for (int k = 0; k < N; k += 2)
    dwsep_rt_dma_wait4(ids[k], ids[k + 1], ids[k], DWSEP_RT_DMA_NONE);
  if (check("started by forks", l1, l2, N * LEN))
    return 1;
  /* 3. Write-backs, two rows each (a 2-D command, L2 rows LEN apart with a
   * gap), started by a fork and waited for after it. */
  fill(l1, N * LEN, 29);
  for (int k = 0; k < N / 2; ++k)
    ids[k] = dwsep_rt_dma_rows((intptr_t)(l1 + 2 * k * (LEN / 2)),
                               (intptr_t)(l2 + N * LEN + 2 * k * LEN), LEN / 2,
                               2, LEN, DWSEP_RT_L1_TO_L2, 0);
  dwsep_rt_fork(nothing, 0, 8);
  for (int k = 0; k < N / 2; ++k)
    dwsep_rt_dma_wait(ids[k]);
  for (int k = 0; k < N; ++k)
    if (check("written back", l2 + N * LEN + k * LEN, l1 + k * (LEN / 2),
              LEN / 2))
      return 1;
  if (dwsep_rt_counters.errors) {
    printf("deferred transfers: %u runtime errors\n",
           (unsigned)dwsep_rt_counters.errors);
    return 1;
  }
  printf("deferred transfers: ok\n");
  return 0;
}
