/// Axis labels with units and the one-phrase meaning of each trace column,
/// so every figure explains what it shows.
enum ColumnLabels {
    static func axis(_ column: String) -> String {
        switch column {
        case "step": return "step (iterations)"
        case "f_evals": return "function evaluations"
        case "grad_evals": return "gradient evaluations"
        case "hvp_evals": return "Hessian-vector products"
        case "hess_evals": return "Hessian evaluations"
        case "cost": return "cost (f-eval equivalents)"
        case "time_s": return "time (s, optimizer only)"
        case "loss": return "loss f(x)"
        case "gap": return "gap f(x) − f*"
        case "best_loss": return "best loss so far"
        case "grad_norm": return "gradient norm ‖∇f(x)‖₂"
        case "test_metric": return "test metric"
        case "best_gap": return "best gap so far"
        case "f_evals_per_dim": return "function evaluations / dimension"
        default: return column
        }
    }

    /// What y is, for the caption.
    static func meaning(_ column: String) -> String {
        switch column {
        case "loss": return "loss = full, noise-free objective at the iterate"
        case "gap": return "gap = loss − f* (known optimum)"
        case "best_loss": return "best_loss = lowest loss evaluated so far"
        case "grad_norm": return "grad_norm = ‖∇f(x)‖₂ of the true gradient"
        case "test_metric": return "test_metric = held-out metric of a learning problem"
        case "best_gap": return "best gap = lowest loss logged so far − f*"
        default: return "y = column \(column)"
        }
    }

    static func xMeaning(_ column: String) -> String {
        switch column {
        case "cost": return "cost = f_evals + 2·grad_evals + 4·hvp_evals + 2n·hess_evals"
        case "time_s": return "time_s = cumulative optimizer seconds (logging excluded)"
        case "f_evals": return "x = function evaluations counted by the oracle"
        case "grad_evals": return "x = gradient evaluations counted by the oracle"
        case "hvp_evals": return "x = Hessian-vector products counted by the oracle"
        case "hess_evals": return "x = dense Hessians (or curvature-matrix refreshes) counted by the oracle"
        case "step": return "x = optimizer steps"
        case "f_evals_per_dim": return "x = function evaluations / dimension"
        default: return "x = column \(column)"
        }
    }
}
