import OptimizationCore
import Optimizers
import Problems

/// The lab's version, printed by `optlab --version` and written to manifests.
public let labVersion = "0.1.0"
