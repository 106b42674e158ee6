// RUN: dwsep-opt %s --dwsep-set-target="chip=gap7" --verify-diagnostics
// RUN: not dwsep-opt %s --dwsep-set-target="cores=30" 2>&1 | FileCheck %s --check-prefix=STACKS

// expected-error @+2 {{dwsep-set-target: unknown chip 'gap7' (presets: gap8, gap9)}}
// STACKS: error: dwsep-set-target: target leaves no L1 for tiles: l1_size 65536 B minus stacks 3500 + 29 x 3400 B is -36564 B
module {
}
