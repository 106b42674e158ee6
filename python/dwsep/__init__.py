"""Python helpers for dwsep: drive the compiler, the riscv32 toolchain and
QEMU (dwsep.toolchain)."""
