import OptimizerTestTable
import Optimizers
import Testing

/// The allocation tests read their specs from the optimizer test table; these
/// pin that the table gives every spec the hand lists gave (as of commit
/// 1b29919, ASGD included), so moving them lost none, and that a new
/// first-order method is stepped.
@Suite("allocation specs come from the optimizer test table")
struct AllocationTableTests {
    /// `specs` and `torchOptimSpecs` of StepAllocationTests before the table, verbatim.
    static let updateBefore: [String] = OptimizerCatalog.firstOrderNames.map { $0.hasPrefix("sgd") ? "\($0)(lr=0.01)" : $0 } + [
        "sgd(lr=0.01,momentum=0.9,nesterov=true,weight_decay=0.01)", "adam(amsgrad=true,weight_decay=0.1)",
        "adamw(schedule=cosine,warmup=3)", "adan(max_grad_norm=1,weight_decay=0.02)", "lion(weight_decay=0.1)",
        "adamp(nesterov=true,weight_decay=0.1)", "sgdp(lr=0.01,nesterov=true,weight_decay=0.1)",
        "muon", "muon(nesterov=false,adjust_lr=match_rms_adamw)", "soap(precondition_frequency=1000)",
        "soap(precondition_frequency=1000,normalize_grads=true)", "soap(precondition_frequency=1000,precondition_1d=true)",
        "shampoo(precondition_frequency=1000,max_preconditioner_dim=64)",
        "shampoo(precondition_frequency=1000,max_preconditioner_dim=64,grafting=adam,momentum=0.9,weight_decay=0.01)",
        "shampoo(precondition_frequency=1000,max_preconditioner_dim=30,grafting=rmsprop,beta1=0,beta2=0.99)",
        "adopt(decouple=true,weight_decay=0.1)", "adopt(weight_decay=0.1)",
        "ademamix(alpha_warmup=20,beta3_warmup=20,weight_decay=0.1)", "mars(variant=lion,weight_decay=0.1)",
        "mars(optimize_1d=true)", "mars(approx=false)", "schedulefree_adamw(warmup_steps=3,weight_decay=0.1,r=1)",
        "schedulefree_sgd(weight_decay=0.1)", "prodigy(beta1=0,decouple=false,weight_decay=0.1)",
        "prodigy(use_bias_correction=true,safeguard_warmup=true,weight_decay=0.1,growth_rate=1.1)",
    ] + [
        "adagrad(initial_accumulator_value=0.1,lr_decay=0.01,weight_decay=0.01)",
        "rmsprop(centered=true,momentum=0.9,weight_decay=0.01)", "rmsprop(momentum=0.9)",
        "adadelta(weight_decay=0.01)", "adamax(weight_decay=0.01)",
        "nadam(decoupled_weight_decay=true,weight_decay=0.01)", "nadam(weight_decay=0.01)",
        "radam(decoupled_weight_decay=true,weight_decay=0.01)", "adafactor(weight_decay=0.1,schedule=cosine)",
        "rprop(schedule=step,every=2)", "asgd(t0=0,weight_decay=0.01)",
    ]
    static let flatBefore = ["adagrad", "rmsprop", "adadelta", "adamax", "nadam", "radam", "adafactor", "rprop", "asgd"]
    static let oracleBefore = ["asgd(t0=-1)", "mars(approx=false)", "mars(approx=false,optimize_1d=true)", "schedulefree_adamw",
                               "schedulefree_sgd"]

    @Test func tableGivesTheSpecsOfTheHandLists() {
        let update = AllocationCases.all(\.update)
        #expect(update.count == Self.updateBefore.count && Set(update) == Set(Self.updateBefore))
        #expect(AllocationCases.all(\.flat) == Self.flatBefore)
        #expect(AllocationCases.all(\.oracle) == Self.oracleBefore)
        #expect(Set(update).count == update.count, "a spec is stepped twice")
    }

    /// Every first-order method of the catalog is stepped (by its row's base spec).
    @Test func everyFirstOrderMethodIsStepped() throws {
        let stepped = Set(try AllocationCases.all(\.update).map { try OptimizerCatalog.shared.resolve($0).descriptorName })
        #expect(Set(OptimizerCatalog.firstOrderNames).isSubset(of: stepped))
        #expect(stepped == Set(OptimizerCatalog.firstOrderNames + ["muon", "soap", "shampoo"]))
    }
}
