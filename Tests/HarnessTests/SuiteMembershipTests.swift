@testable import Harness
import Testing

/// Issue 15 §2: a suite that names a method the catalog does not have fails
/// with one line naming it, instead of skipping it with a note.
@Suite struct SuiteMembershipTests {
    @Test func unknownOptimizerFailsNamingIt() {
        #expect {
            _ = try Suites.build("t", problems: ["rosenbrock"], optimizers: ["adam", "no_such_method(lr=1)"],
                                 seeds: [0], steps: (first: 10, second: 10, zeroth: nil), seconds: nil, targetGap: nil)
        } throws: { error in
            let message = "\(error)"
            return message.contains("suite t") && message.contains("optimizers no_such_method(lr=1)")
                && !message.contains("adam,") && !message.contains("\n")
        }
    }

    @Test func badKeysAndUnknownProblemsFailToo() {
        #expect(throws: HarnessError.self) {
            _ = try Suites.build("t", problems: ["rosenbrock"], optimizers: ["adam(lrr=1)"],
                                 seeds: [0], steps: (first: 10, second: 10, zeroth: nil), seconds: nil, targetGap: nil)
        }
        #expect {
            _ = try Suites.build("t", problems: ["no_such_problem"], optimizers: ["adam"],
                                 seeds: [0], steps: (first: 10, second: 10, zeroth: nil), seconds: nil, targetGap: nil)
        } throws: { "\($0)".contains("problems no_such_problem") }
    }

    @Test func everyBuiltInSuiteBuildsWithoutSkips() throws {
        for name in RunSet.suiteNames {
            let suite = try #require(try RunSet.suite(name))
            #expect(!suite.plan.groups.isEmpty, "\(name)")
            #expect(!suite.notes.contains { $0.contains("not in the catalog") }, "\(name)")
        }
    }
}
