/*===- crt0.S - Start-up of the bare-metal GAP8 backend -------------------===*\
 *
 * Two entries:
 *  - _start: the fabric controller (the ELF entry, boot address + 0x80). Stack in L2, .bss
 *    cleared, then dwsep_gap8_fc_main(), which boots the cluster.
 *  - the cluster entry, 0x80 past a 256-byte aligned boot address (where
 *    RI5CY cluster cores start): each core k takes its stack at the top of
 *    L1 (core 0: __dwsep_stack_main bytes less the runtime's 512 bytes of
 *    L1 state above it (link.ld), then __dwsep_stack_worker bytes
 *    per other core, as the target description reserves), paints it so that
 *    the harness can report how deep it went, and calls
 *    dwsep_gap8_cluster_main(k).
\*===----------------------------------------------------------------------===*/

  /* The fabric controller starts 0x80 past its 256-byte aligned boot
   * address (RI5CY), as the cluster cores do: the vectors come first. */
  .section .text.start, "ax"
  .balign 256
  .option push
  .option norvc
  .fill 32, 4, 0x0000006f /* j . : no interrupt is enabled */
  .option pop
  .global _start
_start:
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  la sp, __fc_stack_top
  la t0, __bss_start
  la t1, __bss_end
1:
  bgeu t0, t1, 2f
  sw zero, 0(t0)
  addi t0, t0, 4
  j 1b
2:
  call dwsep_gap8_fc_main
3:
  j 3b

  .section .cluster_boot, "ax"
  .balign 256
  .global __cluster_boot
__cluster_boot:
  .option push
  .option norvc
  .fill 32, 4, 0x0000006f /* j . : no interrupt is enabled on the cluster */
  .option pop
  /* __cluster_boot + 0x80 */
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  .option push
  .option arch, +zicsr
  csrr a0, 0xF14
  .option pop
  andi a0, a0, 0x1f          /* core id within the cluster */
  /* Stack area of core k: [lo, hi), hi = L1 end - (k ? main + (k-1)*worker : 0). */
  la t2, __l1_end
  la t3, __dwsep_stack_main
  la t4, __dwsep_stack_worker
  la t1, __l1_runtime_start  /* hi for core 0: below the runtime's L1 state */
  sub t0, t2, t3             /* lo for core 0 */
  beqz a0, 5f
  mv t1, t0
  addi t5, a0, -1
4:
  beqz t5, 6f
  sub t1, t1, t4
  addi t5, t5, -1
  j 4b
6:
  sub t0, t1, t4
5:
  /* Paint [lo, hi) with the watermark, then sp = hi & ~15. */
  li t5, 0x5A5A5A5A
  addi t0, t0, 3
  andi t0, t0, -4
  mv t6, t0
7:
  bgeu t6, t1, 8f
  sw t5, 0(t6)
  addi t6, t6, 4
  j 7b
8:
  andi sp, t1, -16
  call dwsep_gap8_cluster_main
9:
  j 9b
