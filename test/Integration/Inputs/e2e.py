#!/usr/bin/env python3
"""Compile a dwsep network for the cluster, run it in QEMU, check it.

  e2e.py --tmp PREFIX [--pipeline OPTIONS] [--seed N] NET.mlir

Runs `dwsep-opt --dwsep-gap8-pipeline=OPTIONS`, mlir-translate, llc for
riscv32 (+m,+c), links with the sim runtime and the generic harness
(`$DWSEP_RV32_SIM_LINK`, set by test/lit.cfg.py), runs the ELF in
`$DWSEP_QEMU_RV32`, and compares with dwsep-interp and --dwsep-report via
compare.py. Prints the comparison summary and the total instruction count.
"""
import argparse
import os
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd, out=None):
    with open(out, "w") if out else open(os.devnull, "w") as f:
        r = subprocess.run(cmd, shell=isinstance(cmd, str), stdout=f if out else None)
    if r.returncode != 0:
        sys.exit(f"e2e.py: failed ({r.returncode}): {cmd if isinstance(cmd, str) else shlex.join(cmd)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("net")
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--pipeline", default="")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    t = a.tmp
    opts = f"header={t}.h report={t}.json report-format=json"
    if a.pipeline:
        opts = a.pipeline + " " + opts
    run(["dwsep-opt", a.net, f"--dwsep-gap8-pipeline={opts}", "-o", f"{t}.llvm.mlir"])
    run(["mlir-translate", "--mlir-to-llvmir", f"{t}.llvm.mlir", "-o", f"{t}.ll"])
    run(["llc", "-O2", "-mtriple=riscv32-unknown-elf", "-mattr=+m,+c", "-filetype=obj",
         f"{t}.ll", "-o", f"{t}.o"])
    run(f"{os.environ['DWSEP_RV32_SIM_LINK']} -DDWSEP_SEED={a.seed} "
        f"-DDWSEP_NET_HEADER='\"{t}.h\"' {t}.o -o {t}.elf")
    run(f"{os.environ['DWSEP_QEMU_RV32']} {t}.elf", out=f"{t}.qemu")
    run(["dwsep-interp", "--entry=*", f"--seed={a.seed}", a.net], out=f"{t}.interp")
    r = subprocess.run([sys.executable, os.path.join(HERE, "compare.py"), f"{t}.qemu",
                        f"{t}.interp", f"{t}.json"], capture_output=True, text=True)
    sys.stdout.write(r.stdout)
    if r.returncode:
        sys.exit(1)
    instructions = sum(int(l.rsplit("instructions=", 1)[1])
                       for l in open(f"{t}.qemu") if "instructions=" in l)
    print(f"instructions: {instructions}")


if __name__ == "__main__":
    main()
