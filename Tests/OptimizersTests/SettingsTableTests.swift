import OptimizationCore
import OptimizerTestTable
@testable import Optimizers
import Testing

/// Issue 15 §1: each key of an element-wise optimizer is declared once, in
/// its `Settings` table; the descriptor, the spec reader and the typed
/// initialiser's validation derive from it.
@Suite("settings tables: one declaration per key")
struct SettingsTableTests {
    static func verify<O: Optimizer & SettingsBacked>(_ type: O.Type) throws {
        let d = O.descriptor
        // The descriptor lists the table's keys, in order, then the schedule's.
        // (MARS spells the schedule's `gamma` `schedule_gamma`: its own `gamma` is the correction scale.)
        let scheduleNames = LearningRateSchedule.hyperparameters.map {
            d.name == "mars" && $0.name == "gamma" ? "schedule_gamma" : $0.name
        }
        #expect(d.hyperparameters.map(\.name) == O.Settings.keys.map(\.name) + scheduleNames)
        #expect(O.Settings.keys.first?.name == "lr")
        // Each default the descriptor prints is the property's initial value.
        let defaults = O.Settings.defaults.specValues
        for h in d.hyperparameters where O.Settings.keys.contains(where: { $0.name == h.name }) {
            switch h.defaultValue {
            case .value(let v): #expect(defaults[h.name].map { same($0, v) } == true, "\(d.name).\(h.name)")
            case .required, .unset: #expect(defaults[h.name] == nil || h.name == "lr", "\(d.name).\(h.name)")
            }
        }
        // Reading a resolved spec sets every key: a spec that moves every
        // real key to the middle of its range and flips every boolean reads back.
        var args: [(String, String)] = []
        for h in d.hyperparameters where O.Settings.keys.contains(where: { $0.name == h.name }) {
            switch h.kind {
            case .real(let r): args.append((h.name, SpecValue.real(inside(r, avoiding: h)).description))
            case .integer(let r): args.append((h.name, String(Int(inside(r, avoiding: h).rounded(.up)))))
            case .boolean:
                if case .value(.boolean(let b)) = h.defaultValue { args.append((h.name, String(!b))) }
            default: break
            }
        }
        // SGD and Rprop refuse some combinations; keep nesterov and the step bounds consistent.
        args = args.filter { $0.0 != "nesterov" && $0.0 != "step_min" && $0.0 != "step_max" }
        let resolved = try d.resolve(SpecString(name: d.name, arguments: args))
        let read = O.Settings(resolved).specValues
        for (key, raw) in args {
            #expect(read[key]?.description == resolved.values[key]?.description, "\(d.name).\(key) = \(raw)")
            #expect(read[key].map { !same($0, defaults[key] ?? .text("")) } ?? false, "\(d.name).\(key) moved")
        }
        // The catalog's construction and the settings agree.
        let made = O(resolved)
        #expect(made.settings.specValues.mapValues(\.description) == read.mapValues(\.description))
    }

    /// Equal numbers whether written as integers or reals.
    static func same(_ a: SpecValue, _ b: SpecValue) -> Bool {
        if let x = a.doubleValue, let y = b.doubleValue { return x == y }
        return a == b
    }

    /// A value inside `r`, away from the default.
    static func inside(_ r: ValueRange, avoiding h: Hyperparameter) -> Double {
        let lo = r.lower.isFinite ? r.lower : -1, hi = r.upper.isFinite ? r.upper : lo + 4
        var x = lo + (hi - lo) * 0.375
        if case .value(let v) = h.defaultValue, v.doubleValue == x { x = lo + (hi - lo) * 0.625 }
        return x
    }

    @Test("each table derives its descriptor, defaults and spec reader", arguments: FirstOrderTable.withSettings)
    func tableDerivesDescriptor(_ row: FirstOrderTable.Row) throws {
        let check = try #require(row.settings)
        try check(Checker())
    }

    /// Hands a table row's type to ``verify(_:)`` (the table's target cannot see this file).
    struct Checker: SettingsTableCheck {
        func verify<O: Optimizer & SettingsBacked>(_ type: O.Type) throws { try SettingsTableTests.verify(type) }
    }

    @Test("the element-wise rows are the ElementwiseOptimizer types of the catalog")
    func coverage() throws {
        let elementwise = Set(FirstOrderTable.rows.filter(\.elementwise).map(\.name))
        for row in OptimizerTable.rows {
            let (made, _) = try OptimizerCatalog.shared.make(row.spec)
            #expect((made is any ElementwiseOptimizer) == elementwise.contains(row.name), "\(row.name)")
        }
    }

    @Test("a typed initialiser's defaults come from the table")
    func typedDefaults() {
        #expect(Adam().settings.specValues.mapValues(\.description)
                == Adam.Settings.defaults.specValues.mapValues(\.description))
        #expect(AdamW().weightDecay == 1e-2)
        #expect(Adam(lr: 0.02).lr == 0.02 && Adam(lr: 0.02).beta2 == 0.999)
        #expect(AdEMAMix().alphaWarmup == nil)
        #expect(AdEMAMix(alphaWarmup: 7).settings.specValues["alpha_warmup"] == .integer(7))
    }

    @Test("an unset optional key prints its meaning and reads back as nil")
    func optionalKeys() throws {
        let h = try #require(AdEMAMix.descriptor.hyperparameter("beta3_warmup"))
        #expect(h.defaultDescription == "none")
        let p = try AdEMAMix.descriptor.resolve(SpecString(parsing: "ademamix"))
        #expect(AdEMAMix.Settings(p).beta3Warmup == nil)
        #expect(AdEMAMix.Settings(p).specValues["beta3_warmup"] == nil)
    }

    @Test("Adam and AdamW are one step with a flag: equal without decay")
    func adamAndAdamWAgreeWithoutDecay() {
        var a = Adam(lr: 0.01), w = AdamW(lr: 0.01, weightDecay: 0)
        var x1 = [1.0, -2.0, 3.0], x2 = x1
        for k in 0..<5 {
            let g1 = x1.map { 2 * $0 + Double(k) }, g2 = x2.map { 2 * $0 + Double(k) }
            a.update(&x1, gradient: g1)
            w.update(&x2, gradient: g2)
        }
        #expect(x1 == x2)
        #expect(x1 != [1.0, -2.0, 3.0])
    }
}
