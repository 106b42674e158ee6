/*===- gap8_soc.h - GAP8 addresses the bare-metal backend uses ------------===*\
 *
 * The one place for the GAP8 memory map and register offsets that the
 * bare-metal runtime needs (from the gap_sdk archi/hal headers: memory_map.h,
 * eu_v3.h, mchan_v6.h, cluster_ctrl_v2.h, timer_v2.h, apb_soc.h; the GAP8
 * virtual platform models them the same way). Nothing else in the backend
 * spells an address.
\*===----------------------------------------------------------------------===*/

#ifndef DWSEP_GAP8_SOC_H
#define DWSEP_GAP8_SOC_H

#include <stdint.h>

/* Memory map. */
#define GAP8_L1_BASE 0x10000000u
#define GAP8_L1_SIZE 0x10000u
#define GAP8_L2_BASE 0x1C000000u
#define GAP8_L2_SIZE 0x80000u

/* Fabric controller: mhartid = cluster 32, core 0. */
#define GAP8_FC_CLUSTER_ID 32

/* SoC peripherals. */
#define GAP8_APB_SOC_BASE 0x1A104000u
#define GAP8_APB_SOC_CORESTATUS                                                \
  (GAP8_APB_SOC_BASE + 0xA0u) /* 0x80000000|code */
#define GAP8_APB_SOC_PMU_BYPASS (GAP8_APB_SOC_BASE + 0x70u)
#define GAP8_PMU_BYPASS_CLUSTER_ON (1u << 3)
#define GAP8_PMU_BYPASS_CLUSTER_RESET (1u << 13)
/* Debug print of the virtual platform: one byte per store, line buffered. */
#define GAP8_STDOUT_BASE 0x1A110000u
#define GAP8_STDOUT_ADDR(cluster, core)                                        \
  (GAP8_STDOUT_BASE + ((uint32_t)(cluster) << 7) + ((uint32_t)(core) << 3))

/* Cluster peripherals, global addresses. */
#define GAP8_CLUSTER_CTRL 0x10200000u
#define GAP8_CLUSTER_FETCH_EN (GAP8_CLUSTER_CTRL + 0x08u)
#define GAP8_CLUSTER_BOOT_ADDR(core) (GAP8_CLUSTER_CTRL + 0x40u + 4u * (core))
#define GAP8_CLUSTER_TIMER 0x10200400u
#define GAP8_TIMER_CFG_LO 0x00u
#define GAP8_TIMER_CNT_LO 0x08u
#define GAP8_TIMER_CFG_ENABLE_RESET 3u
#define GAP8_CLUSTER_ICACHE_ENABLE 0x10201400u
/* Cores start at their boot address + 0x80; the boot address is 256-aligned
 * in the runtime's linker script. */
#define GAP8_CLUSTER_BOOT_OFFSET 0x80u

/* Event unit, core-local alias (each core sees its own view). */
#define GAP8_EU 0x00204000u
#define GAP8_EU_MASK_AND (GAP8_EU + 0x04u)
#define GAP8_EU_MASK_OR (GAP8_EU + 0x08u)
#define GAP8_EU_EVENT_WAIT_CLEAR (GAP8_EU + 0x3Cu)
#define GAP8_EU_SW_EVENT_TRIGGER(e) (GAP8_EU + 0x100u + 4u * (e))
#define GAP8_EU_BARRIER(b) (GAP8_EU + 0x200u + 0x20u * (b))
#define GAP8_EU_BARRIER_TRIGGER_MASK 0x00u
#define GAP8_EU_BARRIER_TARGET_MASK 0x0Cu
#define GAP8_EU_BARRIER_TRIGGER_WAIT_CLEAR 0x1Cu
/* Event lines of a cluster core. */
#define GAP8_EVENT_SW_FORK 0
#define GAP8_EVENT_DMA 8
#define GAP8_EVENT_BARRIER 16

/* Cluster DMA (mchan v6), core-local alias. Reading the queue allocates a
 * counter; a command is `size | ext2loc << 16 | incr << 17 | 2d << 18 |
 * event << 19`, then the L1 address, the L2 address and, for 2-D, `stride
 * << 16 | length` (both under 32 KiB; size under 64 KiB). */
#define GAP8_DMA 0x00204400u
#define GAP8_DMA_QUEUE (GAP8_DMA + 0x0u)
#define GAP8_DMA_STATUS (GAP8_DMA + 0x4u)
#define GAP8_DMA_EXT2LOC (1u << 16)
#define GAP8_DMA_INCR (1u << 17)
#define GAP8_DMA_2D (1u << 18)
#define GAP8_DMA_EVENT (1u << 19)
#define GAP8_DMA_MAX_SIZE 0xFFFFu
#define GAP8_DMA_MAX_2D 0x7FFFu
#define GAP8_DMA_COUNTERS 16

/* RI5CY performance counters (per core, active cycles only). */
#define GAP8_CSR_PCER 0x7A0
#define GAP8_CSR_PCMR 0x7A1
#define GAP8_CSR_PCCR_CYCLES 0x780
#define GAP8_CSR_PCCR_INSTR 0x781
#define GAP8_CSR_PCCR_LD_STALL 0x782
#define GAP8_CSR_PCCR_JMP_STALL 0x783
#define GAP8_CSR_PCCR_IMISS 0x784
#define GAP8_CSR_PCCR_TCDM_CONT 0x78F
#define GAP8_CSR_MHARTID 0xF14

static inline void gap8_write(uint32_t addr, uint32_t value) {
  *(volatile uint32_t *)addr = value;
}
static inline uint32_t gap8_read(uint32_t addr) {
  return *(volatile uint32_t *)addr;
}

#define GAP8_CSR_STR_(x) #x
#define GAP8_CSR_STR(x) GAP8_CSR_STR_(x)
#define GAP8_CSR_READ(csr)                                                     \
  ({                                                                           \
    uint32_t v_;                                                               \
    __asm__ volatile(".option push\n.option arch, +zicsr\n"                    \
                     "csrr %0, " GAP8_CSR_STR(csr) "\n.option pop"             \
                     : "=r"(v_)                                                \
                     :                                                         \
                     : "memory");                                              \
    v_;                                                                        \
  })
#define GAP8_CSR_WRITE(csr, value)                                             \
  __asm__ volatile(".option push\n.option arch, +zicsr\n"                      \
                   "csrw " GAP8_CSR_STR(csr) ", %0\n.option pop"               \
                   :                                                           \
                   : "r"(value)                                                \
                   : "memory")

#endif /* DWSEP_GAP8_SOC_H */
