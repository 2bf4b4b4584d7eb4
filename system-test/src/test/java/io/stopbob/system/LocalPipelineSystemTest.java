package io.stopbob.system;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.stopbob.cli.Kafka;
import io.stopbob.cli.log.Replay;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline across real processes, as {@code bin/stop up} runs it: a standalone
 * KRaft broker ({@code bin/kafka-broker}) and the four service jars, each its own JVM,
 * with the local adapters (JGit repository, command CI, local fleet, console Slack).
 * Bounded: every wait has a deadline, and every process is stopped at the end.
 */
class LocalPipelineSystemTest {

	private static SystemStack stack;

	private static String good;

	private static String unhealthy;

	private static String better;

	@BeforeAll
	static void startTheStack() throws Exception {
		stack = new SystemStack();
		Path repo = stack.home.resolve("demo-repo");
		try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
			Files.writeString(repo.resolve("ci.sh"), "echo tests pass\nexit 0\n");
			good = commit(git, repo, "VERSION", "1", "Start the demo app");
			unhealthy = commit(git, repo, ".stop-health", "fail\n", "An unhappy accident (#3)");
			better = commit(git, repo, ".stop-health", "ok\n", "Happy again (#4)");
		}
		Path catalog = stack.home.resolve("catalog.yml");
		Files.writeString(catalog, """
				apps:
				  demo:
				    repository: %s
				    deploy-channel: "#deploys"
				    changelog-channel: "#changelog"
				    environments:
				      staging:
				        tag-prefix: staging-
				        ci: { command: sh ci.sh, timeout: 2m }
				        rollout:
				          backend: local
				          local: { instances: 2, health-timeout: 2s }
				""".formatted(repo));
		// A restarted rollout-service starts only builds of the last second, so that one
		// test can leave a deploy stuck after build-passed.
		stack.start(catalog, List.of("--stop.rollout.start-built-within=1s"), Map.of());
	}

	@AfterAll
	static void stopTheStack() throws Exception {
		if (stack != null) {
			stack.stop();
		}
	}

	@Test
	void aGoodCommitGoesThroughTagCiChangelogAndRolloutToSucceeded() throws Exception {
		String deployId = deploy(good);

		String outcome = awaitOutcome(deployId);

		assertThat(outcome).contains("\"outcome\":\"SUCCEEDED\"");
		assertThat(stack.logOf("slack-ingress"))
			.contains("[" + deployId + "] #deploys deploying demo `" + good.substring(0, 7))
			.contains("[" + deployId + "] #deploys (thread) :label: tagged `staging-")
			.contains("[" + deployId + "] #deploys (thread) :white_check_mark: build passed: local-ci")
			.contains("[" + deployId + "] #deploys :tada: demo `" + good.substring(0, 7) + "` is live on staging");
		assertThat(stack.logOf("changelog-poster")).contains("[" + deployId + "] #changelog");
	}

	@Test
	void theCommitMarkedUnhealthyIsRolledBackAndSaysWhichInstanceFailed() throws Exception {
		String deployId = deploy(unhealthy);

		String outcome = awaitOutcome(deployId);

		assertThat(outcome).contains("\"outcome\":\"ROLLED_BACK\"").contains("failed health check");
		assertThat(stack.logOf("slack-ingress"))
			.contains("[" + deployId + "] #deploys :leftwards_arrow_with_hook: demo `" + unhealthy.substring(0, 7)
					+ "` to staging was rolled back");
	}

	@Test
	void aLockSurvivesARestartRefusesDeploysAndLetsARollbackThroughThatSkipsCi() throws Exception {
		assertThat(awaitOutcome(deploy(good))).contains("\"outcome\":\"SUCCEEDED\"");
		assertThat(awaitOutcome(deploy(better))).contains("\"outcome\":\"SUCCEEDED\"");
		assertThat(stack.slash("U0LOCALDEV", "lock demo staging the database is being moved")).contains(":lock:");

		stack.restart("slack-ingress");

		HttpResponse<String> refused = stack.request("demo", "staging", better, null);
		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(refused.body()).contains("demo/staging is locked by U0LOCALDEV since")
			.contains("the database is being moved");

		long confirmed = System.nanoTime();
		HttpResponse<String> rollback = stack.rollback("demo", "staging");
		assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(202);
		String deployId = SystemStack.deployId(rollback.body());
		awaitStage(deployId, "ROLLING_OUT");
		// The target is under 5 s on the local stack; printed, not asserted (a
		// shared machine).
		System.out.printf("rollback: confirmed -> rollout started in %d ms%n",
				(System.nanoTime() - confirmed) / 1_000_000);

		assertThat(awaitOutcome(deployId)).contains("\"outcome\":\"SUCCEEDED\"").contains(good);
		assertThat(stack.logOf("slack-ingress"))
			.contains("[" + deployId + "] #deploys rolling back demo `" + good.substring(0, 7))
			.contains("[" + deployId
					+ "] #deploys (thread) :white_check_mark: build passed earlier (reused for this rollback)");
		assertThat(stack.slash("U0LOCALDEV", "unlock demo staging")).contains(":unlock:");
		assertThat(stack.slash("U0LOCALDEV", "history demo staging 1")).contains("rollback").contains(deployId);
	}

	@Test
	void aDeployStuckAfterBuildPassedIsFinishedByReDrivingItsLastEvent() throws Exception {
		stack.stop("rollout-service");
		String deployId = deploy(good);
		awaitStage(deployId, "BUILT");
		Thread.sleep(1500);

		// Back after more than the second it allows: it does not start that release.
		stack.restart("rollout-service");
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!stack.logOf("rollout-service").contains("bin/stop replay --deploy " + deployId)
				&& System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		assertThat(stack.logOf("rollout-service")).contains("deploy " + deployId + " of demo/staging was built at")
			.contains("never rolled out");
		assertThat(stack.show(deployId)).as("stuck after build-passed").contains("\"stage\":\"BUILT\"");

		new Replay(new Kafka(stack.stack.bootstrapServers()), System.out).redrive(deployId, false);

		assertThat(awaitOutcome(deployId)).contains("\"outcome\":\"SUCCEEDED\"");
		// The outcome is on the log before the thread is told of it.
		String live = "[" + deployId + "] #deploys :tada: demo `" + good.substring(0, 7) + "` is live on staging";
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> stack.logOf("slack-ingress").contains(live));
	}

	@Test
	void theDashboardShowsADeployLiveAndItsOutcomeWithoutAReload() throws Exception {
		Path chromium = Path.of("/usr/bin/chromium");
		Path chromedriver = Path.of("/usr/bin/chromedriver");
		Assumptions.assumeTrue(Files.isExecutable(chromium) && Files.isExecutable(chromedriver),
				"no Chromium here (apt-get install chromium chromium-driver): the dashboard's browser test is skipped");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(chromium.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--window-size=1280,1600");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver browser = new ChromeDriver(service, options);
		try {
			// The dashboard is for named callers: the browser signs in as the API's
			// caller
			// on every request, its event stream included.
			browser.executeCdpCommand("Network.enable", Map.of());
			browser.executeCdpCommand("Network.setExtraHTTPHeaders",
					Map.of("headers", Map.of("Authorization", "Basic " + java.util.Base64.getEncoder()
						.encodeToString(("api:" + SystemStack.TOKEN).getBytes(StandardCharsets.UTF_8)))));
			browser.get(stack.url("slack-ingress", "/"));
			JavascriptExecutor page = (JavascriptExecutor) browser;
			// What the live part showed, each time it changed; and a mark a reload would
			// wipe.
			page.executeScript("window.notReloaded = true; window.seen = [];"
					+ "new MutationObserver(() => window.seen.push(document.getElementById('in-flight').innerText))"
					+ ".observe(document.getElementById('live'), {childList: true, subtree: true});");

			String deployId = deploy(good);

			// The live part is replaced on each event, so read it fresh each time.
			WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
			wait.until((driver) -> page
				.executeScript(
						"return Array.from(document.querySelectorAll('#history tr')).map((row) => row.innerText)")
				.toString()
				.matches("(?s).*" + deployId + "[^,\\]]*SUCCEEDED.*"));
			assertThat(page.executeScript("return window.notReloaded === true")).isEqualTo(true);
			@SuppressWarnings("unchecked")
			List<String> seen = (List<String>) page.executeScript("return window.seen");
			assertThat(seen).as("the deploy in flight, as the page showed it without a reload")
				.anySatisfy((inFlight) -> assertThat(inFlight).contains(deployId));
			System.out.println("dashboard: in flight as shown: "
					+ seen.stream().filter((text) -> text.contains(deployId)).distinct().toList());
			Path screenshot = Path.of("target/dashboard.png");
			Files.createDirectories(screenshot.getParent());
			Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), screenshot,
					StandardCopyOption.REPLACE_EXISTING);

			browser.get(stack.url("slack-ingress", "/deploys/" + deployId));
			assertThat(browser.findElement(By.className("thread")).getText())
				.contains("deploying demo `" + good.substring(0, 7) + "` to staging")
				.contains("is live on staging");
		}
		finally {
			browser.quit();
		}
	}

	private static String deploy(String sha) throws Exception {
		return stack.deploy("demo", "staging", sha, null);
	}

	/** Polls every 20 ms until the deploy is at that stage or has an outcome. */
	private static void awaitStage(String deployId, String stage) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!stack.show(deployId).contains("\"stage\":\"" + stage + "\"")
				&& !stack.show(deployId).contains("\"outcome\"") && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
	}

	private static String awaitOutcome(String deployId) throws Exception {
		return stack.awaitOutcome(deployId, Duration.ofSeconds(90));
	}

	private static String commit(Git git, Path repo, String file, String content, String message) throws Exception {
		Files.writeString(repo.resolve(file), content);
		git.add().addFilepattern(".").call();
		PersonIdent bob = new PersonIdent("Bob Ross", "bob@stop.local");
		return git.commit().setMessage(message).setAuthor(bob).setCommitter(bob).call().name();
	}

}
