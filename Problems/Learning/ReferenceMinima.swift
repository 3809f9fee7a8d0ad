/// Stored optimal values f* of the convex learning problems on the bundled
/// data (full training objective; the minibatch setting does not change f*).
///
/// How they were computed: damped Newton (dense Hessian, Cholesky, Armijo
/// backtracking) from x0 = 0 until ‖∇f‖ < 1e-12, in double precision, by
/// the test `LearningNewtonTests` (which recomputes them on every run and
/// checks these constants to 1e-12 relative). Softmax regression has an
/// unregularised bias that is only defined up to a common shift, so its
/// Newton step solves with the Hessian plus the projector onto that null
/// direction; f* is unique although x* is not.
enum ReferenceMinima {
    struct Key: Hashable {
        let model: String
        let data: String
        let l2: Double
    }

    static let table: [Key: Double] = [
        // Newton from x0 = 0 stopped at ‖∇f‖ = 2.1e-17.
        Key(model: "logreg", data: "breast_cancer", l2: 1e-3): 0.06527710530968002,
        // Newton from x0 = 0 stopped at ‖∇f‖ = 1.6e-16.
        Key(model: "softmax", data: "digits", l2: 1e-3): 0.08268723500868266,
    ]

    /// f* for (model, bundled data set, l2), or nil when not stored.
    static func value(model: String, data: String, l2: Double) -> Double? {
        table[Key(model: model, data: data, l2: l2)]
    }
}
