/**
 * A released build to measure beside the current one, in the same bench run: the release's sources
 * are taken from git history (`git archive` of its commit: no worktree to prune afterwards), built
 * with the release's own tsconfig into a temporary folder whose node_modules links to this
 * checkout's, and its CLI is run like the current one. Times of two builds taken on different days
 * are not comparable on a shared machine; times taken minutes apart in one run are.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ChildRun } from "./child.js";
import { nodeArgs, runChild } from "./child.js";

/** A release: its label, the commit it was cut from, and the entities generator version it writes. */
export interface Release {
  readonly label: string;
  readonly commit: string;
  readonly entitiesGeneratorVersion: string;
}

/**
 * Today's release, synthproof 1.0.0's generator, cut at this commit of this repository. The full
 * hash, so that a later commit sharing its first digits cannot make the name ambiguous.
 */
export const RELEASE_1_0_0: Release = {
  label: "1.0.0",
  commit: "0f8b63f65de26852ecfab6e0ea2f765c54b8318d",
  entitiesGeneratorVersion: "1.0.0",
};

/** The paths of a release's tree its CLI needs: sources, compiler config, package type, bundled schema. */
const TREE = ["package.json", "tsconfig.json", "src", "examples"] as const;

/** A built release, ready to run; `dispose()` removes its folder. */
export interface BuiltRelease {
  readonly release: Release;
  readonly dir: string;
  readonly cli: string;
  /** Wall seconds the build took (extract and compile). */
  readonly buildSeconds: number;
  /** Runs the release's CLI with `args` in a child process, peak RSS through `rssFile`. */
  run(args: readonly string[], rssFile: string): Promise<ChildRun>;
  dispose(): void;
}

/** Why a release could not be built here (printed as "baseline skipped: ..."). */
export interface SkippedRelease {
  readonly release: Release;
  readonly skipped: string;
}

/** The last line of a failed command's output, for a one-line reason. */
function lastLine(text: string | null | undefined): string {
  const lines = (text ?? "").trim().split("\n");
  return (lines[lines.length - 1] ?? "").trim();
}

/**
 * Builds `release` from the git history of `repoRoot` into a new folder under the OS temp folder.
 * Never throws for a missing prerequisite: no git, no history (a tarball or a shallow clone), a
 * missing commit, no node_modules or a failed compile each come back as a {@link SkippedRelease}
 * with the reason, and any folder made on the way is removed.
 *
 * @example
 * const base = buildRelease(RELEASE_1_0_0, repoRoot);
 * if ("skipped" in base) console.log(`baseline skipped: ${base.skipped}`);
 * else try { await base.run(["--version"], rssFile); } finally { base.dispose(); }
 */
export function buildRelease(release: Release, repoRoot: string): BuiltRelease | SkippedRelease {
  const skip = (why: string): SkippedRelease => ({ release, skipped: why });
  const git = (args: readonly string[], input?: Buffer) =>
    spawnSync("git", args, { cwd: repoRoot, maxBuffer: 1 << 30, ...(input === undefined ? {} : { input }) });
  const probe = git(["rev-parse", "--verify", "--quiet", `${release.commit}^{commit}`]);
  if (probe.error) return skip(`git is not available (${probe.error.message})`);
  if (probe.status !== 0) {
    const inRepo = git(["rev-parse", "--git-dir"]);
    if (inRepo.status !== 0) return skip(`${repoRoot} is not a git checkout, so release ${release.label} cannot be rebuilt from history`);
    const shallow = git(["rev-parse", "--is-shallow-repository"]).stdout?.toString().trim() === "true";
    return skip(
      `commit ${release.commit.slice(0, 7)} (release ${release.label}) is not in this repository's history${shallow ? " (a shallow clone: git fetch --unshallow)" : ""}`,
    );
  }
  const modules = path.join(repoRoot, "node_modules");
  const tsc = path.join(modules, "typescript", "bin", "tsc");
  if (!fs.existsSync(tsc)) return skip(`${tsc} is missing (npm install first)`);

  const started = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `synthproof-bench-release-${release.label}-`));
  const dispose = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const archive = git(["archive", "--format=tar", release.commit, ...TREE]);
    if (archive.status !== 0) {
      dispose();
      return skip(`git archive of ${release.commit.slice(0, 7)} failed: ${lastLine(archive.stderr?.toString())}`);
    }
    const untar = spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout, maxBuffer: 1 << 30 });
    if (untar.error || untar.status !== 0) {
      dispose();
      return skip(`tar could not extract the release's tree: ${untar.error?.message ?? lastLine(untar.stderr?.toString())}`);
    }
    fs.symlinkSync(fs.realpathSync(modules), path.join(dir, "node_modules"), "dir");
    const build = spawnSync(process.execPath, [tsc, "-p", path.join(dir, "tsconfig.json")], { cwd: dir, encoding: "utf8" });
    const cli = path.join(dir, "dist", "cli", "main.js");
    if (build.error || build.status !== 0 || !fs.existsSync(cli)) {
      dispose();
      return skip(
        `release ${release.label} did not compile with this checkout's typescript: ${build.error?.message ?? lastLine(build.stdout || build.stderr)}`,
      );
    }
    return {
      release,
      dir,
      cli,
      buildSeconds: (performance.now() - started) / 1000,
      run: (args, rssFile) => runChild(process.execPath, nodeArgs(cli, args), rssFile, dir),
      dispose,
    };
  } catch (error) {
    dispose();
    return skip(`building release ${release.label} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
