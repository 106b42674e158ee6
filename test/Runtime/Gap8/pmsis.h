/* Declarations of the PMSIS functions and types runtime/gap8 uses, with the
 * signatures of the GAP SDK's API headers (pmsis/cluster/dma/cl_dma.h,
 * pmsis/cluster/cluster_team/cl_team.h, pmsis core). Only for
 * gap8-compile.test, which checks that the gap8 backend compiles against
 * that API where no SDK is installed. The struct contents are placeholders:
 * the real ones come from the SDK. */
#ifndef DWSEP_TEST_PMSIS_H
#define DWSEP_TEST_PMSIS_H
#include <stdint.h>

struct pi_device;

typedef enum {
  PI_CL_DMA_DIR_LOC2EXT = 0,
  PI_CL_DMA_DIR_EXT2LOC = 1
} pi_cl_dma_dir_e;

typedef struct pi_cl_dma_cmd_s {
  int id;
} pi_cl_dma_cmd_t;

void pi_cl_dma_cmd(uint32_t ext, uint32_t loc, uint32_t size,
                   pi_cl_dma_dir_e dir, pi_cl_dma_cmd_t *cmd);
void pi_cl_dma_cmd_2d(uint32_t ext, uint32_t loc, uint32_t size,
                      uint32_t stride, uint32_t length, pi_cl_dma_dir_e dir,
                      pi_cl_dma_cmd_t *cmd);
void pi_cl_dma_cmd_wait(pi_cl_dma_cmd_t *cmd);

int pi_core_id(void);
void pi_cl_team_fork(int nb_cores, void (*entry)(void *), void *arg);
#endif
