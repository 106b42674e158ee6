module attributes {dwsep.target = #dwsep.target<"gap8", cores = 4>} {
  func.func @pw(%x: tensor<2x2x4xi8>, %w: tensor<3x4xi8>, %b: tensor<3xi32>,
                %init: tensor<2x2x3xi8>) -> tensor<2x2x3xi8> {
    %y = dwsep.pointwise ins(%x, %w, %b : tensor<2x2x4xi8>, tensor<3x4xi8>, tensor<3xi32>)
           outs(%init : tensor<2x2x3xi8>)
           requant <mult = [3], shift = [4], zp = 2, clamp = [-128, 127], rounding = floor>
           -> tensor<2x2x3xi8>
    return %y : tensor<2x2x3xi8>
  }
}
