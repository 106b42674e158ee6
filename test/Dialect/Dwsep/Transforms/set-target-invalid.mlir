// RUN: dwsep-opt %s --dwsep-set-target="chip=gap7" --verify-diagnostics
// RUN: not dwsep-opt %s --dwsep-set-target="cores=30" 2>&1 | FileCheck %s --check-prefix=STACKS
// RUN: not dwsep-opt %s --dwsep-set-target="byte-price=2000000" 2>&1 | FileCheck %s --check-prefix=PRICE
// RUN: not dwsep-opt %s --dwsep-set-target="rows-outer-margin=100" 2>&1 | FileCheck %s --check-prefix=MARGIN
// RUN: not dwsep-opt %s --dwsep-set-target="rows-outer-margin=-5" 2>&1 | FileCheck %s --check-prefix=NEGATIVE

// expected-error @+5 {{dwsep-set-target: unknown chip 'gap7' (presets: gap8, gap9)}}
// PRICE: error: dwsep-set-target: target kernel cost 'byte_price' = 2000000 is outside [0, 1000000]
// MARGIN: error: dwsep-set-target: target rows_outer_margin = 100 is not a percentage in [0, 100)
// NEGATIVE: error: dwsep-set-target: rows-outer-margin -5 is not a percentage in [0, 100) (or -1: keep the target's)
// STACKS: error: dwsep-set-target: target leaves no L1 for tiles: l1_size 65536 B minus stacks 3500 + 29 x 2560 B is -12204 B
module {
}
