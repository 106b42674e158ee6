# -*- Python -*-
import os
import sys

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "DWSEP"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.dwsep_obj_root, "test")
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py",
                   "Inputs", "consumer"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%dwsep_src", config.dwsep_src_root))
config.substitutions.append(("%dwsep_obj", config.dwsep_obj_root))
config.substitutions.append(("%mlir_dir", config.mlir_dir))
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(("%cxx", config.cxx_compiler))
config.substitutions.append(("%cc", config.c_compiler))
config.substitutions.append(("%python", "/usr/bin/python3"))
# Upstream MLIR's runtime libraries for mlir-runner (equivalence tests).
config.substitutions.append(
    ("%mlir_lib_dir", os.path.normpath(os.path.join(config.llvm_tools_dir, "..", "lib"))))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP",
                                     "DWSEP_HOST_CC", "DWSEP_GVSOC",
                                     "ASAN_OPTIONS", "UBSAN_OPTIONS"])
# A sanitizer build (-DDWSEP_SANITIZERS=...): its libraries cannot be linked
# into a consumer built without the sanitizer runtimes.
if config.dwsep_sanitizers:
    config.available_features.add("dwsep-sanitized")
llvm_config.use_default_substitutions()

llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.dwsep_tools_dir, append_path=True)

tool_dirs = [config.dwsep_tools_dir, config.llvm_tools_dir]
tools = ["dwsep-opt", "dwsep-ref-test", "dwsep-interp"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# Bare-metal riscv32 (RV32IMC like a GAP8 core: no A extension) under QEMU,
# picolibc with semihosting for stdio and the exit status. `-icount shift=0`
# makes the retired-instruction count exact and repeatable. The tools are
# installed by .ci/setup; semihosting output goes to stdout (the chardev);
# a missing tool fails the tests rather than skipping.
# The commands are python/dwsep/toolchain.py's, the one place that knows them.
sys.path.insert(0, os.path.join(config.dwsep_src_root, "python"))
from dwsep import toolchain  # noqa: E402

rv32_cc = " ".join(toolchain.RV32_CC)
config.substitutions.append(("%rv32-cc", rv32_cc))
qemu_rv32 = " ".join(toolchain.QEMU_RV32)
config.substitutions.append(("%qemu-rv32", qemu_rv32))
