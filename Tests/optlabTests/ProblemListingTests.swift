import Testing
@testable import optlab

/// `optlab list problems` and `optlab describe` for the analytic and global problems.
@Suite("optlab list problems / describe")
struct ProblemListingTests {
    @Test func csvHasTheAgreedColumnsAndKnownMinima() {
        let csv = Listing.problemCSV()
        #expect(csv.hasPrefix("name,family,dim,capabilities,f_star,f_star_kind\n"))
        #expect(csv.contains("\nrosenbrock,mgh,2,value gradient hessian hvp known_minimum ggn,0,global\n"))
        #expect(csv.contains("\nbrown_dennis,mgh,4,value gradient hessian hvp known_minimum ggn,85822.2016263563,global\n"))
        #expect(csv.contains("\nsix_hump_camel,global,2,"))
        let rows = csv.split(separator: "\n").dropFirst()
        #expect(rows.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 6 })
        #expect(rows.filter { $0.contains(",mgh,") }.count == 35)
    }

    @Test func tableShowsDeclaredLocalMinima() {
        let table = Listing.problemTable()
        #expect(table.contains("freudenstein_roth  [mgh]  dim 2"))
        #expect(table.contains("f*: 0 (global); declared local: 48.98425367924"))
    }

    @Test func describePrintsTheStartAndItsValues() throws {
        let text = try ProblemDescription.text("rosenbrock(d=4)", seed: 0)
        #expect(text.contains("dimension: 4\n"))
        #expect(text.contains("layout: x [4]\n"))
        #expect(text.contains("x0: [-1.2, 1, -1.2, 1]\n"))
        #expect(text.contains("f(x0): 532.4"))
        #expect(text.contains("declared local minima: 3.7014"))
        let rayleigh = try ProblemDescription.text("rayleigh", seed: 0)
        #expect(rayleigh.contains("layout: weight [1, 16]\n"))
    }

    @Test func describeRejectsBadSpecsWithOneLine() throws {
        let r = try OptLabBinary.run(["describe", "watson(n=50)"])
        #expect(r.status == 2)
        #expect(r.stderr == "optlab: error: watson: n=50 is out of range; n must be an integer in [2, 31]\n")
    }
}

/// `optlab describe charlm`: parameter count, f(x0) ≈ ln V, layout.
@Suite struct WorkloadDescribeTests {
    @Test func charlmDescriptionShowsSizeStartAndLayout() throws {
        let text = try ProblemDescription.text("charlm", seed: 0)
        #expect(text.contains("dimension: 113536\n"))
        #expect(text.contains("vocabulary: 73 characters"))
        #expect(text.contains("block1.attn.qkv.weight [192, 64]") && text.contains("head.weight [73, 64]"))
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("f(x0): ") })
        let f0 = try #require(Double(line.dropFirst("f(x0): ".count)))
        #expect(abs(f0 - 4.290459441148391) < 0.03, "f(x0) = \(f0), ln 73 = 4.2905")
    }
}
