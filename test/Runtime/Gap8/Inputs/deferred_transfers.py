#!/usr/bin/env python3
"""Builds deferred_transfers.c with the bare-metal GAP8 runtime and runs it
on GVSoC; prints the program's verdict, or the one line saying GVSoC is
missing.

  deferred_transfers.py OUT_PREFIX
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))
sys.path.insert(0, os.path.join(SRC, "python"))
from dwsep import toolchain  # noqa: E402


def main():
    gvsoc = toolchain.find_gvsoc()
    if not gvsoc:
        print(toolchain.GVSOC_MISSING)
        return 0
    rt = os.path.join(SRC, "runtime")
    elf = sys.argv[1] + ".elf"
    # The stacks of the gap8 target (stack_main, stack_worker).
    toolchain._run(toolchain.GAP8_CC + [
        "-std=gnu99", f"-I{rt}/include", f"-I{rt}/gap8-bare", "-DDWSEP_RT_GAP8_BARE",
        "-T", f"{rt}/gap8-bare/link.ld",
        "-Wl,--defsym=__dwsep_stack_main=3500,--defsym=__dwsep_stack_worker=3400",
        f"{rt}/gap8-bare/crt0.S", f"{rt}/gap8-bare/dwsep_rt_gap8_bare.c",
        os.path.join(HERE, "deferred_transfers.c"), "-o", elf])
    r = subprocess.run([gvsoc, elf], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=600)
    print(r.stdout.strip())
    print(f"exit {r.returncode}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
