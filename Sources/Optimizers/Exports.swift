// An importer writes only `import Optimizers` and still needs the protocol
// (`GradientOptimizer`), the block layout (`ParameterLayout`) and the
// schedule's spec types, which live in OptimizationCore.
@_exported import OptimizationCore
// `Matrix`, which an `Objective` with a Hessian returns, lives in LinearAlgebra.
@_exported import LinearAlgebra
