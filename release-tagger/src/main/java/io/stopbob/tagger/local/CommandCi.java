package io.stopbob.tagger.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import io.stopbob.platform.catalog.Environment;
import io.stopbob.platform.memory.Bounded;
import io.stopbob.tagger.ci.CiStatus;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.springframework.util.FileSystemUtils;

/**
 * CI on this machine: the environment's {@code ci.command} ({@code true} when unset) runs
 * in a fresh checkout of the tag; exit 0 is green. Runs once per tag, in the background;
 * its output is the build log, and the log's {@code file:} URL is the build link.
 */
public class CommandCi implements CiStatus {

	static final String CHECK = "local-ci";

	private final Path workDir;

	private final Duration timeout;

	private final ExecutorService runner;

	private final Map<String, CompletableFuture<CiResult>> runs;

	public CommandCi(Path workDir, Duration timeout, int runsHeld, ExecutorService runner) {
		this.workDir = workDir;
		this.timeout = timeout;
		this.runs = Bounded.newest(runsHeld);
		this.runner = runner;
	}

	@Override
	public String provider() {
		return "local-command";
	}

	@Override
	public CiResult status(String repository, String tag, String sha, Instant taggedAt, Environment.Ci ci) {
		String command = (ci.command() != null) ? ci.command() : "true";
		CompletableFuture<CiResult> run = this.runs.computeIfAbsent(repository + "@" + tag,
				(key) -> CompletableFuture.supplyAsync(() -> build(repository, tag, command), this.runner));
		return run.isDone() ? run.join() : new CiResult.Pending(CHECK + " (" + command + ")");
	}

	private CiResult build(String repository, String tag, String command) {
		Path checkout = this.workDir.resolve(tag);
		Path log = this.workDir.resolve(tag + ".log");
		try {
			FileSystemUtils.deleteRecursively(checkout);
			Files.createDirectories(this.workDir);
			try (Git git = Git.cloneRepository()
				.setURI(new File(repository).getAbsoluteFile().toURI().toString())
				.setDirectory(checkout.toFile())
				.setBranch("refs/tags/" + tag)
				.call()) {
				// The checkout is the tree at the tag; the clone's handle is not needed
				// further.
			}
			Process process = new ProcessBuilder("sh", "-c", command).directory(checkout.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			if (!process.waitFor(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				return new CiResult.Red(CHECK, log.toUri().toString(),
						"timed out after " + this.timeout.toSeconds() + " s");
			}
			if (process.exitValue() == 0) {
				return new CiResult.Green(List.of(CHECK), log.toUri().toString());
			}
			return new CiResult.Red(CHECK, log.toUri().toString(),
					"exit " + process.exitValue() + ": " + lastLine(log));
		}
		catch (IOException | GitAPIException ex) {
			return new CiResult.Red(CHECK, null, "could not run: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new CiResult.Red(CHECK, null, "interrupted");
		}
	}

	private static String lastLine(Path log) throws IOException {
		List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
		return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
	}

}
