/* Declarations of the cluster-side RAM functions runtime/gap8 uses, with the
 * signatures of the GAP SDK's bsp/ram.h; see ../pmsis.h. */
#ifndef DWSEP_TEST_BSP_RAM_H
#define DWSEP_TEST_BSP_RAM_H
#include <stdint.h>

struct pi_device;

typedef struct pi_cl_ram_req_s {
  int done;
} pi_cl_ram_req_t;

void pi_cl_ram_read(struct pi_device *device, uint32_t pi_ram_addr, void *addr,
                    uint32_t size, pi_cl_ram_req_t *req);
void pi_cl_ram_write(struct pi_device *device, uint32_t pi_ram_addr, void *addr,
                     uint32_t size, pi_cl_ram_req_t *req);
void pi_cl_ram_read_2d(struct pi_device *device, uint32_t pi_ram_addr,
                       void *addr, uint32_t size, uint32_t stride,
                       uint32_t length, pi_cl_ram_req_t *req);
void pi_cl_ram_write_2d(struct pi_device *device, uint32_t pi_ram_addr,
                        void *addr, uint32_t size, uint32_t stride,
                        uint32_t length, pi_cl_ram_req_t *req);
void pi_cl_ram_read_wait(pi_cl_ram_req_t *req);
void pi_cl_ram_write_wait(pi_cl_ram_req_t *req);
#endif
