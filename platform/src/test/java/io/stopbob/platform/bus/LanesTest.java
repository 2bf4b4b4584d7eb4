package io.stopbob.platform.bus;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stopbob.platform.retry.Outages;
import io.stopbob.platform.retry.OutsideFailure;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LanesTest {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final Outages outages = Outages.unwatched();

	private final Lanes lanes = new Lanes("test", 4, Duration.ofMillis(5), Duration.ofMillis(40), this.meters,
			this.outages);

	private final List<String> log = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() {
		this.lanes.close();
	}

	@Test
	void aTargetsJobsRunInOrderWhileAnotherTargetGoesOnBesideThem() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		this.lanes.submit("a", job("a1", () -> release.await(10, TimeUnit.SECONDS)));
		this.lanes.submit("a", job("a2", () -> {
		}));
		this.lanes.submit("b", job("b1", () -> {
		}));

		awaitEnded("b1");
		assertThat(this.log).containsExactly("b1");

		release.countDown();
		awaitEnded("a2");
		assertThat(this.log).containsExactly("b1", "a1", "a2");
	}

	@Test
	void aJobThatMeetsAnOutageRunsAgainLookingFirstUntilTheSystemIsBackAndTheLaneWaitsBehindIt() {
		AtomicInteger attempts = new AtomicInteger();
		List<Boolean> retrying = new CopyOnWriteArrayList<>();
		this.lanes.submit("a", new Lanes.Job() {

			@Override
			public String describe() {
				return "deploy d-1: a1";
			}

			@Override
			public void run(boolean again) {
				retrying.add(again);
				if (attempts.incrementAndGet() <= 6) {
					throw new Unavailable();
				}
			}

			@Override
			public void ended() {
				LanesTest.this.log.add("a1");
			}

		});
		this.lanes.submit("a", job("a2", () -> {
		}));

		awaitEnded("a2");
		assertThat(this.log).containsExactly("a1", "a2");
		assertThat(retrying).containsExactly(false, true, true, true, true, true, true);
	}

	@Test
	void aTargetWaitingOnAnOutageIsCountedForItsSystemUntilItEnds() {
		CountDownLatch back = new CountDownLatch(1);
		this.lanes.submit("a", job("a1", () -> {
			if (back.getCount() > 0) {
				throw new Unavailable();
			}
		}));
		this.lanes.submit("a", job("a2", () -> {
		}));

		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.outages.count("GitHub") == 1);
		assertThat(this.meters.get("stop.work.pending").gauge().value()).isEqualTo(2);

		back.countDown();
		awaitEnded("a2");
		assertThat(this.outages.count("GitHub")).isZero();
		assertThat(this.meters.get("stop.work.pending").gauge().value()).isZero();
	}

	@Test
	void aFailureThatWaitingCannotFixEndsTheJobAndTheLaneGoesOn() {
		this.lanes.submit("a", job("a1", () -> {
			throw new IllegalStateException("a bug");
		}));
		this.lanes.submit("a", job("a2", () -> {
		}));

		awaitEnded("a2");
		assertThat(this.log).containsExactly("a1", "a2");
	}

	@Test
	void aCancelledJobNeverEnds() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		this.lanes.submit("a", job("a1", () -> release.await(10, TimeUnit.SECONDS)));
		this.lanes.submit("a", job("a2", () -> {
		}));
		this.lanes.submit("a", job("a3", () -> {
		}));

		this.lanes.cancel((job) -> !job.describe().equals("a3"));
		release.countDown();

		awaitEnded("a3");
		assertThat(this.log).containsExactly("a3");
	}

	private void awaitEnded(String name) {
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.log.contains(name));
	}

	private Lanes.Job job(String name, Work work) {
		return new Lanes.Job() {

			@Override
			public String describe() {
				return name;
			}

			@Override
			public void run(boolean retrying) throws Exception {
				work.run();
			}

			@Override
			public void ended() {
				LanesTest.this.log.add(name);
			}

		};
	}

	@FunctionalInterface
	private interface Work {

		void run() throws Exception;

	}

	/** GitHub answering 503. */
	private static final class Unavailable extends RuntimeException implements OutsideFailure {

		Unavailable() {
			super("HTTP 503");
		}

		@Override
		public String system() {
			return "GitHub";
		}

		@Override
		public boolean permanent() {
			return false;
		}

	}

}
