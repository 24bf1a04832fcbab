import Foundation
import Testing
import _ContamTestSupport

/// The rules of docs/ARCHITECTURE.md that a script can check.
@Suite("Architecture rules")
struct StructureTests {
  @Test func rawMemoryStaysInInternalOrListedOwners() throws {
    let script = TestData.packageRoot.appendingPathComponent("scripts/check-unsafe.sh").path
    let run = try Tool.execute("/bin/bash", [script])
    #expect(run.status == 0, "\(run.stderr)")
  }

  @Test func theCheckCatchesANewFileWithRawPointers() throws {
    // A copy of the script and sources with one offending file added must fail.
    let root = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root.appendingPathComponent("scripts"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: TestData.packageRoot.appendingPathComponent("scripts/check-unsafe.sh"),
      to: root.appendingPathComponent("scripts/check-unsafe.sh"))
    try FileManager.default.createDirectory(at: root.appendingPathComponent("Sources"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: TestData.packageRoot.appendingPathComponent("Sources/Contam"), to: root.appendingPathComponent("Sources/Contam"))
    try "let p = UnsafeMutablePointer<Int>.allocate(capacity: 1)\n".write(
      to: root.appendingPathComponent("Sources/Contam/Scoring/Leak.swift"), atomically: true, encoding: .utf8)
    let run = try Tool.execute("/bin/bash", [root.appendingPathComponent("scripts/check-unsafe.sh").path])
    #expect(run.status == 1)
    #expect(run.stderr.contains("Scoring/Leak.swift allocates raw memory"))
  }
}
