package io.stopbob.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The demo app's repository: a few commits, a {@code ci.sh}, and a last commit whose
 * health check is marked to fail ({@code .stop-health}), so a rollback can be seen
 * locally.
 */
final class DemoRepository {

	private static final PersonIdent BOB = new PersonIdent("Bob Ross", "bob@stop.local");

	private DemoRepository() {
	}

	static void create(Path repo, PrintStream out) throws Exception {
		if (Files.isDirectory(repo.resolve(".git"))) {
			return;
		}
		Files.createDirectories(repo);
		try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
			Files.writeString(repo.resolve("ci.sh"), "#!/bin/sh\necho \"running the demo tests\"\nexit 0\n");
			Files.setPosixFilePermissions(repo.resolve("ci.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
			commit(git, repo, "VERSION", "demo app v1\n", "Start the demo app");
			commit(git, repo, "VERSION", "demo app v2: a happy little cloud\n", "Add a happy little cloud (#1)");
			commit(git, repo, "VERSION", "demo app v3: a happy little tree\n", "Paint a happy little tree (#2)");
			Files.writeString(repo.resolve(".stop-health"), "fail\n");
			commit(git, repo, "VERSION", "demo app v4: an unhappy accident\n",
					"An unhappy accident: fails its health check (#3)");
		}
		out.println("demo repository: " + repo + " (4 commits; the last one fails its health check)");
	}

	private static void commit(Git git, Path repo, String file, String content, String message) throws Exception {
		Files.writeString(repo.resolve(file), content);
		git.add().addFilepattern(".").call();
		git.commit().setMessage(message).setAuthor(BOB).setCommitter(BOB).call();
	}

}
