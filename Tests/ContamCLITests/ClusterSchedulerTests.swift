import Contam
import Foundation
import Testing
import _ContamTestSupport

/// The cluster recipes on real schedulers' terms: the documented Slurm submission on a
/// single-node Slurm started here, and the Kubernetes manifest checked against the batch/v1
/// schema and its container commands run as the Indexed Job would run them.
@Suite("Cluster recipes on a real scheduler", .serialized)
struct ClusterSchedulerTests {
  static let root = TestData.packageRoot
  static let slurmAvailable =
    getuid() == 0 && ["/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch", "/usr/sbin/munged"].allSatisfy {
      FileManager.default.isExecutableFile(atPath: $0)
    }
  static let kubernetesModels = (try? Tool.run("python3", ["-c", "import kubernetes, yaml"])) != nil

  let contam = TestData.contamExecutable
  let samples = ClusterSchedulerTests.root.appendingPathComponent("corpora-samples").path

  /// A corpus of `count` shards of real prose with GSM8K questions planted.
  func corpus(_ fixture: ShardFixture, shards count: Int, paragraphs: Int, repeats: Int = 1) throws -> String {
    let novels = ["1342-0.txt.gz", "122-0.txt.gz", "1310-0.txt.gz", "141.txt.gz", "155-0.txt.gz"]
    let questions = try String(contentsOfFile: samples + "/benchmarks/gsm8k-sample.jsonl", encoding: .utf8).split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["question"] as! String
    }
    try FileManager.default.createDirectory(at: fixture.url("corpus"), withIntermediateDirectories: true)
    for k in 0..<count {
      let (page, _) = try ShardFixture.paragraphsJSONL(count: paragraphs, novel: novels[k % novels.count])
      var jsonl = Data()
      for _ in 0..<repeats { jsonl += page }
      jsonl += try JSONSerialization.data(withJSONObject: ["id": "planted-\(k)", "text": "Page \(k). " + questions[k % questions.count]])
      jsonl += Data("\n".utf8)
      try fixture.compress(String(format: "corpus/shard-%03d.jsonl.gz", k), jsonl, tool: "gzip", ["-c"])
    }
    return fixture.url("corpus").path
  }

  func single(_ fixture: ShardFixture, corpus: String, benchmarks: String) throws -> Data {
    let out = fixture.url("single.json").path
    let run = try Tool.execute(
      contam, ["scan", "--fail-on", "never", "--id-field", "id"] + benchmarks.split(separator: " ").map(String.init) + ["--out", out, corpus])
    #expect(run.status == 0, "\(run.stderr)")
    return try Data(contentsOf: URL(fileURLWithPath: out))
  }

  /// Runs a shell command line, returns its stdout; throws on failure.
  @discardableResult
  func sh(_ command: String, _ environment: [String: String] = [:], timeout seconds: Int = 600) throws -> String {
    try Tool.shell(command, environment: environment, timeout: seconds)
  }

  /// Waits until Slurm has no job left in the queue (or `seconds` pass).
  func waitForQueue(_ seconds: Double) throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if try sh("squeue -h | wc -l").trimmingCharacters(in: .whitespacesAndNewlines) == "0" { return true }
      usleep(300_000)
    }
    return false
  }

  @Test(.enabled(if: slurmAvailable, "needs root and Debian's slurmctld, slurmd, slurm-client and munge (scripts/slurm-local.sh install); skipped"))
  func theDocumentedSlurmSubmissionMergesIntoTheSingleRunAndAKilledTaskResumes() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    try sh("\(Self.root.path)/scripts/slurm-local.sh start", timeout: 120)
    defer { _ = try? sh("\(Self.root.path)/scripts/slurm-local.sh stop", timeout: 60) }
    // Shards large enough (about a second each in a debug build) that a task can be killed
    // between its first and its last shard.
    let corpus = try corpus(fixture, shards: 12, paragraphs: 120, repeats: 12)
    let benchmarks = "--benchmark gsm8k=\(samples)/benchmarks/gsm8k-sample.jsonl"
    let reference = try single(fixture, corpus: corpus, benchmarks: benchmarks)

    // Exactly as docs/CLUSTER.md says: N=3 docs/cluster/submit-slurm.sh with the variables exported.
    let outdir = fixture.url("out").path
    let environment = [
      "CORPUS": corpus, "BENCHMARKS": benchmarks, "OUTDIR": outdir, "CONTAM": contam, "CONTAM_ARGS": "--id-field id", "N": "3",
    ]
    let submitted = try sh("cd \(fixture.directory.path) && \(Self.root.path)/docs/cluster/submit-slurm.sh", environment)
    #expect(submitted.contains("queued scan array"))
    #expect(try waitForQueue(900), "the jobs finished")
    let logs = try sh("cat \(outdir)/contam-*.log || true")
    for i in 1...3 { #expect(FileManager.default.fileExists(atPath: "\(outdir)/part-\(i)-of-3.json"), "task \(i): \(logs)") }
    #expect(try Data(contentsOf: URL(fileURLWithPath: outdir + "/certificate.json")) == reference, "merged = single run, byte for byte")
    let verified = try Tool.execute(contam, ["verify", "--corpus", fixture.directory.path, "--corpus", samples, outdir + "/certificate.json"])
    #expect(verified.status == 0, "\(verified.stdout)")

    // A task killed mid-run (scancel --signal=KILL), then requeued, resumes from its work directory.
    let killed = fixture.url("killed").path
    let slow = environment.merging(["OUTDIR": killed, "CONTAM_ARGS": "--id-field id --jobs 1"]) { $1 }
    let queued = try sh("cd \(fixture.directory.path) && \(Self.root.path)/docs/cluster/submit-slurm.sh", slow)
    let array = try #require(queued.split(separator: " ").dropFirst(3).first.map(String.init), "\(queued)")
    let work = killed + "/work-2-of-3"
    func finished() -> Int {
      ((try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []).filter { $0.hasPrefix("shard-") }.count
    }
    let deadline = Date().addingTimeInterval(600)
    while finished() < 1 && Date() < deadline { usleep(5_000) }
    let doneBeforeKill = finished()
    try sh("scancel --signal=KILL \(array)_2")
    #expect(doneBeforeKill >= 1 && doneBeforeKill < 4, "killed after \(doneBeforeKill) of its 4 shards")
    usleep(1_500_000)
    try sh("scontrol requeue \(array)_2 || true")
    #expect(try waitForQueue(900))
    // The merge job's dependency failed with the killed task; merge by hand once it is back.
    try sh("\(Self.root.path)/docs/cluster/contam-merge.sh", slow.merging(["TASK_COUNT": "3"]) { $1 })
    #expect(try Data(contentsOf: URL(fileURLWithPath: killed + "/certificate.json")) == reference, "identical after the kill")
    let taskLog = try sh("cat \(killed)/contam-\(array)_2.log")
    #expect(taskLog.contains("resumed"), "the requeued task resumed: \(taskLog)")
  }

  @Test(.enabled(if: kubernetesModels, "needs Python's kubernetes and yaml packages (pip install kubernetes); skipped"))
  func theKubernetesManifestIsAValidJobAndItsCommandsRunTheIndexArithmetic() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let manifest = Self.root.appendingPathComponent("docs/cluster/kubernetes.yaml").path
    let check = try Tool.execute("/usr/bin/env", ["python3", Self.root.path + "/scripts/check-kubernetes.py", manifest])
    #expect(check.status == 0, "\(check.stderr)")
    // A typo is caught.
    let typo = fixture.url("typo.yaml").path
    try String(contentsOfFile: manifest, encoding: .utf8).replacingOccurrences(of: "completionMode", with: "completionsMode")
      .write(toFile: typo, atomically: true, encoding: .utf8)
    let bad = try Tool.execute("/usr/bin/env", ["python3", Self.root.path + "/scripts/check-kubernetes.py", typo])
    #expect(bad.status == 1 && bad.stderr.contains("completionsMode: not a field of V1JobSpec"))

    // The containers' commands and environment, run as the Indexed Job runs them
    // (JOB_COMPLETION_INDEX 0..N-1), with the image's paths mapped onto this checkout.
    let spec = try sh(
      """
      python3 -c 'import json,sys,yaml; print(json.dumps([d["spec"]["template"]["spec"]["containers"][0] | {"completions": d["spec"].get("completions")} for d in yaml.safe_load_all(open(sys.argv[1]))]))' \(manifest)
      """)
    let containers = try #require(try JSONSerialization.jsonObject(with: Data(spec.utf8)) as? [[String: Any]])
    #expect(containers.count == 2)
    let corpus = try corpus(fixture, shards: 5, paragraphs: 40)
    let data = fixture.url("data").path
    let results = fixture.url("results").path
    try FileManager.default.createDirectory(atPath: data + "/benchmarks/gsm8k", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: data + "/corpus", withDestinationPath: corpus)
    try FileManager.default.copyItem(atPath: TestData.path("benchmarks/gsm8k/test.jsonl"), toPath: data + "/benchmarks/gsm8k/test.jsonl")
    try FileManager.default.copyItem(atPath: TestData.path("benchmarks/mmlu/test"), toPath: data + "/benchmarks/mmlu/test")
    let image = fixture.url("opt-contam").path
    try FileManager.default.createDirectory(atPath: image, withIntermediateDirectories: true)
    for script in ["contam-task.sh", "contam-merge.sh"] {
      try FileManager.default.createSymbolicLink(atPath: image + "/" + script, withDestinationPath: Self.root.path + "/docs/cluster/" + script)
    }
    try FileManager.default.createSymbolicLink(atPath: image + "/contam", withDestinationPath: contam)
    func mapped(_ text: String) -> String {
      text.replacingOccurrences(of: "/opt/contam", with: image).replacingOccurrences(of: "/data", with: data)
        .replacingOccurrences(of: "/results", with: results)
    }
    func run(_ container: [String: Any], index: Int?) throws -> Int32 {
      var environment: [String: String] = [:]
      for entry in container["env"] as? [[String: String]] ?? [] { environment[entry["name"]!] = mapped(entry["value"]!) }
      if let index { environment["JOB_COMPLETION_INDEX"] = "\(index)" }
      let command = (container["command"] as? [String] ?? []).map(mapped)
      let process = Process()
      process.executableURL = URL(fileURLWithPath: command[0])
      process.arguments = Array(command.dropFirst())
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
      process.currentDirectoryURL = URL(fileURLWithPath: "/")
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      process.waitUntilExit()
      return process.terminationStatus
    }
    let completions = try #require(containers[0]["completions"] as? Int)
    for index in 0..<completions { #expect(try run(containers[0], index: index) == 0, "index \(index)") }
    #expect(try run(containers[1], index: nil) == 0, "merge")
    let benchmarks = "--benchmark gsm8k=\(data)/benchmarks/gsm8k/test.jsonl --benchmark mmlu=\(data)/benchmarks/mmlu/test"
    let out = fixture.url("single.json").path
    let direct = try Tool.execute(
      contam, ["scan", "--fail-on", "never", "--jobs", "2"] + benchmarks.split(separator: " ").map(String.init) + ["--out", out, data + "/corpus"])
    #expect(direct.status == 0, "\(direct.stderr)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: results + "/certificate.json")) == Data(contentsOf: URL(fileURLWithPath: out)))
  }
}
